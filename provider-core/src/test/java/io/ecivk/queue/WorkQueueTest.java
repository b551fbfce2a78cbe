package io.ecivk.queue;

import io.ecivk.testkit.ManualClock;
import java.time.Instant;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  /** The production shape without jitter, so delays are exact. */
  static final BackoffPolicy NO_JITTER =
      BackoffPolicy.exponential(ofMillis(100), ofSeconds(30), 12, ofMinutes(5), 0, new Random(0));

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final WorkQueue<String> queue = WorkQueue.create("test", clock, scheduler, NO_JITTER);

  @AfterEach
  void closeQueue() {
    queue.close();
  }

  @Test
  void addingAKeyThreeTimesQueuesItOnce() throws Exception {
    queue.add("a");
    queue.add("a");
    queue.add("a");

    assertThat(queue.depth()).isEqualTo(1);
    assertThat(queue.take()).isEqualTo("a");
    assertThat(queue.depth()).isZero();
    queue.done("a");
    assertThat(queue.depth()).isZero();
    assertThat(queue.stats()).isEqualTo(new WorkQueue.Stats(0, 0, 0, 0));
  }

  @Test
  void readyKeysAreHandedOutInOrder() throws Exception {
    queue.add("a");
    queue.add("b");
    queue.add("a");
    queue.add("c");

    assertThat(List.of(queue.take(), queue.take(), queue.take())).containsExactly("a", "b", "c");
  }

  @Test
  void aKeyAddedWhileProcessingIsNotHandedOutUntilDoneThenOnceMore() throws Exception {
    queue.add("a");
    assertThat(queue.take()).isEqualTo("a");

    queue.add("a");
    queue.add("a");
    queue.add("b");

    // Another taker gets b, never a second a.
    assertThat(queue.depth()).isEqualTo(1);
    assertThat(queue.take()).isEqualTo("b");
    assertThat(queue.depth()).isZero();

    queue.done("a");
    assertThat(queue.depth()).isEqualTo(1);
    assertThat(queue.take()).isEqualTo("a");
    queue.done("a");
    assertThat(queue.depth()).isZero();
  }

  @Test
  void aKeyNotAddedWhileProcessingIsNotRedelivered() throws Exception {
    queue.add("a");
    queue.done(queue.take());

    assertThat(queue.depth()).isZero();
  }

  @Test
  void doneForAKeyThatIsNotBeingProcessedIsRejected() throws Exception {
    assertThatThrownBy(() -> queue.done("never-taken")).isInstanceOf(IllegalArgumentException.class);

    queue.add("a");
    queue.done(queue.take());
    assertThatThrownBy(() -> queue.done("a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void addAfterMakesTheKeyReadyWhenTheClockReachesTheDueTime() {
    queue.addAfter("a", ofSeconds(2));
    assertThat(queue.depth()).isZero();

    scheduler.advance(ofMillis(1999));
    assertThat(queue.depth()).isZero();

    scheduler.advance(ofMillis(1));
    assertThat(queue.depth()).isEqualTo(1);
  }

  @Test
  void addAfterKeepsOnlyTheEarliestDueTimePerKey() throws Exception {
    queue.addAfter("a", ofSeconds(10));
    queue.addAfter("a", ofSeconds(2));
    queue.addAfter("a", ofSeconds(5));

    // One entry and one live timer, however often the key was added.
    assertThat(queue.stats().delayed()).isEqualTo(1);
    assertThat(scheduler.pending()).isEqualTo(1);

    scheduler.advance(ofMillis(1999));
    assertThat(queue.depth()).isZero();
    scheduler.advance(ofMillis(1));
    assertThat(queue.depth()).isEqualTo(1);
    queue.done(queue.take());

    // The later times were subsumed by the earliest one, not kept for later.
    scheduler.advance(ofSeconds(60));
    assertThat(queue.depth()).isZero();
    assertThat(queue.stats().delayed()).isZero();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void anImmediateAddSupersedesAPendingDelayedOne() throws Exception {
    queue.addAfter("a", ofSeconds(10));
    queue.add("a");

    assertThat(queue.depth()).isEqualTo(1);
    assertThat(queue.stats().delayed()).isZero();
    assertThat(scheduler.pending()).isZero();
    queue.done(queue.take());

    scheduler.advance(ofSeconds(10));
    assertThat(queue.depth()).isZero();
  }

  @Test
  void addAfterForAKeyThatIsAlreadyReadyDoesNothing() throws Exception {
    queue.add("a");
    queue.addAfter("a", ofSeconds(1));

    assertThat(queue.stats().delayed()).isZero();
    queue.done(queue.take());
    scheduler.advance(ofSeconds(1));
    assertThat(queue.depth()).isZero();
  }

  @Test
  void aDelayedKeyFallingDueWhileProcessingIsRedeliveredAfterDone() throws Exception {
    queue.add("a");
    assertThat(queue.take()).isEqualTo("a");
    queue.addAfter("a", ofSeconds(1));

    scheduler.advance(ofSeconds(1));
    assertThat(queue.depth()).isZero();

    queue.done("a");
    assertThat(queue.take()).isEqualTo("a");
  }

  @Test
  void addAfterWithAZeroOrNegativeDelayIsAnImmediateAdd() throws Exception {
    queue.addAfter("a", Duration.ZERO);
    queue.addAfter("b", ofMillis(-5));

    assertThat(queue.depth()).isEqualTo(2);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void theClockNotTheSchedulerDecidesWhenAKeyIsDue() {
    // The scheduler runs on its own time here, ahead of the queue's clock.
    ManualClock queueClock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    WorkQueue<String> q = WorkQueue.create("skewed", queueClock, scheduler, NO_JITTER);

    q.addAfter("a", ofSeconds(5));
    queueClock.advance(ofSeconds(4));
    scheduler.advance(ofSeconds(5));

    assertThat(q.depth()).isZero();
    assertThat(scheduler.pending()).isEqualTo(1); // re-armed for the remaining second

    queueClock.advance(ofSeconds(1));
    scheduler.advance(ofSeconds(1));
    assertThat(q.depth()).isEqualTo(1);
  }

  @Test
  void rateLimitedDelaysDoubleFromOneHundredMillisUpToThirtySecondsThenSettleAtFiveMinutes() {
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      delays.add(queue.addRateLimited("a", Duration.ZERO));
    }

    assertThat(delays)
        .containsExactly(
            ofMillis(100),
            ofMillis(200),
            ofMillis(400),
            ofMillis(800),
            ofMillis(1600),
            ofMillis(3200),
            ofMillis(6400),
            ofMillis(12800),
            ofMillis(25600),
            ofSeconds(30),
            ofSeconds(30),
            ofSeconds(30),
            ofMinutes(5),
            ofMinutes(5),
            ofMinutes(5));
    assertThat(queue.failures("a")).isEqualTo(15);
  }

  @Test
  void aRateLimitedKeyBecomesReadyAfterItsBackoff() {
    queue.addRateLimited("a", Duration.ZERO);

    scheduler.advance(ofMillis(99));
    assertThat(queue.depth()).isZero();
    scheduler.advance(ofMillis(1));
    assertThat(queue.depth()).isEqualTo(1);
  }

  @Test
  void theAtLeastHintWinsWhenItIsLargerThanTheBackoff() {
    assertThat(queue.addRateLimited("a", ofSeconds(2))).isEqualTo(ofSeconds(2));
    scheduler.advance(ofMillis(1999));
    assertThat(queue.depth()).isZero();
    scheduler.advance(ofMillis(1));
    assertThat(queue.depth()).isEqualTo(1);

    // Smaller than the backoff (second failure: 200 ms): the backoff wins.
    assertThat(queue.addRateLimited("b", Duration.ZERO)).isEqualTo(ofMillis(100));
    assertThat(queue.addRateLimited("b", ofMillis(50))).isEqualTo(ofMillis(200));
    assertThat(queue.failures("a")).isEqualTo(1);
    assertThat(queue.failures("b")).isEqualTo(2);
  }

  @Test
  void forgetResetsTheFailureCountAndFreesIt() {
    queue.addRateLimited("a", Duration.ZERO);
    queue.addRateLimited("a", Duration.ZERO);
    queue.addRateLimited("a", Duration.ZERO);
    assertThat(queue.failures("a")).isEqualTo(3);
    assertThat(queue.stats().failing()).isEqualTo(1);

    queue.forget("a");

    assertThat(queue.failures("a")).isZero();
    assertThat(queue.stats().failing()).isZero();
    assertThat(queue.addRateLimited("a", Duration.ZERO)).isEqualTo(ofMillis(100));
  }

  @Test
  void addRateLimitedRejectsANegativeHint() {
    assertThatThrownBy(() -> queue.addRateLimited("a", ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(queue.failures("a")).isZero();
  }

  @Test
  void closeWakesEveryBlockedTaker() {
    List<CompletableFuture<String>> takers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      CompletableFuture<String> result = new CompletableFuture<>();
      Thread thread =
          new Thread(
              () -> {
                try {
                  result.complete(queue.take());
                } catch (Throwable t) {
                  result.completeExceptionally(t);
                }
              },
              "taker-" + i);
      thread.start();
      takers.add(result);
      threads.add(thread);
    }
    await().atMost(5, TimeUnit.SECONDS)
        .until(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));

    queue.close();

    for (CompletableFuture<String> taker : takers) {
      assertThatThrownBy(() -> taker.orTimeout(5, TimeUnit.SECONDS).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(QueueClosedException.class);
    }
    await().atMost(5, TimeUnit.SECONDS).until(() -> threads.stream().noneMatch(Thread::isAlive));
  }

  @Test
  void afterCloseTakeThrowsAddsAreIgnoredAndTimersAreCancelled() throws Exception {
    queue.add("taken");
    String taken = queue.take();
    queue.add("a");
    queue.addAfter("b", ofSeconds(1));
    queue.addRateLimited("c", Duration.ZERO);

    queue.close();
    queue.close(); // idempotent

    assertThatThrownBy(queue::take).isInstanceOf(QueueClosedException.class);
    queue.add("d");
    queue.addAfter("e", ofSeconds(1));
    scheduler.advance(ofSeconds(10));
    assertThat(queue.depth()).isZero();
    assertThat(scheduler.pending()).isZero();
    assertThat(queue.isClosed()).isTrue();

    // A worker finishing after close may still say done.
    queue.done(taken);
    assertThat(queue.stats()).isEqualTo(new WorkQueue.Stats(0, 0, 0, 0));
  }

  @Test
  void takeIsInterruptible() {
    CompletableFuture<Object> result = new CompletableFuture<>();
    Thread taker =
        new Thread(
            () -> {
              try {
                result.complete(queue.take());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            });
    taker.start();
    await().atMost(5, TimeUnit.SECONDS).until(() -> taker.getState() == Thread.State.WAITING);

    taker.interrupt();

    assertThatThrownBy(() -> result.orTimeout(5, TimeUnit.SECONDS).join())
        .hasCauseInstanceOf(InterruptedException.class);
    queue.add("a");
    assertThat(queue.depth()).isEqualTo(1); // nothing was taken by the interrupted taker
  }
}
