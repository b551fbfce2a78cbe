package io.ecivk.eci.logs;

import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.model.DescribeContainerLogRequest;
import io.ecivk.spi.ContainerLogs;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container logs from ECI's DescribeContainerLog, which has no follow mode: a follower polls, with the start time
 * of its newest line and de-duplication of the overlap ({@link LogLines.Cursor}), sharing the log API budget with
 * all other followers through one {@link FollowScheduler}. A follow ends when the container has ended (asked of
 * {@code containerEnded} before a poll, so the lines written before the end are fetched first) or on close.
 *
 * <p>Threads: {@link #openLog} does nothing but validate and build the stream; reads run on this class's worker
 * pool and the futures complete there. Options map onto the API as {@link LogRequests} says.
 */
public final class EciContainerLogs implements ContainerLogs, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EciContainerLogs.class);
  /** Chunk size handed to the reader: small enough for a slow client to get back-pressure early. */
  static final int CHUNK_BYTES = 64 * 1024;

  /** Tuning of the shared follow budget. */
  public record Settings(int followPollsPerMinute, Duration minPollInterval, Duration maxIdlePollInterval,
      int workerThreads) {
    /** 400 follow polls a minute (of ECI's 500), polls at most every 1 s, quiet containers down to every 10 s. */
    public static Settings defaults() {
      return new Settings(400, Duration.ofSeconds(1), Duration.ofSeconds(10), 4);
    }
  }

  private final EciClient client;
  private final Function<Pod, Optional<String>> groupIdOf;
  private final BiPredicate<Pod, String> containerEnded;
  private final Clock clock;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final FollowScheduler scheduler;
  private final long tickNanos;
  private final java.util.concurrent.atomic.AtomicBoolean ticking = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * @param groupIdOf the container group of a pod incarnation, if this provider runs it
   * @param containerEnded whether the named container of the pod has ended (terminated, or its pod finished)
   */
  public EciContainerLogs(EciClient client, Function<Pod, Optional<String>> groupIdOf,
      BiPredicate<Pod, String> containerEnded, Clock clock, Settings settings) {
    this.client = Objects.requireNonNull(client, "client");
    this.groupIdOf = Objects.requireNonNull(groupIdOf, "groupIdOf");
    this.containerEnded = Objects.requireNonNull(containerEnded, "containerEnded");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.workers = Executors.newFixedThreadPool(settings.workerThreads(), daemon("eci-logs"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("eci-logs-follow"));
    this.scheduler = new FollowScheduler(clock, workers, settings.minPollInterval(),
        settings.maxIdlePollInterval());
    this.tickNanos = 60_000_000_000L / settings.followPollsPerMinute();
  }

  /** Starts the follow ticks with the first follower, so that a provider nobody follows holds no thread. */
  private void startTicking() {
    if (ticking.compareAndSet(false, true)) {
      timer.scheduleAtFixedRate(this::tickSafely, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void tickSafely() {
    try {
      scheduler.tick();
    } catch (RuntimeException e) {
      LOG.warn("log follow tick failed", e);
    }
  }

  /** Streams being followed now. */
  public int followers() {
    return scheduler.followers();
  }

  /** Follow polls made so far. */
  public long followPolls() {
    return scheduler.polls();
  }

  /** The longest time a follower has gone between two polls: the worst extra delay of a new line. */
  public Duration maxFollowPollGap() {
    return scheduler.maxPollGap();
  }

  /** How long the follower waiting longest has now gone without a poll (a gauge). */
  public Duration worstFollowPollGap() {
    return scheduler.worstPollGap();
  }

  @Override
  public LogStream openLog(Pod pod, String container, LogOptions options) {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(options, "options");
    PodRef ref = PodRef.of(pod);
    if (!hasContainer(pod, container)) {
      return failed(new ProviderException(ErrorCategory.NOT_FOUND, "ContainerNotFound",
          "container " + container + " is not in pod " + ref.key()));
    }
    Optional<String> groupId = groupIdOf.apply(pod);
    if (groupId.isEmpty()) {
      return failed(new ProviderException(ErrorCategory.NOT_FOUND, "ContainerGroupNotFound",
          "pod " + ref + " has no ECI container group"));
    }
    return new EciLogStream(pod, groupId.get(), container, options);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
  }

  private static boolean hasContainer(Pod pod, String name) {
    if (pod.getSpec() == null || name == null) {
      return false;
    }
    return Stream.concat(
            Optional.ofNullable(pod.getSpec().getContainers()).orElse(List.of()).stream(),
            Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of()).stream())
        .map(Container::getName)
        .anyMatch(name::equals);
  }

  private static LogStream failed(ProviderException error) {
    return new LogStream() {
      @Override
      public CompletableFuture<Optional<byte[]>> next() {
        return CompletableFuture.failedFuture(error);
      }

      @Override
      public void close() {}
    };
  }

  /** One log stream. State guarded by {@code this}; futures are completed outside the lock. */
  private final class EciLogStream implements LogStream, FollowScheduler.Follower {
    private final Pod pod;
    private final String groupId;
    private final String container;
    private final LogOptions options;
    private final boolean follows;
    private final boolean strip;
    private final LogLines.Cursor cursor = new LogLines.Cursor();
    private final Deque<byte[]> pending = new ArrayDeque<>();
    private long remaining;
    private boolean started;
    private boolean ended;
    private boolean closed;
    private boolean registered;
    private ProviderException failure;
    private CompletableFuture<Optional<byte[]>> outstanding;

    EciLogStream(Pod pod, String groupId, String container, LogOptions options) {
      this.pod = pod;
      this.groupId = groupId;
      this.container = container;
      this.options = options;
      this.follows = LogRequests.follows(options);
      this.strip = follows && !options.timestamps();
      this.remaining = options.limitBytes().orElse(Long.MAX_VALUE);
    }

    @Override
    public CompletableFuture<Optional<byte[]>> next() {
      CompletableFuture<Optional<byte[]>> future;
      boolean readFirst = false;
      synchronized (this) {
        if (outstanding != null) {
          throw new IllegalStateException("a next() is already outstanding");
        }
        if (!pending.isEmpty()) {
          return CompletableFuture.completedFuture(Optional.of(pending.poll()));
        }
        if (failure != null) {
          return CompletableFuture.failedFuture(failure);
        }
        if (ended || closed) {
          return CompletableFuture.completedFuture(Optional.empty());
        }
        future = new CompletableFuture<>();
        outstanding = future;
        if (!started) {
          started = true;
          readFirst = true;
        }
      }
      if (readFirst) {
        try {
          workers.execute(this::readFirst);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          fail(new ProviderException(ErrorCategory.TRANSIENT, "LogsClosed", "the log service is closed"));
        }
      }
      return future;
    }

    @Override
    public void close() {
      CompletableFuture<Optional<byte[]>> toEnd;
      boolean unregister;
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        pending.clear();
        toEnd = outstanding;
        outstanding = null;
        unregister = registered;
        registered = false;
      }
      if (unregister) {
        scheduler.unregister(this);
      }
      if (toEnd != null) {
        toEnd.complete(Optional.empty());
      }
    }

    private void readFirst() {
      try {
        String content;
        if (LogRequests.noExistingLines(options)) {
          content = "";
          // tailLines=0: only what is written from now on (or from a later since).
          Instant now = clock.instant();
          Optional<Instant> later = options.since().filter(since -> since.isAfter(now));
          if (later.isPresent()) {
            cursor.startAt(later.get());
          } else {
            cursor.startAfter(now);
          }
        } else {
          DescribeContainerLogRequest request = LogRequests.initial(groupId, container, options);
          content = client.describeContainerLog(request).content();
          if (follows) {
            options.since().ifPresent(cursor::startAt);
          }
        }
        if (follows) {
          List<LogLines.Line> lines = cursor.fresh(LogLines.parse(content));
          deliver(render(lines), false);
          boolean register;
          synchronized (this) {
            register = !ended && !closed;
            registered = register;
          }
          if (register) {
            scheduler.register(this);
            startTicking();
          }
        } else {
          deliver(content, true);
        }
      } catch (ProviderException e) {
        fail(e);
      } catch (RuntimeException e) {
        fail(new ProviderException(ErrorCategory.TRANSIENT, "LogReadFailed", "reading the log failed: " + e,
            null, null, e));
      }
    }

    @Override
    public synchronized boolean ready() {
      return pending.isEmpty() && !ended && !closed;
    }

    @Override
    public boolean poll() {
      boolean endedBefore = containerEnded.test(pod, container);
      String content;
      try {
        content = client.describeContainerLog(LogRequests.poll(groupId, container, cursor.from())).content();
      } catch (ProviderException e) {
        if (e.category() == ErrorCategory.NOT_FOUND) {
          LOG.debug("log follow ended, group gone pod={} container={}", PodRef.of(pod), container);
          deliver("", true);
        } else if (!e.isRetryable()) {
          fail(e);
        }
        // Throttled or transient: the next turn tries again; nothing is lost, the cursor did not move.
        return false;
      } catch (RuntimeException e) {
        LOG.warn("log follow poll failed pod={} container={}", PodRef.of(pod), container, e);
        return false;
      }
      List<LogLines.Line> polled = LogLines.parse(content);
      if (polled.size() >= DescribeContainerLogRequest.MAX_TAIL) {
        // ECI returned as many lines as one call can: more may have been written since the last poll than we saw.
        LOG.info("log follow may have skipped lines pod={} container={} linesInPoll={}", PodRef.of(pod), container,
            polled.size());
      }
      List<LogLines.Line> lines = cursor.fresh(polled);
      deliver(render(lines), endedBefore);
      return !lines.isEmpty();
    }

    private String render(List<LogLines.Line> lines) {
      StringBuilder out = new StringBuilder();
      for (LogLines.Line line : lines) {
        out.append(strip ? line.withoutTimestamp() : line.raw());
      }
      return out.toString();
    }

    /** Queues {@code content} for the reader (within limitBytes), then ends the stream if {@code last}. */
    private void deliver(String content, boolean last) {
      CompletableFuture<Optional<byte[]>> toComplete = null;
      Optional<byte[]> value = Optional.empty();
      boolean unregister = false;
      synchronized (this) {
        if (closed) {
          return;
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > remaining) {
          bytes = Arrays.copyOf(bytes, (int) remaining);
        }
        remaining -= bytes.length;
        for (int offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
          pending.add(Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + CHUNK_BYTES)));
        }
        if (last || remaining == 0) {
          ended = true;
          unregister = registered;
          registered = false;
        }
        if (outstanding != null && (!pending.isEmpty() || ended)) {
          toComplete = outstanding;
          outstanding = null;
          value = Optional.ofNullable(pending.poll());
        }
      }
      if (unregister) {
        scheduler.unregister(this);
      }
      if (toComplete != null) {
        toComplete.complete(value);
      }
    }

    private void fail(ProviderException error) {
      CompletableFuture<Optional<byte[]>> toFail;
      boolean unregister;
      synchronized (this) {
        failure = error;
        ended = true;
        toFail = outstanding;
        outstanding = null;
        unregister = registered;
        registered = false;
      }
      if (unregister) {
        scheduler.unregister(this);
      }
      if (toFail != null) {
        toFail.completeExceptionally(error);
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** For tests: the scheduler, to drive ticks by hand. */
  FollowScheduler scheduler() {
    return scheduler;
  }

}
