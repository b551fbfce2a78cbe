package io.ecivk.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A work queue like client-go's rate-limiting workqueue ({@code util/workqueue}): keys to reconcile, not events.
 *
 * <ul>
 *   <li><b>Stingy.</b> A key is queued at most once however often it is added before a consumer takes it.
 *   <li><b>Never concurrent with itself.</b> A key handed out by {@link #take()} is not handed out again until
 *       {@link #done} is called for it. If it is added meanwhile, it is marked and queued again by {@code done},
 *       so the change that caused the add is never missed.
 *   <li><b>Fair.</b> Ready keys are handed out first in, first out.
 *   <li><b>Delayed adds.</b> {@link #addAfter} makes a key ready later; per key only the earliest pending time is
 *       kept, and an immediate {@link #add} supersedes a pending delayed one.
 *   <li><b>Per-key failure counting</b> for {@link #addRateLimited}, reset by {@link #forget}.
 *   <li><b>Shutdown.</b> {@link #close()} wakes every blocked {@link #take()}.
 * </ul>
 *
 * <p>Most code should not drive this protocol by hand: {@link QueueWorkers} does it, exactly once, around a
 * {@link Reconciler}.
 *
 * <p>Keys must be immutable values with {@code equals}/{@code hashCode} (records such as {@code PodKey}); a key
 * that changes while queued is lost. All methods are thread-safe. Memory is bounded by the number of distinct
 * keys: each key occupies at most one ready slot, one delayed entry (and one pending timer), and one failure
 * counter, which {@link #forget} removes.
 *
 * <p>Time: due times are computed and checked with the injected {@link Clock}; the injected scheduler only wakes
 * the queue up. If a timer fires before the clock says the key is due (the two use different time sources), the
 * queue re-arms the timer for the rest, so the clock is the authority. Tests pass a hand-stepped scheduler and a
 * mutable clock and never sleep.
 *
 * @param <K> the key type
 */
public final class WorkQueue<K> implements AutoCloseable {
  /** Delays beyond this are clamped: nanosecond arithmetic in the scheduler would overflow (~292 years). */
  private static final Duration MAX_DELAY = Duration.ofNanos(Long.MAX_VALUE);

  private final String name;
  private final Clock clock;
  private final ScheduledExecutorService delayScheduler;
  private final BackoffPolicy backoff;

  /** Guards every field below it except {@link #failures}; {@link #readyOrClosed} is its only condition. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readyOrClosed = lock.newCondition();
  /** Keys ready to be taken, in order; each is also in {@link #dirty} and not in {@link #processing}. */
  private final ArrayDeque<K> ready = new ArrayDeque<>();
  /** Keys that need processing: everything in {@link #ready}, plus keys added again while being processed. */
  private final Set<K> dirty = new HashSet<>();
  /** Keys taken and not yet done. */
  private final Set<K> processing = new HashSet<>();
  /** At most one pending delayed add per key: the earliest. Never holds a key that is in {@link #dirty}. */
  private final Map<K, Delayed> delayed = new HashMap<>();
  private boolean closed;

  /**
   * Consecutive failures per key. Not under the lock, so that {@link #addRateLimited} can call the backoff
   * policy without holding it; per key, only the worker that holds the key updates its count.
   */
  private final ConcurrentHashMap<K, Integer> failures = new ConcurrentHashMap<>();

  private WorkQueue(String name, Clock clock, ScheduledExecutorService delayScheduler, BackoffPolicy backoff) {
    this.name = Objects.requireNonNull(name, "name");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.delayScheduler = Objects.requireNonNull(delayScheduler, "delayScheduler");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /**
   * Creates an open, empty queue.
   *
   * @param name names the queue in logs, exceptions and worker thread names, e.g. {@code syncPodsFromKubernetes}
   * @param clock the time source for every due-time computation and comparison
   * @param delayScheduler wakes the queue up when delayed keys become due. The queue schedules at most one task
   *     per key at a time, cancels superseded ones, never shuts the scheduler down, and runs only short,
   *     non-blocking work on it. It must outlive the queue; a {@code ScheduledThreadPoolExecutor} should have
   *     {@code setRemoveOnCancelPolicy(true)} so cancelled timers free their memory at once.
   * @param backoff the per-key retry delays of {@link #addRateLimited}
   */
  public static <K> WorkQueue<K> create(
      String name, Clock clock, ScheduledExecutorService delayScheduler, BackoffPolicy backoff) {
    return new WorkQueue<>(name, clock, delayScheduler, backoff);
  }

  /** The name given at creation. */
  public String name() {
    return name;
  }

  /** The backoff policy given at creation; {@link QueueWorkers} reads its {@link BackoffPolicy#fastAttempts()}. */
  public BackoffPolicy backoff() {
    return backoff;
  }

  /**
   * Makes {@code key} ready now. Does nothing if it is already ready, and if it is being processed it is queued
   * again when {@link #done} is called for it. Supersedes a pending delayed add of the key (now is the earliest
   * time), and, as in client-go, does not wait for the key's backoff. Ignored after {@link #close()}.
   */
  public void add(K key) {
    Objects.requireNonNull(key, "key");
    lock.lock();
    try {
      addLocked(key);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes {@code key} ready after {@code delay}, as measured by the clock. If the key already has a pending
   * delayed add, the earlier due time wins; if it is already ready (or added again while being processed), this
   * does nothing, since it will be processed sooner anyway. A zero or negative delay is {@link #add}. Delays
   * beyond ~292 years are clamped. Ignored after {@link #close()}.
   *
   * @throws RejectedExecutionException if the scheduler no longer accepts tasks; the queue is then unchanged
   */
  public void addAfter(K key, Duration delay) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(delay, "delay");
    lock.lock();
    try {
      addAfterLocked(key, delay);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records one more consecutive failure of {@code key} and adds it after {@code max(backoff.delay(failures),
   * atLeast)}, with the semantics of {@link #addAfter} (so an earlier pending add, or the key being ready
   * already, still wins).
   *
   * @param atLeast a lower bound for the delay, typically a backend's retry-after hint; {@link Duration#ZERO} if
   *     there is none
   * @return the delay that was requested, for logs
   */
  public Duration addRateLimited(K key, Duration atLeast) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(atLeast, "atLeast");
    if (atLeast.isNegative()) {
      throw new IllegalArgumentException("atLeast must not be negative: " + atLeast);
    }
    // Saturating: at 5-minute retries the count cannot realistically overflow, but wrapping would reset backoff.
    int count = failures.merge(key, 1, (old, one) -> old == Integer.MAX_VALUE ? old : old + 1);
    Duration fromBackoff = backoff.delay(count);
    Duration delay = fromBackoff.compareTo(atLeast) >= 0 ? fromBackoff : atLeast;
    addAfter(key, delay);
    return delay;
  }

  /**
   * Resets the failure count of {@code key}, after a success or when the key is gone for good. Does not remove
   * the key from the queue. This is what keeps failure counts from growing without bound.
   */
  public void forget(K key) {
    Objects.requireNonNull(key, "key");
    failures.remove(key);
  }

  /** Consecutive failures recorded for {@code key} since it was last forgotten; 0 if none. */
  public int failures(K key) {
    Objects.requireNonNull(key, "key");
    return failures.getOrDefault(key, 0);
  }

  /**
   * Takes the next ready key, blocking until there is one. The key is then being processed: it is handed to
   * no one else until the caller calls {@link #done} for it, which the caller must do exactly once, whatever
   * happens.
   *
   * <p>Once the queue is closed, this throws {@link QueueClosedException} (it never returns null), both to callers
   * already blocked and to later ones; keys still ready are not drained, since a level-based reconciler
   * re-observes them on the next start anyway.
   *
   * @throws QueueClosedException if the queue is closed
   * @throws InterruptedException if the thread is interrupted while waiting; no key was taken
   */
  public K take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (!closed && ready.isEmpty()) {
        readyOrClosed.await();
      }
      if (closed) {
        throw new QueueClosedException(name);
      }
      K key = ready.removeFirst();
      dirty.remove(key);
      processing.add(key);
      return key;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the processing of a key returned by {@link #take()}. If the key was added while it was being
   * processed, it is ready again now (unless the queue is closed). Also allowed after {@link #close()}.
   *
   * @throws IllegalArgumentException if {@code key} is not being processed (never taken, or done twice), which
   *     is a bug in the caller that would otherwise go unnoticed
   */
  public void done(K key) {
    Objects.requireNonNull(key, "key");
    lock.lock();
    try {
      if (!processing.remove(key)) {
        throw new IllegalArgumentException("key " + key + " is not being processed in work queue " + name);
      }
      if (!closed && dirty.contains(key)) {
        ready.addLast(key);
        readyOrClosed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Keys ready to be taken now: neither delayed, nor being processed. */
  public int depth() {
    lock.lock();
    try {
      return ready.size();
    } finally {
      lock.unlock();
    }
  }

  /** A consistent snapshot of the queue's sizes, for metrics and tests. */
  public Stats stats() {
    lock.lock();
    try {
      return new Stats(ready.size(), processing.size(), delayed.size(), failures.size());
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Shuts the queue down: every blocked and future {@link #take()} throws {@link QueueClosedException}, pending
   * delayed adds are cancelled, ready keys and failure counts are dropped, and later adds are ignored. Keys
   * being processed stay so until {@link #done}. Idempotent; does not shut down the scheduler.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (Delayed entry : delayed.values()) {
        entry.timer.cancel(false);
      }
      delayed.clear();
      ready.clear();
      dirty.clear();
      failures.clear();
      readyOrClosed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "WorkQueue[" + name + ", " + stats() + "]";
  }

  private void addLocked(K key) {
    if (closed) {
      return;
    }
    Delayed pending = delayed.remove(key);
    if (pending != null) {
      pending.timer.cancel(false);
    }
    if (!dirty.add(key)) {
      return;
    }
    if (processing.contains(key)) {
      return; // done() queues it again
    }
    ready.addLast(key);
    // One new key wakes one taker; a signalled taker that finds nothing (another one barged in) just waits again.
    readyOrClosed.signal();
  }

  private void addAfterLocked(K key, Duration delay) {
    if (closed) {
      return;
    }
    if (delay.isNegative() || delay.isZero()) {
      addLocked(key);
      return;
    }
    if (dirty.contains(key)) {
      return; // due now already, which is earlier than any delay
    }
    Duration clamped = delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    Instant due = clock.instant().plus(clamped);
    Delayed existing = delayed.get(key);
    if (existing != null && !due.isBefore(existing.due)) {
      return;
    }
    Delayed entry = new Delayed(key, due);
    // Schedule before touching any state, so a rejecting scheduler leaves the queue as it was. The task needs the
    // lock we hold, so it cannot run before entry.timer is set and the entry is in the map.
    entry.timer = delayScheduler.schedule(entry, clamped.toNanos(), TimeUnit.NANOSECONDS);
    if (existing != null) {
      existing.timer.cancel(false);
    }
    delayed.put(key, entry);
  }

  /** Runs on the scheduler when a delayed entry's timer fires. */
  private void fire(Delayed entry) {
    lock.lock();
    try {
      if (closed || delayed.get(entry.key) != entry) {
        return; // superseded by an earlier or immediate add, or the queue is closed
      }
      Duration remaining = Duration.between(clock.instant(), entry.due);
      if (remaining.isNegative() || remaining.isZero()) {
        delayed.remove(entry.key);
        addLocked(entry.key);
        return;
      }
      try {
        entry.timer = delayScheduler.schedule(entry, remaining.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // The scheduler is going away; making the key ready early beats losing it.
        delayed.remove(entry.key);
        addLocked(entry.key);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sizes of the queue at one moment.
   *
   * @param ready keys ready to be taken ({@link #depth()})
   * @param inFlight keys taken and not yet done
   * @param delayed keys with a pending delayed add
   * @param failing keys with a failure count above zero
   */
  public record Stats(int ready, int inFlight, int delayed, int failing) {}

  /** A pending delayed add; identity matters: a timer only acts if its entry is still the key's current one. */
  private final class Delayed implements Runnable {
    final K key;
    final Instant due;
    /** Guarded by the queue's lock. */
    ScheduledFuture<?> timer;

    Delayed(K key, Instant due) {
      this.key = key;
      this.due = due;
    }

    @Override
    public void run() {
      fire(this);
    }
  }
}
