package io.ecivk.node.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * A short, bounded, deterministic exponential backoff: {@code initial}, doubling on every failure, never more
 * than {@code max}; {@link #reset()} after a success. Not thread-safe: one owner, one thread at a time.
 *
 * <p>Used where a loop retries on its own timer instead of through a work queue (the Lease loop, node status
 * updates), as virtual-kubelet's {@code ensureLease} does (100 ms doubling to 7 s).
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;

  public Backoff(Duration initial, Duration max) {
    this.initial = Objects.requireNonNull(initial, "initial");
    this.max = Objects.requireNonNull(max, "max");
    if (initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
    this.next = initial;
  }

  /** The delay before the next attempt after one more failure. */
  public Duration next() {
    Duration d = next;
    next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
    return d;
  }

  /** Starts over at {@code initial}. */
  public void reset() {
    next = initial;
  }
}
