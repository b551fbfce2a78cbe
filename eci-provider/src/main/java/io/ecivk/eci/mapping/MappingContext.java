package io.ecivk.eci.mapping;

import io.ecivk.eci.sizing.EciSpecTable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the mapping needs to know besides the pod: the node's identity and its network settings.
 *
 * @param clusterId the cluster's id, tagged on every group
 * @param nodeName the virtual node's name, tagged on every group
 * @param vSwitchIds the vSwitches ECI may place groups in, one zone each, at most 10; sent in this order
 * @param securityGroupId the security group of every group
 * @param specTable the ECI specs pods are rounded up to
 * @param clusterDns the cluster's DNS, for pods with {@code dnsPolicy: ClusterFirst}; empty when unknown, and then
 *     such pods fail (an unset dnsPolicy, which only hand-built pods have, then leaves ECI's default DNS)
 */
public record MappingContext(
    String clusterId,
    String nodeName,
    List<String> vSwitchIds,
    String securityGroupId,
    EciSpecTable specTable,
    Optional<ClusterDns> clusterDns) {

  /** ECI's limit on the vSwitches of one group. */
  public static final int MAX_VSWITCHES = 10;

  public MappingContext {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(securityGroupId, "securityGroupId");
    Objects.requireNonNull(specTable, "specTable");
    Objects.requireNonNull(clusterDns, "clusterDns");
    vSwitchIds = List.copyOf(Objects.requireNonNull(vSwitchIds, "vSwitchIds"));
    if (vSwitchIds.isEmpty() || vSwitchIds.size() > MAX_VSWITCHES) {
      throw new IllegalArgumentException(
          "between 1 and " + MAX_VSWITCHES + " vSwitches are needed, got " + vSwitchIds.size());
    }
  }

  /** A context without cluster DNS: pods with {@code dnsPolicy: ClusterFirst} fail to map. */
  public MappingContext(
      String clusterId, String nodeName, List<String> vSwitchIds, String securityGroupId, EciSpecTable specTable) {
    this(clusterId, nodeName, vSwitchIds, securityGroupId, specTable, Optional.empty());
  }

  /** A context with the cluster's DNS. */
  public MappingContext(
      String clusterId,
      String nodeName,
      List<String> vSwitchIds,
      String securityGroupId,
      EciSpecTable specTable,
      ClusterDns clusterDns) {
    this(clusterId, nodeName, vSwitchIds, securityGroupId, specTable,
        Optional.of(Objects.requireNonNull(clusterDns, "clusterDns")));
  }
}
