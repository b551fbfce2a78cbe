package io.ecivk.queue;

import io.ecivk.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler stepped by hand, like client-go's fake clock: nothing runs until {@link #advance} moves its clock,
 * and then due tasks run on the calling thread in due order, with the clock set to each task's due time. Only
 * one-shot {@code schedule(Runnable, ...)} is supported; that is all the queue uses. Thread-safe, so workers may
 * schedule while a test advances.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final ManualClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private long sequence;

  /** @param clock the time this scheduler steps; pass the queue's clock to keep the two in step */
  ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  /** Moves the clock forward by {@code by}, running every task that falls due on the way. */
  void advance(Duration by) {
    Instant target = clock.instant().plus(by);
    while (true) {
      Task next;
      synchronized (this) {
        next =
            tasks.stream()
                .filter(t -> !t.due.isAfter(target))
                .min(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.seq))
                .orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
      }
      if (next.due.isAfter(clock.instant())) {
        clock.set(next.due);
      }
      next.run(); // outside our monitor: the task takes the queue's lock, and may schedule again
    }
    if (target.isAfter(clock.instant())) {
      clock.set(target);
    }
  }

  /** Tasks scheduled and neither run nor cancelled. */
  synchronized int pending() {
    return tasks.size();
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Task task = new Task(command, clock.instant().plusNanos(unit.toNanos(delay)), sequence++);
    tasks.add(task);
    return task;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void execute(Runnable command) {
    throw new UnsupportedOperationException("the queue only schedules with a delay");
  }

  @Override
  public void shutdown() {
    throw new UnsupportedOperationException("the queue must never shut down the scheduler it was given");
  }

  @Override
  public List<Runnable> shutdownNow() {
    throw new UnsupportedOperationException("the queue must never shut down the scheduler it was given");
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }

  private synchronized boolean cancel(Task task) {
    return tasks.remove(task);
  }

  private final class Task implements ScheduledFuture<Void> {
    final Runnable command;
    final Instant due;
    final long seq;
    private volatile boolean cancelled;
    private volatile boolean done;

    Task(Runnable command, Instant due, long seq) {
      this.command = command;
      this.due = due;
      this.seq = seq;
    }

    void run() {
      command.run();
      done = true;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), due));
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (done || cancelled) {
        return false;
      }
      cancelled = ManualScheduler.this.cancel(this);
      return cancelled;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Void get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Void get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }
}
