package io.ecivk.eci.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared follow budget, driven tick by tick on a manual clock with polls run inline. */
class FollowSchedulerTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final FollowScheduler scheduler =
      new FollowScheduler(clock, Runnable::run, Duration.ofSeconds(1), Duration.ofSeconds(10));

  /** A follower that always finds new lines (a busy container) unless told otherwise. */
  private final class Fake implements FollowScheduler.Follower {
    final List<Instant> polls = new ArrayList<>();
    boolean busy = true;
    boolean ready = true;

    @Override
    public boolean ready() {
      return ready;
    }

    @Override
    public boolean poll() {
      polls.add(clock.instant());
      return busy;
    }
  }

  /** Runs {@code seconds} of ticks at 400 a minute (one every 150 ms). */
  private void run(int seconds) {
    for (int tick = 0; tick < seconds * 1000 / 150; tick++) {
      clock.advance(Duration.ofMillis(150));
      scheduler.tick();
    }
  }

  private static Duration maxGap(List<Instant> polls) {
    Duration max = Duration.ZERO;
    for (int i = 1; i < polls.size(); i++) {
      Duration gap = Duration.between(polls.get(i - 1), polls.get(i));
      max = gap.compareTo(max) > 0 ? gap : max;
    }
    return max;
  }

  @Test
  void fiftyBusyFollowersShareTheBudgetRoundRobin() {
    List<Fake> followers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Fake fake = new Fake();
      followers.add(fake);
      scheduler.register(fake);
    }

    run(60);

    long total = followers.stream().mapToLong(f -> f.polls.size()).sum();
    assertThat(total).isLessThanOrEqualTo(400); // never more than one poll a tick
    assertThat(followers).allSatisfy(f -> {
      assertThat(f.polls.size()).isBetween(7, 9);
      assertThat(maxGap(f.polls)).isEqualTo(Duration.ofMillis(7500)); // 50 × 150 ms
    });
    assertThat(scheduler.maxPollGap()).isEqualTo(Duration.ofMillis(7500));
  }

  @Test
  void twentyBusyFollowersAreEachPolledWithinThreeSeconds() {
    List<Fake> followers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Fake fake = new Fake();
      followers.add(fake);
      scheduler.register(fake);
    }

    run(60);

    assertThat(followers).allSatisfy(f -> assertThat(maxGap(f.polls)).isLessThanOrEqualTo(Duration.ofSeconds(3)));
  }

  @Test
  void quietFollowersBackOffAndLeaveTheBudgetToBusyOnes() {
    Map<Fake, Boolean> all = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      Fake quiet = new Fake();
      quiet.busy = false;
      all.put(quiet, false);
      scheduler.register(quiet);
    }
    List<Fake> busy = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Fake fake = new Fake();
      busy.add(fake);
      scheduler.register(fake);
    }

    run(60); // let the quiet ones reach their longest interval
    busy.forEach(f -> f.polls.clear());
    all.keySet().forEach(f -> f.polls.clear());
    run(60);

    // Plain round robin would poll everybody every 50 × 150 ms = 7.5 s. The 40 quiet followers, polled every 10 s
    // (+ their wait for a turn), cost about 3.3 of the 6.7 polls a second, so the busy ones come round about every
    // 3 s: 10/(1 s + L) + 40/(10 s + L) = 6.7/s gives a lag L of 2 s.
    Duration worstBusy = busy.stream().map(f -> maxGap(f.polls)).max(Duration::compareTo).orElseThrow();
    System.out.println("FollowSchedulerTest: 10 busy + 40 quiet followers, worst busy poll gap " + worstBusy);
    assertThat(worstBusy).isLessThanOrEqualTo(Duration.ofMillis(3500));
    assertThat(all.keySet()).allSatisfy(f -> assertThat(f.polls.size()).isBetween(4, 7));
  }

  @Test
  void aFollowerWhoseReaderLagsIsNotPolledAndAFollowerIsNeverPolledTwiceAtOnce() {
    Fake slow = new Fake();
    slow.ready = false;
    Fake other = new Fake();
    scheduler.register(slow);
    scheduler.register(other);

    run(5);

    assertThat(slow.polls).isEmpty();
    assertThat(other.polls).hasSizeBetween(4, 6); // once a second, its minimum interval
    scheduler.unregister(other);
    run(2);
    assertThat(other.polls).hasSizeBetween(4, 6);
    assertThat(scheduler.followers()).isEqualTo(1);
  }
}
