package io.ecivk.node.lease;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Pure functions over node Leases ({@code coordination.k8s.io/v1}, namespace {@value #NAMESPACE}): building,
 * renewing and judging them. No client, no clock: callers pass {@code now}.
 *
 * <p>The shape follows the kubelet's {@code pkg/kubelet/nodelease} and virtual-kubelet's
 * {@code node/lease_controller_v1.go}: name = node name, {@code holderIdentity} = node name,
 * {@code leaseDurationSeconds} = 40 by default, and an owner reference to the Node so that deleting the Node
 * garbage-collects its Lease.
 */
public final class NodeLeases {

  /** Where node Leases live; the API server creates this namespace at start-up. */
  public static final String NAMESPACE = "kube-node-lease";

  private NodeLeases() {}

  /** A new Lease held by {@code holder}, renewed (and acquired) at {@code now}. */
  public static Lease newLease(
      String nodeName, String holder, int durationSeconds, Instant now, Optional<OwnerReference> owner) {
    ZonedDateTime t = microTime(now);
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(nodeName)
        .withNamespace(NAMESPACE)
        .withOwnerReferences(owner.map(List::of).orElse(List.of()))
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withLeaseDurationSeconds(durationSeconds)
        .withAcquireTime(t)
        .withRenewTime(t)
        .endSpec()
        .build();
  }

  /**
   * A copy of {@code current} (same resourceVersion, so an update of it is rejected with 409 if someone wrote in
   * between) renewed by {@code holder} at {@code now}. A change of holder counts as a transition and sets a new
   * acquire time. The owner reference is set when known and missing (a Lease created before its Node).
   */
  public static Lease renewed(
      Lease current, String holder, int durationSeconds, Instant now, Optional<OwnerReference> owner) {
    ZonedDateTime t = microTime(now);
    LeaseBuilder b = new LeaseBuilder(current);
    boolean newHolder = !holder.equals(current.getSpec() == null ? null : current.getSpec().getHolderIdentity());
    b.editOrNewSpec()
        .withHolderIdentity(holder)
        .withLeaseDurationSeconds(durationSeconds)
        .withRenewTime(t)
        .endSpec();
    if (newHolder) {
      int transitions = current.getSpec() == null || current.getSpec().getLeaseTransitions() == null
          ? 0 : current.getSpec().getLeaseTransitions();
      b.editSpec().withAcquireTime(t).withLeaseTransitions(transitions + 1).endSpec();
    }
    if (owner.isPresent() && !ownedBy(current, owner.get())) {
      b.editMetadata().withOwnerReferences(owner.get()).endMetadata();
    }
    return b.build();
  }

  /**
   * The instant until which the Lease's holder keeps it: {@code renewTime + leaseDurationSeconds}; empty when
   * the Lease has no holder or was never renewed.
   */
  public static Optional<Instant> validUntil(Lease lease) {
    if (lease == null || lease.getSpec() == null) {
      return Optional.empty();
    }
    var spec = lease.getSpec();
    if (spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty() || spec.getRenewTime() == null) {
      return Optional.empty();
    }
    int seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
    return Optional.of(spec.getRenewTime().toInstant().plusSeconds(seconds));
  }

  /**
   * Whether someone other than {@code holder} holds the Lease at {@code now}: it names another holder and has
   * not expired. An expired Lease of another holder may be taken over.
   */
  public static boolean heldByOther(Lease lease, String holder, Instant now) {
    Objects.requireNonNull(holder, "holder");
    Optional<Instant> until = validUntil(lease);
    return until.isPresent() && !holder.equals(lease.getSpec().getHolderIdentity()) && until.get().isAfter(now);
  }

  /** The Lease's holder, or empty. */
  public static Optional<String> holder(Lease lease) {
    return lease == null || lease.getSpec() == null
        ? Optional.empty()
        : Optional.ofNullable(lease.getSpec().getHolderIdentity()).filter(h -> !h.isEmpty());
  }

  /** An owner reference to a Node, the way the kubelet sets it on its Lease. */
  public static OwnerReference nodeOwner(String nodeName, String nodeUid) {
    OwnerReference ref = new OwnerReference();
    ref.setApiVersion("v1");
    ref.setKind("Node");
    ref.setName(nodeName);
    ref.setUid(nodeUid);
    return ref;
  }

  // The API server stores MicroTime: microseconds, UTC.
  private static ZonedDateTime microTime(Instant now) {
    return now.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
  }

  private static boolean ownedBy(Lease lease, OwnerReference owner) {
    var refs = lease.getMetadata() == null ? null : lease.getMetadata().getOwnerReferences();
    return refs != null && refs.stream().anyMatch(r -> Objects.equals(r.getUid(), owner.getUid()));
  }
}
