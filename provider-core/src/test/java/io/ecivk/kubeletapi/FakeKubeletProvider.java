package io.ecivk.kubeletapi;

import io.ecivk.spi.ContainerLogs;
import io.ecivk.spi.PodStatsSource;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A provider with the kubelet API's capabilities, driven by the test. Futures complete on the test's or a
 * feeder's thread, never on the event loop, as a real provider's would.
 */
public final class FakeKubeletProvider implements ContainerLogs, PodStatsSource {

  /** A call of {@link #openLog}. */
  public record Opened(String pod, String container, LogOptions options) {}

  public final List<Opened> opened = new CopyOnWriteArrayList<>();
  /** Static logs per "ns/pod/container"; a stream answers them in one chunk, then ends. */
  public final Map<String, String> logs = new ConcurrentHashMap<>();
  /** When set, the next opened stream is this one (for follow and back-pressure tests). */
  public final AtomicReference<Supplier<LogStream>> nextStream = new AtomicReference<>();
  public final AtomicReference<Supplier<CompletableFuture<PodStatsBatch>>> stats = new AtomicReference<>();
  public final List<List<Pod>> statsCalls = new CopyOnWriteArrayList<>();

  @Override
  public LogStream openLog(Pod pod, String container, LogOptions options) {
    opened.add(new Opened(pod.getMetadata().getName(), container, options));
    Supplier<LogStream> s = nextStream.getAndSet(null);
    if (s != null) {
      return s.get();
    }
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + "/" + container;
    String text = logs.get(key);
    AtomicBoolean sent = new AtomicBoolean();
    return new LogStream() {
      @Override
      public CompletableFuture<Optional<byte[]>> next() {
        if (text == null) {
          return CompletableFuture.failedFuture(
              new ProviderException(ErrorCategory.NOT_FOUND, "NotFound", "no log for " + key));
        }
        return CompletableFuture.supplyAsync(() -> sent.getAndSet(true) ? Optional.empty()
            : Optional.of(text.getBytes(StandardCharsets.UTF_8)));
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public CompletableFuture<PodStatsBatch> stats(List<Pod> pods) {
    statsCalls.add(pods);
    return stats.get().get();
  }

  /** A stream fed line by line by the test: {@link #push} adds output, {@link #end} ends it. */
  public static final class FedStream implements LogStream {
    private static final byte[] END = new byte[0];
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicReference<CompletableFuture<Optional<byte[]>>> waiting = new AtomicReference<>();
    public final AtomicBoolean closed = new AtomicBoolean();
    public final AtomicLong nextCalls = new AtomicLong();

    public synchronized void push(String text) {
      offer(text.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized void end() {
      offer(END);
    }

    private void offer(byte[] b) {
      CompletableFuture<Optional<byte[]>> w = waiting.getAndSet(null);
      if (w != null) {
        w.complete(b == END ? Optional.empty() : Optional.of(b));
      } else {
        queue.add(b);
      }
    }

    @Override
    public synchronized CompletableFuture<Optional<byte[]>> next() {
      nextCalls.incrementAndGet();
      byte[] b = queue.poll();
      if (b != null) {
        return CompletableFuture.completedFuture(b == END ? Optional.empty() : Optional.of(b));
      }
      CompletableFuture<Optional<byte[]>> f = new CompletableFuture<>();
      waiting.set(f);
      return f;
    }

    @Override
    public void close() {
      closed.set(true);
      CompletableFuture<Optional<byte[]>> w = waiting.getAndSet(null);
      if (w != null) {
        w.complete(Optional.empty());
      }
    }
  }

  /**
   * An endless stream answering every {@link #next()} at once with {@code chunkSize} bytes, up to a hard cap
   * (so a server without back-pressure fails the test instead of the JVM).
   */
  public static final class FirehoseStream implements LogStream {
    public final AtomicLong nextCalls = new AtomicLong();
    public final AtomicLong bytesProduced = new AtomicLong();
    public final AtomicBoolean closed = new AtomicBoolean();
    private final byte[] chunk;
    private final long cap;

    public FirehoseStream(int chunkSize, long cap) {
      this.chunk = new byte[chunkSize];
      java.util.Arrays.fill(chunk, (byte) 'x');
      chunk[chunkSize - 1] = '\n';
      this.cap = cap;
    }

    @Override
    public CompletableFuture<Optional<byte[]>> next() {
      nextCalls.incrementAndGet();
      if (bytesProduced.get() >= cap || closed.get()) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      bytesProduced.addAndGet(chunk.length);
      return CompletableFuture.supplyAsync(() -> Optional.of(chunk.clone()));
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }
}
