package io.ecivk.queue;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a successful {@link Reconciler#reconcile} asks for next. There is no "failed" result and no requeue flag:
 * a reconcile that failed throws, so every result here is a success and resets the key's backoff.
 *
 * <p>Immutable; built only through the static factories, so an invalid combination cannot be expressed.
 */
public final class SyncResult {
  private static final SyncResult DONE = new SyncResult(null);

  private final Duration requeueDelay;

  private SyncResult(Duration requeueDelay) {
    this.requeueDelay = requeueDelay;
  }

  /** The key is in line with the world; it is reconciled again only when someone adds it again. */
  public static SyncResult done() {
    return DONE;
  }

  /**
   * The key is in line for now but should be looked at again after {@code delay}: a level-triggered periodic
   * re-check (for example of a backend that sends no events), not a retry. Resets the key's backoff.
   *
   * @param delay not negative; zero re-queues the key at once
   */
  public static SyncResult requeueAfter(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    return new SyncResult(delay);
  }

  /** The delay of a {@link #requeueAfter} result; empty for {@link #done()}. */
  public Optional<Duration> requeueDelay() {
    return Optional.ofNullable(requeueDelay);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyncResult other && Objects.equals(requeueDelay, other.requeueDelay);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(requeueDelay);
  }

  @Override
  public String toString() {
    return requeueDelay == null ? "SyncResult[done]" : "SyncResult[requeueAfter " + requeueDelay + "]";
  }
}
