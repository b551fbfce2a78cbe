package io.ecivk.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeOwnershipTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final NodeConfig CONFIG = NodeConfig.builder()
      .nodeName("vk-a").internalIp("10.0.0.7").kubeletVersion("v1.20.2-eci-vk-0.1.0").build();

  @Test
  void aFreeNameIsFree() {
    assertThat(NodeOwnership.conflict(CONFIG, null, null, NOW)).isEmpty();
  }

  @Test
  void aValidLeaseOfAnotherHolderIsAConflict() {
    Lease lease = lease("replica-2", "2026-11-23T09:59:30Z", 40);

    assertThat(NodeOwnership.conflict(CONFIG, null, lease, NOW)).contains(
        "Lease kube-node-lease/vk-a is held by 'replica-2' (renewed 2026-11-23T09:59:30Z, valid until "
            + "2026-11-23T10:00:10Z): another agent runs node vk-a");
  }

  @Test
  void anExpiredLeaseOfAnotherHolderOrOneHeldUnderOurNameIsNot() {
    assertThat(NodeOwnership.conflict(CONFIG, null, lease("replica-2", "2026-11-23T09:59:20Z", 40), NOW)).isEmpty();
    assertThat(NodeOwnership.conflict(CONFIG, null, lease("vk-a", "2026-11-23T09:59:59Z", 40), NOW)).isEmpty();
  }

  @Test
  void ourOwnNodeIsTakenOverEvenWithKubeletStatusAndTheVirtualKubeletLabel() {
    Node node = node(Map.of("type", "virtual-kubelet"), Map.of("ecivk.io/node-agent", "eci-virtual-kubelet"),
        "v1.20.2-eci-vk-0.1.0");

    assertThat(NodeOwnership.conflict(CONFIG, node, lease("vk-a", "2026-11-23T09:59:59Z", 40), NOW)).isEmpty();
  }

  @Test
  void aBareNodeIsAdopted() {
    assertThat(NodeOwnership.conflict(CONFIG, node(Map.of("team", "a"), Map.of(), ""), null, NOW)).isEmpty();
  }

  @Test
  void anotherVirtualKubeletsNodeIsAConflict() {
    Node ackVirtualNode = node(Map.of("type", "virtual-kubelet"), Map.of(), "v1.20.11-aliyun.1");

    assertThat(NodeOwnership.conflict(CONFIG, ackVirtualNode, null, NOW)).contains(
        "Node vk-a was registered by another virtual kubelet (label type=virtual-kubelet without annotation "
            + "ecivk.io/node-agent, e.g. ACK's ack-virtual-node)");
  }

  @Test
  void aNodeWithAnotherKubeletsStatusIsAConflict() {
    assertThat(NodeOwnership.conflict(CONFIG, node(Map.of(), Map.of(), "v1.20.2"), null, NOW)).contains(
        "Node vk-a has status from another kubelet (kubeletVersion v1.20.2, no annotation ecivk.io/node-agent)");
  }

  @Test
  void aNodeMarkedByAnotherAgentIsAConflict() {
    assertThat(NodeOwnership.conflict(CONFIG, node(Map.of(), Map.of("ecivk.io/node-agent", "other-agent"), ""),
        null, NOW)).contains(
            "Node vk-a is managed by 'other-agent' (annotation ecivk.io/node-agent), not by eci-virtual-kubelet");
  }

  private static Lease lease(String holder, String renewTime, int seconds) {
    return new LeaseBuilder().withNewMetadata().withName("vk-a").endMetadata()
        .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(seconds)
        .withRenewTime(Instant.parse(renewTime).atZone(ZoneOffset.UTC)).endSpec()
        .build();
  }

  private static Node node(Map<String, String> labels, Map<String, String> annotations, String kubeletVersion) {
    return new NodeBuilder()
        .withNewMetadata().withName("vk-a").withLabels(labels).withAnnotations(annotations).endMetadata()
        .withNewStatus().withNewNodeInfo().withKubeletVersion(kubeletVersion).endNodeInfo().endStatus()
        .build();
  }
}
