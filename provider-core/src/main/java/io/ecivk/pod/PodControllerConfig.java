package io.ecivk.pod;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link PodController}.
 *
 * @param nodeName the virtual node whose pods this controller runs
 * @param component the name Events are reported under, e.g. {@code eci-virtual-kubelet}
 * @param workers how many pods are reconciled in parallel (provider calls block, so this bounds concurrency)
 * @param resyncPeriod how often every pod is reconciled again even without a change (a safety net: missed
 *     notices heal within one period)
 * @param sweepInterval how often the orphan sweep runs after the first one (which runs once the informer has
 *     synced), when the provider is a {@link io.ecivk.spi.WorkloadLister}; each sweep lists the provider's
 *     workloads, so this bounds both the cost leak of a missed delete and the listing load on the backend
 * @param refuseDaemonSetPods whether pods owned by a DaemonSet are left Pending (reason
 *     {@code DaemonSetPodNotSupported}, one Warning event) instead of run: a DaemonSet's agent pod is meant for
 *     a real node's host and would only cost money on the provider. Default true
 */
public record PodControllerConfig(
    String nodeName, String component, int workers, Duration resyncPeriod, Duration sweepInterval,
    boolean refuseDaemonSetPods) {
  public static final int DEFAULT_WORKERS = 10;
  public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(1);
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(5);

  public PodControllerConfig {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(component, "component");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    Objects.requireNonNull(resyncPeriod, "resyncPeriod");
    if (resyncPeriod.isNegative() || resyncPeriod.isZero()) {
      throw new IllegalArgumentException("resyncPeriod must be positive, got " + resyncPeriod);
    }
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (sweepInterval.isNegative() || sweepInterval.isZero()) {
      throw new IllegalArgumentException("sweepInterval must be positive, got " + sweepInterval);
    }
  }

  /** Settings that refuse DaemonSet pods. */
  public PodControllerConfig(
      String nodeName, String component, int workers, Duration resyncPeriod, Duration sweepInterval) {
    this(nodeName, component, workers, resyncPeriod, sweepInterval, true);
  }

  /** Settings with the {@link #DEFAULT_SWEEP_INTERVAL default sweep interval}. */
  public PodControllerConfig(String nodeName, String component, int workers, Duration resyncPeriod) {
    this(nodeName, component, workers, resyncPeriod, DEFAULT_SWEEP_INTERVAL);
  }

  public static PodControllerConfig defaults(String nodeName, String component) {
    return new PodControllerConfig(nodeName, component, DEFAULT_WORKERS, DEFAULT_RESYNC, DEFAULT_SWEEP_INTERVAL);
  }

  /** These settings with another sweep interval. */
  public PodControllerConfig withSweepInterval(Duration sweepInterval) {
    return new PodControllerConfig(nodeName, component, workers, resyncPeriod, sweepInterval, refuseDaemonSetPods);
  }

  /** These settings with DaemonSet pods refused ({@code true}, the default) or run like any other pod. */
  public PodControllerConfig withRefuseDaemonSetPods(boolean refuse) {
    return new PodControllerConfig(nodeName, component, workers, resyncPeriod, sweepInterval, refuse);
  }
}
