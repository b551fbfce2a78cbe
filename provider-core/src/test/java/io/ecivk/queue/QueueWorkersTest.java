package io.ecivk.queue;

import io.ecivk.testkit.ManualClock;
import java.time.Instant;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class QueueWorkersTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final WorkQueue<String> queue = WorkQueue.create("test", clock, scheduler, WorkQueueTest.NO_JITTER);
  private final List<QueueWorkers<?>> started = new ArrayList<>();

  private final Logger workersLog = (Logger) LoggerFactory.getLogger(QueueWorkers.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private Level previousLevel;

  @BeforeEach
  void captureLogs() {
    previousLevel = workersLog.getLevel();
    workersLog.setLevel(Level.DEBUG);
    // Captured, not printed: the failure tests would otherwise fill the build output with expected stack traces.
    workersLog.setAdditive(false);
    logged.start();
    workersLog.addAppender(logged);
  }

  @AfterEach
  void stopEverything() {
    started.forEach(QueueWorkers::close);
    queue.close();
    workersLog.detachAppender(logged);
    workersLog.setAdditive(true);
    workersLog.setLevel(previousLevel);
  }

  /** Polls fast: these conditions hold within microseconds, and the suite must stay quick. */
  private static ConditionFactory eventually() {
    return await().atMost(5, TimeUnit.SECONDS).pollDelay(Duration.ZERO).pollInterval(ofMillis(1));
  }

  private <K> QueueWorkers<K> start(String name, WorkQueue<K> q, Reconciler<K> reconciler, int workers) {
    QueueWorkers<K> pool = QueueWorkers.start(name, q, reconciler, workers);
    started.add(pool);
    return pool;
  }

  /** Waits until nothing is ready or in flight: every reconcile so far has been recorded and done. */
  private void awaitIdle(WorkQueue<?> q) {
    eventually().until(() -> q.stats().ready() == 0 && q.stats().inFlight() == 0);
  }

  private List<ILoggingEvent> eventsFor(String key) {
    synchronized (logged) {
      return logged.list.stream()
          .filter(e -> e.getArgumentArray() != null && List.of(e.getArgumentArray()).contains(key))
          .collect(Collectors.toList());
    }
  }

  private static ProviderException throttled(Duration retryAfter) {
    return new ProviderException(
        ErrorCategory.THROTTLED, "Throttling.User", "request was denied due to user flow control", "req-1",
        retryAfter, null);
  }

  /** Answers each key with the next of its scripted outcomes (the last one repeats) and counts calls. */
  private static final class ScriptedReconciler implements Reconciler<String> {
    private final Map<String, List<Function<String, SyncResult>>> script = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @SafeVarargs
    final ScriptedReconciler on(String key, Function<String, SyncResult>... outcomes) {
      script.put(key, List.of(outcomes));
      return this;
    }

    int calls(String key) {
      return calls.computeIfAbsent(key, k -> new AtomicInteger()).get();
    }

    @Override
    public SyncResult reconcile(String key) throws Exception {
      int call = calls.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
      List<Function<String, SyncResult>> outcomes = script.getOrDefault(key, List.of(k -> SyncResult.done()));
      try {
        return outcomes.get(Math.min(call, outcomes.size() - 1)).apply(key);
      } catch (Sneaky s) {
        throw s.checked;
      }
    }
  }

  /** Carries a checked exception out of a Function. */
  private static final class Sneaky extends RuntimeException {
    final Exception checked;

    Sneaky(Exception checked) {
      this.checked = checked;
    }
  }

  private static Function<String, SyncResult> fail(RuntimeException e) {
    return k -> {
      throw e;
    };
  }

  private static Function<String, SyncResult> failChecked(Exception e) {
    return k -> {
      throw new Sneaky(e);
    };
  }

  private static Function<String, SyncResult> returning(SyncResult result) {
    return k -> result;
  }

  @Test
  void aSuccessfulReconcileForgetsTheKeysFailures() {
    ScriptedReconciler reconciler =
        new ScriptedReconciler().on("a", fail(new IllegalStateException("first try")), returning(SyncResult.done()));
    start("success", queue, reconciler, 2);

    queue.add("a");
    eventually().until(() -> queue.failures("a") == 1);
    awaitIdle(queue);
    assertThat(queue.stats().delayed()).isEqualTo(1);

    scheduler.advance(ofMillis(100));
    eventually().until(() -> reconciler.calls("a") == 2);
    awaitIdle(queue);

    assertThat(queue.failures("a")).isZero();
    assertThat(queue.stats()).isEqualTo(new WorkQueue.Stats(0, 0, 0, 0));
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void requeueAfterResetsTheBackoffAndRequeuesAfterTheDelay() {
    ScriptedReconciler reconciler =
        new ScriptedReconciler()
            .on(
                "a",
                fail(new IllegalStateException("first try")),
                returning(SyncResult.requeueAfter(ofSeconds(30))),
                returning(SyncResult.done()));
    start("requeue", queue, reconciler, 2);

    queue.add("a");
    eventually().until(() -> queue.failures("a") == 1);
    awaitIdle(queue); // the retry's timer is armed only once the worker is done with the key
    scheduler.advance(ofMillis(100));
    eventually().until(() -> reconciler.calls("a") == 2);
    awaitIdle(queue);
    assertThat(queue.failures("a")).isZero();
    assertThat(queue.stats().delayed()).isEqualTo(1);

    scheduler.advance(ofMillis(29_999));
    assertThat(queue.depth()).isZero();
    assertThat(reconciler.calls("a")).isEqualTo(2);

    scheduler.advance(ofMillis(1));
    eventually().until(() -> reconciler.calls("a") == 3);
    awaitIdle(queue);
    assertThat(queue.stats()).isEqualTo(new WorkQueue.Stats(0, 0, 0, 0));
  }

  @Test
  void aFailureIsRetriedWithBackoffAndNeverGivenUp() {
    ScriptedReconciler reconciler = new ScriptedReconciler().on("a", failChecked(new IOException("connection reset")));
    start("backoff", queue, reconciler, 1);

    queue.add("a");
    // 100, 200, 400, ... ms: each retry comes exactly when its backoff is over.
    Duration expected = ofMillis(100);
    for (int failures = 1; failures <= 5; failures++) {
      int f = failures;
      eventually().until(() -> queue.failures("a") == f);
      awaitIdle(queue);
      scheduler.advance(expected.minusMillis(1));
      assertThat(queue.depth()).isZero();
      scheduler.advance(ofMillis(1));
      expected = expected.multipliedBy(2);
    }
    eventually().until(() -> reconciler.calls("a") == 6);
  }

  @Test
  void aProviderExceptionsRetryAfterHintDelaysTheRetryWhetherThrownOrWrapped() {
    ScriptedReconciler reconciler =
        new ScriptedReconciler()
            .on("direct", fail(throttled(ofSeconds(5))), returning(SyncResult.done()))
            .on(
                "wrapped",
                failChecked(new ExecutionException("async call failed", throttled(ofSeconds(5)))),
                returning(SyncResult.done()))
            .on("no-hint", fail(throttled(null)), returning(SyncResult.done()));
    start("hint", queue, reconciler, 2);

    queue.add("direct");
    queue.add("wrapped");
    queue.add("no-hint");
    eventually().until(() -> queue.stats().failing() == 3);
    awaitIdle(queue);

    scheduler.advance(ofMillis(100)); // the backoff alone: only the key without a hint is retried
    eventually().until(() -> reconciler.calls("no-hint") == 2);
    awaitIdle(queue);
    scheduler.advance(ofMillis(4_899));
    assertThat(queue.depth()).isZero();
    assertThat(reconciler.calls("direct")).isEqualTo(1);
    assertThat(reconciler.calls("wrapped")).isEqualTo(1);

    scheduler.advance(ofMillis(1));
    eventually().until(() -> reconciler.calls("direct") == 2 && reconciler.calls("wrapped") == 2);
    awaitIdle(queue);
    assertThat(queue.stats().failing()).isZero();
  }

  @Test
  void aWorkerSurvivesErrorsNullResultsAndLeakedInterrupts() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean interruptedOnEntry = new AtomicBoolean();
    Reconciler<String> reconciler =
        key -> {
          seen.add(key);
          threads.add(Thread.currentThread().getName());
          interruptedOnEntry.compareAndSet(false, Thread.currentThread().isInterrupted());
          switch (key) {
            case "assertion":
              throw new AssertionError("a bug");
            case "null":
              return null;
            case "interrupt":
              Thread.currentThread().interrupt();
              return SyncResult.done();
            default:
              return SyncResult.done();
          }
        };
    WorkQueue<String> q = WorkQueue.create("survive", clock, scheduler, WorkQueueTest.NO_JITTER);
    start("survive", q, reconciler, 1);

    q.add("assertion");
    q.add("null");
    q.add("interrupt");
    q.add("after");
    eventually().until(() -> q.failures("assertion") == 1 && q.failures("null") == 1);
    awaitIdle(q);

    // "after" came last and was reconciled by the same, still living, worker, with no interrupt leaked into it.
    assertThat(seen).containsExactly("assertion", "null", "interrupt", "after");
    assertThat(threads).containsExactly("survive-worker-1");
    assertThat(interruptedOnEntry).isFalse();
    assertThat(q.failures("interrupt")).isZero();
    q.close();
  }

  @Test
  void failuresAreLoggedAtWarnOnlyOnTheFirstAndAfterTheFastAttemptsAndProviderExceptionsWithoutStackTraces() {
    BackoffPolicy threeFast = BackoffPolicy.exponential(ofMillis(1), ofMillis(1), 3, ofSeconds(1), 0, new Random(0));
    WorkQueue<String> q = WorkQueue.create("logs", clock, scheduler, threeFast);
    ScriptedReconciler reconciler =
        new ScriptedReconciler()
            .on("provider", fail(throttled(null)))
            .on("bug", fail(new IllegalStateException("unexpected")));
    start("logs", q, reconciler, 2);

    q.add("provider");
    q.add("bug");
    for (int failures = 1; failures <= 5; failures++) {
      int f = failures;
      eventually().until(() -> q.failures("provider") == f);
      awaitIdle(q);
      if (failures < 5) {
        // Exactly the backoff: a retry that workers schedule while this runs falls due after it, not within it.
        scheduler.advance(failures <= 3 ? ofMillis(1) : ofSeconds(1));
      }
    }

    List<ILoggingEvent> provider = eventsFor("provider");
    assertThat(provider)
        .extracting(ILoggingEvent::getLevel)
        .containsExactly(Level.WARN, Level.DEBUG, Level.DEBUG, Level.WARN, Level.WARN);
    assertThat(provider).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    assertThat(provider.get(0).getFormattedMessage())
        .isEqualTo(
            "[logs] reconcile of provider failed (failure 1), retrying in 1ms: "
                + "ProviderException[THROTTLED Throttling.User]: request was denied due to user flow control"
                + " (request id req-1)");
    assertThat(provider.get(4).getFormattedMessage()).contains("(failure 5), retrying in 1s");

    ILoggingEvent firstBug = eventsFor("bug").get(0);
    assertThat(firstBug.getLevel()).isEqualTo(Level.WARN);
    assertThat(firstBug.getFormattedMessage()).contains("reconcile of bug failed (failure 1)");
    assertThat(firstBug.getThrowableProxy()).isNotNull();
    assertThat(firstBug.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
    q.close();
  }

  @Test
  void noTwoWorkersEverReconcileTheSameKeyAtOnceAndEveryAddIsSeen() throws Exception {
    int keys = 20;
    int producers = 4;
    int addsPerProducer = 250;
    Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    AtomicInteger maxInFlightPerKey = new AtomicInteger();
    AtomicLong sequence = new AtomicLong();
    Map<String, Long> lastAdded = new ConcurrentHashMap<>();
    Map<String, Long> lastStarted = new ConcurrentHashMap<>();
    AtomicInteger reconciles = new AtomicInteger();
    Reconciler<String> reconciler =
        key -> {
          lastStarted.put(key, sequence.incrementAndGet());
          int now = inFlight.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
          maxInFlightPerKey.accumulateAndGet(now, Math::max);
          for (int i = 0; i < 200; i++) {
            Thread.onSpinWait(); // a little work, so that overlaps would show if the queue allowed them
          }
          inFlight.get(key).decrementAndGet();
          reconciles.incrementAndGet();
          return SyncResult.done();
        };
    start("stress", queue, reconciler, 8);

    List<Thread> producerThreads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int seed = p;
      Thread producer =
          new Thread(
              () -> {
                Random random = new Random(seed);
                for (int i = 0; i < addsPerProducer; i++) {
                  String key = "key-" + random.nextInt(keys);
                  // Recorded before the add: a reconcile that starts after the add has a larger sequence number.
                  lastAdded.merge(key, sequence.incrementAndGet(), Math::max);
                  queue.add(key);
                }
              },
              "producer-" + p);
      producerThreads.add(producer);
      producer.start();
    }
    for (Thread producer : producerThreads) {
      producer.join(TimeUnit.SECONDS.toMillis(5));
      assertThat(producer.isAlive()).isFalse();
    }
    awaitIdle(queue);

    assertThat(maxInFlightPerKey).hasValue(1);
    assertThat(reconciles.get()).isBetween(keys, producers * addsPerProducer);
    assertThat(lastAdded).hasSize(keys);
    // Level-triggered delivery: after its last add, every key was reconciled (again).
    lastAdded.forEach((key, added) -> assertThat(lastStarted.get(key)).as(key).isGreaterThan(added));
    assertThat(queue.stats()).isEqualTo(new WorkQueue.Stats(0, 0, 0, 0));
  }

  @Test
  void closeStopsIdleWorkersAtOnceLetsABusyOneFinishItsReconcileAndJoinsThem() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean finished = new AtomicBoolean();
    AtomicReference<Thread> busyWorker = new AtomicReference<>();
    Reconciler<String> reconciler =
        key -> {
          busyWorker.set(Thread.currentThread());
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            interrupted.set(true);
          }
          finished.set(true);
          return SyncResult.done();
        };
    QueueWorkers<String> pool = start("closing", queue, reconciler, 3);
    List<Thread> workers = workerThreads("closing-worker-");
    assertThat(workers)
        .extracting(Thread::getName)
        .containsExactlyInAnyOrder("closing-worker-1", "closing-worker-2", "closing-worker-3");
    queue.add("slow");
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    Thread busy = busyWorker.get();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);

    eventually().until(() -> workers.stream().filter(t -> t != busy).noneMatch(Thread::isAlive));
    assertThat(busy.isAlive()).isTrue();
    assertThat(closing).isNotDone(); // still joining the busy worker, which is blocked on the latch
    assertThat(queue.isClosed()).isTrue();

    release.countDown();
    closing.get(5, TimeUnit.SECONDS);
    assertThat(workers).noneMatch(Thread::isAlive);
    assertThat(finished).isTrue();
    assertThat(interrupted).isFalse();
  }

  @Test
  void shutdownWaitsOnlyAsLongAsItIsTold() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    QueueWorkers<String> pool =
        start(
            "bounded",
            queue,
            key -> {
              entered.countDown();
              release.await();
              return SyncResult.done();
            },
            1);
    queue.add("slow");
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(pool.shutdown(ofMillis(20))).isFalse();

    release.countDown();
    assertThat(pool.shutdown(ofSeconds(5))).isTrue();
  }

  @Test
  void aReconcilerMayCloseItsOwnPool() throws Exception {
    AtomicReference<QueueWorkers<String>> self = new AtomicReference<>();
    CompletableFuture<Void> closedFromWorker = new CompletableFuture<>();
    QueueWorkers<String> pool =
        start(
            "self-closing",
            queue,
            key -> {
              self.get().close();
              closedFromWorker.complete(null);
              return SyncResult.done();
            },
            2);
    self.set(pool);

    queue.add("stop");

    closedFromWorker.get(5, TimeUnit.SECONDS);
    eventually().until(() -> workerThreads("self-closing-worker-").isEmpty());
  }

  private static List<Thread> workerThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
        .collect(Collectors.toList());
  }
}
