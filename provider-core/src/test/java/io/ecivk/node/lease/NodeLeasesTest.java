package io.ecivk.node.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class NodeLeasesTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456789Z");

  @Test
  void aNewLeaseIsHeldAndOwnedByTheNodeAndStampedInMicroseconds() {
    Lease lease = NodeLeases.newLease("vk-a", "vk-a", 40, T0, Optional.of(NodeLeases.nodeOwner("vk-a", "uid-1")));

    var mapper = JsonMapper.builder().build();
    assertThat(mapper.readTree(Serialization.asJson(lease))).isEqualTo(mapper.readTree("""
        {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
         "metadata": {"name": "vk-a", "namespace": "kube-node-lease",
           "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "vk-a", "uid": "uid-1"}]},
         "spec": {"holderIdentity": "vk-a", "leaseDurationSeconds": 40,
           "acquireTime": "2026-11-23T10:00:00.123456Z", "renewTime": "2026-11-23T10:00:00.123456Z"}}
        """));
  }

  @Test
  void renewingOurOwnLeaseMovesOnlyRenewTimeAndKeepsTheResourceVersion() {
    Lease current = NodeLeases.newLease("vk-a", "vk-a", 40, T0, Optional.empty());
    current.getMetadata().setResourceVersion("17");

    Lease renewed = NodeLeases.renewed(current, "vk-a", 40, T0.plusSeconds(10),
        Optional.of(NodeLeases.nodeOwner("vk-a", "uid-1")));

    assertThat(renewed.getMetadata().getResourceVersion()).isEqualTo("17");
    assertThat(renewed.getSpec().getRenewTime().toInstant()).isEqualTo(Instant.parse("2026-11-23T10:00:10.123456Z"));
    assertThat(renewed.getSpec().getAcquireTime().toInstant()).isEqualTo(Instant.parse("2026-11-23T10:00:00.123456Z"));
    assertThat(renewed.getSpec().getLeaseTransitions()).isNull();
    assertThat(renewed.getMetadata().getOwnerReferences()).extracting(r -> r.getUid()).containsExactly("uid-1");
    // the input is not modified
    assertThat(current.getSpec().getRenewTime().toInstant()).isEqualTo(Instant.parse("2026-11-23T10:00:00.123456Z"));
  }

  @Test
  void takingOverAnExpiredLeaseIsATransition() {
    Lease theirs = new LeaseBuilder().withNewMetadata().withName("vk-a").withResourceVersion("5").endMetadata()
        .withNewSpec().withHolderIdentity("replica-2").withLeaseDurationSeconds(40).withLeaseTransitions(3)
        .withRenewTime(T0.minusSeconds(60).atZone(ZoneOffset.UTC)).endSpec().build();

    Lease ours = NodeLeases.renewed(theirs, "vk-a", 40, T0, Optional.empty());

    assertThat(ours.getSpec().getHolderIdentity()).isEqualTo("vk-a");
    assertThat(ours.getSpec().getLeaseTransitions()).isEqualTo(4);
    assertThat(ours.getSpec().getAcquireTime().toInstant()).isEqualTo(Instant.parse("2026-11-23T10:00:00.123456Z"));
  }

  @Test
  void validityAndHolding() {
    Lease theirs = new LeaseBuilder().withNewSpec().withHolderIdentity("replica-2").withLeaseDurationSeconds(40)
        .withRenewTime(Instant.parse("2026-11-23T10:00:00Z").atZone(ZoneOffset.UTC)).endSpec().build();

    assertThat(NodeLeases.validUntil(theirs)).contains(Instant.parse("2026-11-23T10:00:40Z"));
    assertThat(NodeLeases.heldByOther(theirs, "vk-a", Instant.parse("2026-11-23T10:00:39.999Z"))).isTrue();
    assertThat(NodeLeases.heldByOther(theirs, "vk-a", Instant.parse("2026-11-23T10:00:40Z"))).isFalse();
    assertThat(NodeLeases.heldByOther(theirs, "replica-2", Instant.parse("2026-11-23T10:00:01Z"))).isFalse();
    assertThat(NodeLeases.heldByOther(null, "vk-a", T0)).isFalse();
    assertThat(NodeLeases.heldByOther(new LeaseBuilder().withNewSpec().withHolderIdentity("x").endSpec().build(),
        "vk-a", T0)).isFalse();
    assertThat(NodeLeases.holder(theirs)).contains("replica-2");
  }
}
