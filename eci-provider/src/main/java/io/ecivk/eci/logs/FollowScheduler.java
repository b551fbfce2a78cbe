package io.ecivk.eci.logs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares the DescribeContainerLog budget fairly among all followers ({@code kubectl logs -f} streams).
 *
 * <p>Each {@link #tick()} starts at most one poll; ticks come every {@code 60 s / pollsPerMinute}, so followers
 * together never poll more than {@code pollsPerMinute}, whatever their number. Each follower is due a while after
 * its last poll: 1 s after a poll that brought lines, doubling up to {@code maxIdleInterval} (default 10 s) while
 * polls bring nothing, so quiet containers leave the budget to busy ones. A tick polls the eligible follower that
 * has been due the longest (earliest deadline first; ties to the one polled least recently); eligible means due,
 * not polling already, and its reader has taken the previous output (back-pressure: a slow client stops its polls
 * instead of buffering). Earliest-deadline order is what keeps this fair: plain round robin lets the quiet
 * followers, which fall due together, hold up the busy ones in a convoy. With {@code N} busy followers, each is
 * polled every {@code max(1 s, N × tick)}.
 *
 * <p>The arithmetic: ECI allows 500 DescribeContainerLog calls a minute (the client's limiter lets 450 a minute
 * through steadily, plus a burst of 50). With the default 400 a minute for followers (the rest is for one-shot
 * reads), 25 busy followers are each polled every 3.75 s, and 50 every 7.5 s; new lines show within 3 s only up
 * to 20 busy followers (400/min × 3 s). 50 busy followers within 3 s would need 1000 calls a minute, twice what ECI
 * allows. Mostly quiet followers are cheaper: with 10 busy and 40 quiet ones the busy are polled about every 3 s
 * and the quiet every 12 s ({@code 10/(1 s + L) + 40/(10 s + L) = 6.7/s} gives a lag {@code L} of 2 s). Beyond that the latency grows and is reported ({@link #worstPollGap()}, and a log line when it passes
 * 3 s); the budget is never exceeded.
 */
final class FollowScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(FollowScheduler.class);
  static final Duration TARGET_LATENCY = Duration.ofSeconds(3);

  /** A follow stream as the scheduler sees it. */
  interface Follower {
    /** Whether it may be polled now (its reader keeps up and no poll of it is running). */
    boolean ready();

    /** Polls once, blocking (on a worker); returns whether new lines came. */
    boolean poll();
  }

  private final class Entry {
    final Follower follower;
    Instant lastPoll;
    Instant due;
    Duration interval = minInterval;
    boolean polling;

    Entry(Follower follower, Instant now) {
      this.follower = follower;
      this.lastPoll = now;
      this.due = now;
    }
  }

  private final Clock clock;
  private final Executor workers;
  private final Duration minInterval;
  private final Duration maxIdleInterval;
  private final List<Entry> rotation = new ArrayList<>();
  private final AtomicLong polls = new AtomicLong();
  private volatile Duration lastGap = Duration.ZERO;
  private volatile Duration maxGap = Duration.ZERO;
  private Instant lastWarning;

  FollowScheduler(Clock clock, Executor workers, Duration minInterval, Duration maxIdleInterval) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.workers = Objects.requireNonNull(workers, "workers");
    this.minInterval = minInterval;
    this.maxIdleInterval = maxIdleInterval;
  }

  synchronized void register(Follower follower) {
    rotation.add(new Entry(follower, clock.instant()));
  }

  synchronized void unregister(Follower follower) {
    rotation.removeIf(entry -> entry.follower == follower);
  }

  synchronized int followers() {
    return rotation.size();
  }

  /** Polls made so far. */
  long polls() {
    return polls.get();
  }

  /** The time between the two latest polls of the follower polled last. */
  Duration lastPollGap() {
    return lastGap;
  }

  /** The longest time between two polls of one follower seen so far: the worst extra latency of a line. */
  Duration maxPollGap() {
    return maxGap;
  }

  /** How long the follower waiting longest has now gone without a poll. */
  synchronized Duration worstPollGap() {
    Instant now = clock.instant();
    Duration worst = Duration.ZERO;
    for (Entry entry : rotation) {
      Duration gap = Duration.between(entry.lastPoll, now);
      if (gap.compareTo(worst) > 0) {
        worst = gap;
      }
    }
    return worst;
  }

  /** Starts at most one poll. Never blocks. */
  void tick() {
    Entry chosen = null;
    Instant now = clock.instant();
    synchronized (this) {
      for (Entry entry : rotation) {
        if (entry.polling || now.isBefore(entry.due) || !entry.follower.ready()) {
          continue;
        }
        if (chosen == null || entry.due.isBefore(chosen.due)
            || (entry.due.equals(chosen.due) && entry.lastPoll.isBefore(chosen.lastPoll))) {
          chosen = entry;
        }
      }
      if (chosen != null) {
        chosen.polling = true;
      }
      if (chosen == null) {
        return;
      }
      Duration gap = Duration.between(chosen.lastPoll, now);
      chosen.lastPoll = now;
      lastGap = gap;
      if (gap.compareTo(maxGap) > 0) {
        maxGap = gap;
      }
      if (gap.compareTo(TARGET_LATENCY.plus(minInterval)) > 0
          && (lastWarning == null || Duration.between(lastWarning, now).toSeconds() >= 60)) {
        lastWarning = now;
        LOG.info("log follow latency above target followers={} pollGapMs={} targetMs={}", rotation.size(),
            gap.toMillis(), TARGET_LATENCY.toMillis());
      }
    }
    polls.incrementAndGet();
    Entry entry = chosen;
    workers.execute(() -> {
      boolean fresh = false;
      try {
        fresh = entry.follower.poll();
      } finally {
        synchronized (FollowScheduler.this) {
          entry.polling = false;
          entry.interval = fresh ? minInterval : min(entry.interval.multipliedBy(2), maxIdleInterval);
          entry.due = clock.instant().plus(entry.interval);
        }
      }
    });
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
