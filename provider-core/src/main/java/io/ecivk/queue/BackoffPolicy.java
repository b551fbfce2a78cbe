package io.ecivk.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Per-key retry delays: how long a key that failed {@code failures} times in a row waits before its next attempt.
 * Used by {@link WorkQueue#addRateLimited}; the queue counts the failures, the policy only maps a count to a
 * delay.
 *
 * <p>Implementations must be thread-safe and cheap: the queue calls them from every worker thread.
 */
public interface BackoffPolicy {

  /**
   * Delay before retry number {@code failures} (1-based) of one key.
   *
   * @param failures consecutive failures of the key so far, at least 1
   * @return not negative
   * @throws IllegalArgumentException if {@code failures < 1}
   */
  Duration delay(int failures);

  /**
   * How many consecutive failures count as "fast attempts", after which the policy has settled into slow
   * retries. {@link QueueWorkers} logs every failure past this count at WARN and the ones before it (except the
   * first) at DEBUG, so a key that keeps failing is visible without a log storm.
   *
   * <p>The default, {@link Integer#MAX_VALUE}, suits ad-hoc policies (a lambda in a test): only the first failure
   * of a streak is logged at WARN.
   */
  default int fastAttempts() {
    return Integer.MAX_VALUE;
  }

  /**
   * The production policy: 100 ms doubling per failure, capped at 30 s, for the first 12 failures (about two
   * minutes in all, enough to ride out a short outage or a throttling burst); then a slow retry every 5 minutes,
   * forever, so a key that cannot succeed costs almost nothing. Every delay gets ±20% jitter so that keys that
   * failed together (a backend outage) do not retry in lockstep.
   *
   * <p>Without jitter the sequence is 100 ms, 200 ms, 400 ms, 800 ms, 1.6 s, 3.2 s, 6.4 s, 12.8 s, 25.6 s, 30 s,
   * 30 s, 30 s, then 5 min for every further failure.
   */
  static BackoffPolicy defaults() {
    return ExponentialBackoff.DEFAULTS;
  }

  /**
   * Exponential backoff with a fast phase and a slow phase.
   *
   * <p>Failure {@code n} (1-based) waits {@code min(base * 2^(n-1), fastCap)} while {@code n <= fastAttempts}, and
   * {@code slowInterval} after that. Each delay is then multiplied by a factor drawn uniformly from {@code [1 -
   * jitter, 1 + jitter)}.
   *
   * @param base the first delay; positive
   * @param fastCap the largest delay of the fast phase; at least {@code base}
   * @param fastAttempts failures in the fast phase; 0 means slow retries only
   * @param slowInterval the delay of every failure after the fast phase; positive
   * @param jitter relative jitter in {@code [0, 1)}; 0 disables it and {@code random} is never called
   * @param random the jitter source; called from many threads at once, so it must be thread-safe (a {@link
   *     java.util.Random} is; a {@link java.util.SplittableRandom} is not)
   */
  static BackoffPolicy exponential(
      Duration base,
      Duration fastCap,
      int fastAttempts,
      Duration slowInterval,
      double jitter,
      RandomGenerator random) {
    return new ExponentialBackoff(base, fastCap, fastAttempts, slowInterval, jitter, random);
  }

  /**
   * A jitter source that is safe to share between threads without contention: every call goes to the calling
   * thread's own {@link ThreadLocalRandom}, which must never be captured and used from another thread.
   */
  static RandomGenerator threadLocalRandom() {
    return () -> ThreadLocalRandom.current().nextLong();
  }
}
