package io.ecivk.queue;

import io.ecivk.spi.errors.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Worker threads that drive a {@link Reconciler} from a {@link WorkQueue}, wrapping the queue protocol once so
 * that no caller has to remember it (a forgotten {@code done} would block a key forever). For each key taken:
 *
 * <ul>
 *   <li>{@link SyncResult#done()}: {@link WorkQueue#forget} (the backoff starts over next time);
 *   <li>{@link SyncResult#requeueAfter}: {@code forget}, then {@link WorkQueue#addAfter};
 *   <li>an exception: {@link WorkQueue#addRateLimited} with, as lower bound, the retry-after hint of the
 *       {@link ProviderException} it is or wraps (zero if none). Retries never give up.
 * </ul>
 *
 * <p>then always {@link WorkQueue#done}. This is the order of client-go's {@code processNextItem}: the outcome is
 * recorded while the key is still held, so no other worker can see it half-handled.
 *
 * <p>Logging, per key and without storms: a failed reconcile is logged at WARN on the first failure of a streak
 * and on every failure past the backoff's {@linkplain BackoffPolicy#fastAttempts() fast attempts} (which are
 * minutes apart by then), at DEBUG otherwise, always with the key and the failure count. A {@link
 * ProviderException} is logged by its message only, never with a stack trace: it was classified at the
 * provider's boundary and its message says what happened. Other exceptions are bugs or surprises and get their
 * stack trace.
 *
 * <p>A worker never dies from an exception, and a reconcile is never interrupted. Only a {@link
 * VirtualMachineError} (out of memory, stack overflow) ends a worker; it is logged at ERROR.
 *
 * @param <K> the key type
 */
public final class QueueWorkers<K> implements AutoCloseable {
  /** How long {@link #close()} waits for reconciles in progress: long enough for a slow backend call to end. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(QueueWorkers.class);
  /** Bounds the walk down a cause chain, which may (wrongly) be cyclic. */
  private static final int MAX_CAUSE_DEPTH = 16;

  private final String name;
  private final WorkQueue<K> queue;
  private final Reconciler<K> reconciler;
  private final List<Thread> threads;

  private QueueWorkers(String name, WorkQueue<K> queue, Reconciler<K> reconciler, int workers) {
    this.name = name;
    this.queue = queue;
    this.reconciler = reconciler;
    List<Thread> created = new ArrayList<>(workers);
    for (int i = 1; i <= workers; i++) {
      Thread thread = new Thread(this::runWorker, name + "-worker-" + i);
      // Daemon: a process that fails to close us must still be able to exit. close() is the orderly way out.
      thread.setDaemon(true);
      thread.setUncaughtExceptionHandler(
          (t, e) -> log.error("[{}] worker {} died", name, t.getName(), e));
      created.add(thread);
    }
    this.threads = List.copyOf(created);
  }

  /**
   * Starts {@code workers} threads, named {@code <name>-worker-1} to {@code <name>-worker-N}, that take keys from
   * {@code queue} and reconcile them until the queue is closed. The workers own the queue protocol: nobody else
   * should call {@link WorkQueue#take()} or {@link WorkQueue#done} on this queue.
   *
   * @param name for thread names and logs, typically the queue's name
   * @param workers at least 1; the number of keys reconciled concurrently
   */
  public static <K> QueueWorkers<K> start(
      String name, WorkQueue<K> queue, Reconciler<K> reconciler, int workers) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(reconciler, "reconciler");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1: " + workers);
    }
    QueueWorkers<K> pool = new QueueWorkers<>(name, queue, reconciler, workers);
    pool.threads.forEach(Thread::start);
    log.debug("[{}] started {} workers", name, workers);
    return pool;
  }

  /**
   * Closes the queue and waits up to {@link #DEFAULT_CLOSE_TIMEOUT} for the workers to finish: idle workers stop
   * at once, a worker in the middle of a reconcile finishes it (it is not interrupted) and then stops. Logs a
   * warning if some worker is still busy when the wait ends. Idempotent.
   */
  @Override
  public void close() {
    if (!shutdown(DEFAULT_CLOSE_TIMEOUT)) {
      log.warn("[{}] workers still reconciling after {}; leaving them to finish", name, DEFAULT_CLOSE_TIMEOUT);
    }
  }

  /**
   * Closes the queue and waits up to {@code timeout} for every worker to end, as {@link #close()} does. If called
   * from a worker (a reconciler shutting its own pool down), that worker is not waited for.
   *
   * @return true if every worker (other than the calling one) has ended; false on timeout or if the calling
   *     thread was interrupted while waiting (its interrupt status is then set again)
   */
  public boolean shutdown(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    queue.close();
    Thread self = Thread.currentThread();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : threads) {
      if (thread == self) {
        continue;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      try {
        TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
      } catch (InterruptedException e) {
        self.interrupt();
        return false;
      }
    }
    return threads.stream().noneMatch(t -> t != self && t.isAlive());
  }

  @Override
  public String toString() {
    return "QueueWorkers[" + name + ", " + threads.size() + " workers, " + queue + "]";
  }

  private void runWorker() {
    while (true) {
      // A reconcile may have left the interrupt flag set; it is not a stop signal (closing the queue is), and
      // must not leak into the next reconcile.
      Thread.interrupted();
      K key;
      try {
        key = queue.take();
      } catch (QueueClosedException e) {
        log.debug("[{}] {} stopping: queue closed", name, Thread.currentThread().getName());
        return;
      } catch (InterruptedException e) {
        continue; // the loop ends when the queue is closed, and take() then says so
      }
      try {
        process(key);
      } catch (RuntimeException e) {
        // Only the queue's own bookkeeping gets here (a scheduler that was shut down, a throwing backoff
        // policy); process() handles every failure of the reconcile itself. The key comes back on its next add.
        log.error("[{}] could not record the outcome of reconciling {}", name, key, e);
      } finally {
        try {
          queue.done(key);
        } catch (RuntimeException e) {
          log.error("[{}] done({}) failed; was the queue protocol driven from outside?", name, key, e);
        }
      }
    }
  }

  private void process(K key) {
    SyncResult result;
    try {
      result = reconciler.reconcile(key);
      if (result == null) {
        throw new NullPointerException("reconciler returned null instead of a SyncResult");
      }
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      // Anything else, checked or not, Errors such as AssertionError included, is the reconcile failing.
      onFailure(key, t);
      return;
    }
    queue.forget(key);
    result.requeueDelay().ifPresent(delay -> queue.addAfter(key, delay));
  }

  private void onFailure(K key, Throwable failure) {
    ProviderException providerFailure = findProviderException(failure);
    Duration hint =
        providerFailure == null ? Duration.ZERO : providerFailure.retryAfter().orElse(Duration.ZERO);
    Duration delay = queue.addRateLimited(key, hint);
    // The key is still held by this worker, so nobody else changes its count in between.
    int failures = queue.failures(key);
    Level level = failures == 1 || failures > queue.backoff().fastAttempts() ? Level.WARN : Level.DEBUG;
    if (!log.isEnabledForLevel(level)) {
      return;
    }
    LoggingEventBuilder event = log.atLevel(level);
    String reason;
    if (providerFailure == null) {
      event = event.setCause(failure);
      reason = failure.toString();
    } else if (providerFailure == failure) {
      reason = providerFailure.toString();
    } else {
      reason = failure.getClass().getName() + " caused by " + providerFailure;
    }
    event.log(
        "[{}] reconcile of {} failed (failure {}), retrying in {}: {}",
        name, key, failures, human(delay), reason);
  }

  /** The first ProviderException in the cause chain of {@code t}, itself included; null if there is none. */
  static ProviderException findProviderException(Throwable t) {
    Throwable current = t;
    for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
      if (current instanceof ProviderException providerException) {
        return providerException;
      }
      current = current.getCause();
    }
    return null;
  }

  /** "100ms", "1.6s", "5m": short and greppable, unlike "PT0.1S". */
  private static String human(Duration delay) {
    if (delay.compareTo(Duration.ofSeconds(1)) < 0) {
      return delay.toMillis() + "ms";
    }
    return delay.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
