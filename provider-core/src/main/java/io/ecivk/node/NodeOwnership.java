package io.ecivk.node;

import io.ecivk.node.lease.NodeLeases;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a Node name is free for us to register or take over. Pure: callers pass what they read and
 * {@code now}.
 *
 * <p>The name is refused, with the reason, when any of these holds:
 *
 * <ol>
 *   <li>its Lease in {@code kube-node-lease} names another {@code holderIdentity} (we hold ours as the node name)
 *       and has not expired ({@code renewTime + leaseDurationSeconds > now});
 *   <li>the Node carries annotation {@value NodeTemplate#AGENT_ANNOTATION} with another agent's name;
 *   <li>the Node lacks that annotation and carries label {@code type=virtual-kubelet}: another virtual kubelet
 *       registered it (upstream virtual-kubelet, ACK's {@code ack-virtual-node} and the old
 *       {@code alibabacloud-eci} provider all set this label, and ACK names its nodes
 *       {@code virtual-kubelet-<zone>} too, so the clash is likely in an ACK cluster);
 *   <li>the Node lacks that annotation and {@code status.nodeInfo.kubeletVersion} is set: some kubelet, real or
 *       virtual, has posted status for it.
 * </ol>
 *
 * <p>A Node with our annotation is ours (a restart, or a replacement of the same agent) and is taken over, even
 * while its Lease, held under the node name, is still valid. A bare Node (created by hand, no marks) is adopted.
 * A second replica of this agent with the same node name is not detected: both hold the Lease as the node name.
 */
final class NodeOwnership {

  static final String VIRTUAL_KUBELET_TYPE_LABEL = "type";
  static final String VIRTUAL_KUBELET_TYPE_VALUE = "virtual-kubelet";

  private NodeOwnership() {}

  /** Why we must not use this node name, or empty when we may. */
  static Optional<String> conflict(NodeConfig config, Node node, Lease lease, Instant now) {
    String name = config.nodeName();
    if (NodeLeases.heldByOther(lease, name, now)) {
      return Optional.of("Lease " + NodeLeases.NAMESPACE + "/" + name + " is held by '"
          + lease.getSpec().getHolderIdentity() + "' (renewed " + lease.getSpec().getRenewTime().toInstant()
          + ", valid until " + NodeLeases.validUntil(lease).orElseThrow() + "): another agent runs node " + name);
    }
    if (node == null) {
      return Optional.empty();
    }
    Map<String, String> annotations = orEmpty(node.getMetadata().getAnnotations());
    String agent = annotations.get(NodeTemplate.AGENT_ANNOTATION);
    if (agent != null) {
      return agent.equals(NodeTemplate.AGENT_NAME)
          ? Optional.empty()
          : Optional.of("Node " + name + " is managed by '" + agent + "' (annotation "
              + NodeTemplate.AGENT_ANNOTATION + "), not by " + NodeTemplate.AGENT_NAME);
    }
    Map<String, String> labels = orEmpty(node.getMetadata().getLabels());
    if (VIRTUAL_KUBELET_TYPE_VALUE.equals(labels.get(VIRTUAL_KUBELET_TYPE_LABEL))) {
      return Optional.of("Node " + name + " was registered by another virtual kubelet (label type=virtual-kubelet "
          + "without annotation " + NodeTemplate.AGENT_ANNOTATION + ", e.g. ACK's ack-virtual-node)");
    }
    String kubelet = node.getStatus() == null || node.getStatus().getNodeInfo() == null
        ? null : node.getStatus().getNodeInfo().getKubeletVersion();
    if (kubelet != null && !kubelet.isEmpty()) {
      return Optional.of("Node " + name + " has status from another kubelet (kubeletVersion " + kubelet
          + ", no annotation " + NodeTemplate.AGENT_ANNOTATION + ")");
    }
    return Optional.empty();
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
