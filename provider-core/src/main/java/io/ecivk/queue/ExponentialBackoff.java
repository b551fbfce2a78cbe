package io.ecivk.queue;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** {@link BackoffPolicy#exponential}: immutable, and thread-safe as far as its random source is. */
final class ExponentialBackoff implements BackoffPolicy {
  static final ExponentialBackoff DEFAULTS =
      new ExponentialBackoff(
          Duration.ofMillis(100),
          Duration.ofSeconds(30),
          12,
          Duration.ofMinutes(5),
          0.2,
          BackoffPolicy.threadLocalRandom());

  private final long baseNanos;
  private final long fastCapNanos;
  private final int fastAttempts;
  private final long slowIntervalNanos;
  private final double jitter;
  private final RandomGenerator random;

  ExponentialBackoff(
      Duration base,
      Duration fastCap,
      int fastAttempts,
      Duration slowInterval,
      double jitter,
      RandomGenerator random) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(fastCap, "fastCap");
    Objects.requireNonNull(slowInterval, "slowInterval");
    this.random = Objects.requireNonNull(random, "random");
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("base must be positive: " + base);
    }
    if (fastCap.compareTo(base) < 0) {
      throw new IllegalArgumentException("fastCap " + fastCap + " must not be below base " + base);
    }
    if (fastAttempts < 0) {
      throw new IllegalArgumentException("fastAttempts must not be negative: " + fastAttempts);
    }
    if (slowInterval.isNegative() || slowInterval.isZero()) {
      throw new IllegalArgumentException("slowInterval must be positive: " + slowInterval);
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
    }
    // toNanos() throws for durations beyond ~292 years, which rejects absurd values here rather than later.
    this.baseNanos = base.toNanos();
    this.fastCapNanos = fastCap.toNanos();
    this.fastAttempts = fastAttempts;
    this.slowIntervalNanos = slowInterval.toNanos();
    this.jitter = jitter;
  }

  @Override
  public Duration delay(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures is 1-based: " + failures);
    }
    long nanos = failures <= fastAttempts ? fastNanos(failures - 1) : slowIntervalNanos;
    return Duration.ofNanos(jittered(nanos));
  }

  @Override
  public int fastAttempts() {
    return fastAttempts;
  }

  /** {@code min(base * 2^doublings, fastCap)} without overflowing, however large {@code doublings} is. */
  private long fastNanos(int doublings) {
    // base > floor(cap / 2^d) implies base * 2^d > cap; otherwise base * 2^d <= cap and the shift cannot overflow.
    if (doublings >= Long.SIZE - 1 || baseNanos > (fastCapNanos >> doublings)) {
      return fastCapNanos;
    }
    return baseNanos << doublings;
  }

  private long jittered(long nanos) {
    if (jitter == 0) {
      return nanos;
    }
    double factor = 1 + jitter * (2 * random.nextDouble() - 1);
    // Math.round saturates at Long.MAX_VALUE, and factor > 0 because jitter < 1.
    return Math.max(0, Math.round(nanos * factor));
  }

  @Override
  public String toString() {
    return "ExponentialBackoff[base=" + Duration.ofNanos(baseNanos) + ", fastCap=" + Duration.ofNanos(fastCapNanos)
        + ", fastAttempts=" + fastAttempts + ", slowInterval=" + Duration.ofNanos(slowIntervalNanos)
        + ", jitter=" + jitter + "]";
  }
}
