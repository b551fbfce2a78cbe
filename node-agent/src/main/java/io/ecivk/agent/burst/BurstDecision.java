package io.ecivk.agent.burst;

import io.ecivk.agent.burst.BurstMarkers.Route;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the binder does with one unbound pod now. Pure: the pod, its route, the time and the delay in; the fit
 * check is only asked for when everything else says "bind", since it needs the node and its pods.
 */
public sealed interface BurstDecision {

  /** Nothing to do for this pod now; an informer update brings it back if that changes. */
  record Skip(String why) implements BurstDecision {}

  /** A burst pod that has not been unschedulable for the configured delay yet: look again after {@code after}. */
  record Wait(Duration after) implements BurstDecision {}

  /** The pod does not fit the virtual node. */
  record Refuse(Fit fit) implements BurstDecision {}

  /** Bind the pod; {@code unschedulableFor} is how long the scheduler had failed to place it (zero if never). */
  record Bind(Route route, Duration unschedulableFor) implements BurstDecision {}

  static BurstDecision decide(Pod pod, Route route, Instant now, Duration delay, Supplier<Fit> fit) {
    Objects.requireNonNull(route, "route");
    if (route == Route.NONE) {
      return new Skip("no ECI marker");
    }
    if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
      return new Skip("already bound");
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return new Skip("being deleted");
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (phase != null && !"Pending".equals(phase)) {
      return new Skip("phase " + phase);
    }
    if (pod.getSpec().getSchedulingGates() != null && !pod.getSpec().getSchedulingGates().isEmpty()) {
      return new Skip("scheduling gates");
    }
    String nominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
    if (nominated != null && !nominated.isEmpty()) {
      // The scheduler is preempting pods on that node to make room for this one.
      return new Skip("nominated to node " + nominated);
    }
    Instant since = unschedulableSince(pod, now);
    Duration unschedulableFor = since == null || since.isAfter(now) ? Duration.ZERO : Duration.between(since, now);
    if (route == Route.BURST) {
      if (since == null) {
        return new Skip("not marked Unschedulable by the scheduler");
      }
      if (unschedulableFor.compareTo(delay) < 0) {
        return new Wait(delay.minus(unschedulableFor));
      }
    }
    Fit result = fit.get();
    return result.ok() ? new Bind(route, unschedulableFor) : new Refuse(result);
  }

  /**
   * When the scheduler marked the pod {@code PodScheduled=False} with reason {@code Unschedulable}; null if it
   * did not. A missing or unreadable transition time counts as now (the delay then starts now).
   */
  static Instant unschedulableSince(Pod pod, Instant now) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
          && "Unschedulable".equals(c.getReason())) {
        if (c.getLastTransitionTime() == null || c.getLastTransitionTime().isEmpty()) {
          return now;
        }
        try {
          return Instant.parse(c.getLastTransitionTime());
        } catch (DateTimeParseException e) {
          return now;
        }
      }
    }
    return null;
  }
}
