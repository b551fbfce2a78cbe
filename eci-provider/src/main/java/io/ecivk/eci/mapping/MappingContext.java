package io.ecivk.eci.mapping;

import io.ecivk.eci.sizing.EciSpecTable;
import java.util.List;
import java.util.Objects;

/**
 * What the mapping needs to know besides the pod: the node's identity and its network settings.
 *
 * @param clusterId the cluster's id, tagged on every group
 * @param nodeName the virtual node's name, tagged on every group
 * @param vSwitchIds the vSwitches ECI may place groups in, one zone each, at most 10; sent in this order
 * @param securityGroupId the security group of every group
 * @param specTable the ECI specs pods are rounded up to
 */
public record MappingContext(
    String clusterId, String nodeName, List<String> vSwitchIds, String securityGroupId, EciSpecTable specTable) {

  /** ECI's limit on the vSwitches of one group. */
  public static final int MAX_VSWITCHES = 10;

  public MappingContext {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(securityGroupId, "securityGroupId");
    Objects.requireNonNull(specTable, "specTable");
    vSwitchIds = List.copyOf(Objects.requireNonNull(vSwitchIds, "vSwitchIds"));
    if (vSwitchIds.isEmpty() || vSwitchIds.size() > MAX_VSWITCHES) {
      throw new IllegalArgumentException(
          "between 1 and " + MAX_VSWITCHES + " vSwitches are needed, got " + vSwitchIds.size());
    }
  }
}
