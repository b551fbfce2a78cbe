package io.ecivk.eci.client.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One token bucket, as the generic cell rate algorithm: it keeps the theoretical arrival time {@code tat} of
 * the next call and admits a call at {@code now} when {@code tat - now} is at most {@code (burst - 1) *
 * interval}. Exact integer arithmetic on the injected clock, so tests can step time and expect literal values.
 * Thread-safe.
 */
public final class TokenBucket {
  private final RateLimit limit;
  private final Clock clock;
  private final Duration tolerance;
  private Instant tat;

  public TokenBucket(RateLimit limit, Clock clock) {
    this.limit = Objects.requireNonNull(limit, "limit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tolerance = limit.interval().multipliedBy(limit.burst() - 1L);
  }

  public RateLimit limit() {
    return limit;
  }

  /**
   * Takes a token if one is available now or within {@code maxWait}. Returns how long the caller must wait
   * before making its call (zero: at once), or, when no token is available within {@code maxWait}, a
   * {@link Decision} that is not granted and whose {@code delay} is the time until one is; the bucket is then
   * unchanged.
   */
  public synchronized Decision acquire(Duration maxWait) {
    Instant now = clock.instant();
    Instant from = tat == null || tat.isBefore(now) ? now : tat;
    Duration wait = Duration.between(now, from).minus(tolerance);
    if (wait.isNegative()) {
      wait = Duration.ZERO;
    }
    if (wait.compareTo(maxWait) > 0) {
      return new Decision(false, wait);
    }
    tat = from.plus(limit.interval());
    return new Decision(true, wait);
  }

  /**
   * What {@link #acquire} decided.
   *
   * @param granted whether a token was taken
   * @param delay granted: how long to wait before calling; not granted: the time until a token is available
   */
  public record Decision(boolean granted, Duration delay) {}
}
