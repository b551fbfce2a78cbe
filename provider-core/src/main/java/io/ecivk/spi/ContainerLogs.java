package io.ecivk.spi;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Optional capability of a {@link PodLifecycleHandler}: container logs, for the kubelet API's
 * {@code /containerLogs}. Discovered with {@code instanceof}.
 *
 * <p>Contract: {@link #openLog} returns at once (no backend call on the caller's thread, which may be an event
 * loop); all backend work happens when {@link LogStream#next()} is called. Thread-safe.
 */
public interface ContainerLogs {

  /**
   * Opens the log of one container of this pod incarnation.
   *
   * @param container a container name of the pod (init or app)
   */
  LogStream openLog(Pod pod, String container, LogOptions options);

  /**
   * What the client asked for, as the kubelet's {@code /containerLogs} parameters say it.
   *
   * @param follow keep streaming new output until the container ends or the stream is closed
   * @param tailLines only the last N lines of the existing log
   * @param since only output written at or after this instant ({@code sinceSeconds} or {@code sinceTime})
   * @param timestamps prefix each line with its RFC 3339 timestamp
   * @param previous the log of the previous (terminated) instance of the container
   * @param limitBytes stop after this many bytes
   */
  record LogOptions(
      boolean follow,
      OptionalLong tailLines,
      Optional<Instant> since,
      boolean timestamps,
      boolean previous,
      OptionalLong limitBytes) {

    public static LogOptions defaults() {
      return new LogOptions(false, OptionalLong.empty(), Optional.empty(), false, false, OptionalLong.empty());
    }
  }

  /**
   * A pull-based stream of log bytes: the reader asks for the next chunk only when it can send it on, which gives
   * slow clients back-pressure instead of buffered memory.
   */
  interface LogStream extends AutoCloseable {

    /**
     * The next chunk of log output. Completes with empty when the log has ended (not following; or following and
     * the container ended; or {@code limitBytes} reached). At most one call outstanding at a time. Fails with a
     * {@link io.ecivk.spi.errors.ProviderException} ({@code NOT_FOUND} for an unknown pod or container). The
     * future completes on a provider thread; the caller must not block it.
     */
    CompletableFuture<Optional<byte[]>> next();

    /** Stops the stream (the client went away); idempotent. An outstanding {@link #next()} completes empty. */
    @Override
    void close();
  }
}
