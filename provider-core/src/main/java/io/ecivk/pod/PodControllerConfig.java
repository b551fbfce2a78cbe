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
 */
public record PodControllerConfig(String nodeName, String component, int workers, Duration resyncPeriod) {
  public static final int DEFAULT_WORKERS = 10;
  public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(1);

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
  }

  public static PodControllerConfig defaults(String nodeName, String component) {
    return new PodControllerConfig(nodeName, component, DEFAULT_WORKERS, DEFAULT_RESYNC);
  }
}
