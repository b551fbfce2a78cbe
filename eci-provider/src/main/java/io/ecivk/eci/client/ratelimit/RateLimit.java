package io.ecivk.eci.client.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket: up to {@code burst} calls at once, then one more call every {@code interval}.
 *
 * @param burst the bucket's size, the calls that may be made back to back after a quiet period (at least 1)
 * @param interval the time to refill one token (positive)
 */
public record RateLimit(int burst, Duration interval) {

  public RateLimit {
    Objects.requireNonNull(interval, "interval");
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
  }

  /** A bucket of {@code burst} tokens refilled at {@code perSecond} tokens a second. */
  public static RateLimit of(int burst, int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be at least 1, got " + perSecond);
    }
    return new RateLimit(burst, Duration.ofNanos(1_000_000_000L / perSecond));
  }

  /**
   * At most {@code calls} calls in any 60 seconds: a burst of a tenth of them, the other nine tenths spread over
   * the minute. (A bucket of {@code calls} tokens refilled at {@code calls} a minute would allow twice the limit
   * in the minute after a quiet period.)
   */
  public static RateLimit perMinute(int calls) {
    if (calls < 2) {
      throw new IllegalArgumentException("calls must be at least 2, got " + calls);
    }
    int burst = Math.max(1, calls / 10);
    return new RateLimit(burst, Duration.ofNanos(60_000_000_000L / (calls - burst)));
  }
}
