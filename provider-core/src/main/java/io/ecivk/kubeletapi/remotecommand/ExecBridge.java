package io.ecivk.kubeletapi.remotecommand;

import io.ecivk.kubeletapi.StreamTarget;
import io.ecivk.spi.ContainerExec;
import io.ecivk.spi.ContainerExec.ExecExit;
import io.ecivk.spi.ContainerExec.ExecRequest;
import io.ecivk.spi.ContainerExec.ExecSession;
import io.ecivk.spi.ContainerExec.TerminalSize;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges one client connection (WebSocket or SPDY, behind {@link Transport}) to one provider session.
 *
 * <p>Threading: every method except the {@link ContainerExec.ExecOutput} callbacks runs on the channel's event
 * loop; the callbacks come from provider threads and hop to the event loop, which keeps output and the final
 * status in the order the provider produced them.
 *
 * <p>Back-pressure, output: the bridge counts the bytes the provider pushed whose write to the client has not
 * completed yet (queued on the event loop, in the channel's outbound buffer, or waiting for the socket). Above
 * the high watermark it suspends the provider ({@link ExecSession#suspendOutput()}), at or below the low one it
 * resumes it, so a fast command streaming to a slow client (say {@code kubectl cp} of a large file) runs at the
 * client's pace with a bounded amount held here. {@code maxPendingOutputBytes} stays as a last resort against a
 * provider that ignores suspension: past it the session is ended with an error instead of buffering more.
 *
 * <p>Back-pressure, input: {@link ExecSession#stdin} answers a stage that completes once the provider handed the
 * bytes to its backend. While more than {@link #INPUT_HIGH_WATERMARK} bytes are unacknowledged, the bridge stops
 * reading from the client (auto-read off) and resumes at {@link #INPUT_LOW_WATERMARK}; TCP (and, over SPDY, the
 * client's window) then slows the client down. Reading is also off while the session is being set up, so nothing
 * piles up before it can be delivered.
 */
final class ExecBridge implements ContainerExec.ExecOutput {

  private static final Logger log = LoggerFactory.getLogger(ExecBridge.class);

  static final int STDOUT = 1;
  static final int STDERR = 2;

  /** Input messages held while the session is set up (reading stops then, so only one read's worth arrives). */
  static final int MAX_QUEUED_BEFORE_READY = 1024;

  /** Output pending above which the provider is suspended (lowered for small hard caps, see the constructor). */
  static final long OUTPUT_HIGH_WATERMARK = 256 * 1024;

  /** Input handed to the provider but not yet sent on, above which reading from the client stops. */
  static final long INPUT_HIGH_WATERMARK = 256 * 1024;

  /** Unacknowledged input at or below which reading from the client resumes. */
  static final long INPUT_LOW_WATERMARK = 64 * 1024;

  /** The protocol side: writes output and ends the connection. Called on the event loop only. */
  interface Transport {
    /**
     * Writes output for {@link #STDOUT} or {@link #STDERR} ({@code data} is the transport's to keep, and not
     * empty); the future completes when the bytes left.
     */
    ChannelFuture writeOutput(int stream, byte[] data);

    /** Reports the final status, ends the output streams, and closes the connection (now or once the client did). */
    void finish(RemoteCommandStatus status);
  }

  private final ContainerExec exec;
  private final StreamTarget target;
  private final StreamOptions options;
  private final Channel channel;
  private final long maxPendingOutputBytes;
  private final long outputHighWatermark;
  private final long outputLowWatermark;
  private Transport transport;

  private final AtomicLong pendingOutputBytes = new AtomicLong();
  private final AtomicBoolean overflowed = new AtomicBoolean();

  /**
   * Guards {@link #outputSuspended} and the suspend/resume calls, which come from the provider's thread (the
   * suspension, as soon as too much is pending, so a fast provider stops at once) and the event loop (resumption,
   * as writes complete). Each side re-checks the pending count under it, so a resumption is never lost.
   */
  private final Object flow = new Object();
  /** Whether the provider was asked to suspend output (applied to the session once it exists). */
  private boolean outputSuspended;
  private long suspensions;
  /** The provider's session as soon as it exists (before {@link #session}, which waits for the event loop). */
  private ExecSession flowSession;

  // Event-loop state (session is written there, under flow).
  private ExecSession session;
  private final ArrayDeque<Runnable> beforeReady = new ArrayDeque<>();
  private boolean started;
  private boolean finished;
  private boolean closed;
  /** Input given to the session whose stage has not completed. */
  private long pendingInputBytes;
  private boolean inputPaused;

  ExecBridge(ContainerExec exec, StreamTarget target, StreamOptions options, Channel channel, long maxPendingOutputBytes) {
    this.exec = exec;
    this.target = target;
    this.options = options;
    this.channel = channel;
    this.maxPendingOutputBytes = maxPendingOutputBytes;
    // The hard cap must leave room above the high watermark for what a provider still pushes before its
    // suspension takes effect (at least one backend read).
    this.outputHighWatermark = Math.min(OUTPUT_HIGH_WATERMARK, Math.max(1, maxPendingOutputBytes / 4));
    this.outputLowWatermark = outputHighWatermark / 4;
  }

  void transport(Transport transport) {
    this.transport = transport;
  }

  StreamOptions options() {
    return options;
  }

  /** Starts the provider session; input is held back (auto-read off) until it is ready. */
  void start() {
    if (started || closed) {
      return;
    }
    started = true;
    channel.config().setAutoRead(false);
    ExecRequest request = new ExecRequest(
        options.command(), options.stdin(), options.stdout(), options.stderr(), options.tty(), Optional.empty());
    CompletableFuture<ExecSession> future;
    try {
      future = target.kind() == StreamTarget.Kind.EXEC
          ? exec.exec(target.pod(), target.container(), request, this)
          : exec.attach(target.pod(), target.container(), request, this);
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    log.debug("remote command starting kind={} namespace={} pod={} container={} tty={}",
        target.kind(), target.pod().getMetadata().getNamespace(), target.pod().getMetadata().getName(),
        target.container(), options.tty());
    future.whenComplete((s, error) -> {
      if (s != null) {
        attachForFlowControl(s);
      }
      channel.eventLoop().execute(() -> onSessionReady(s, error));
    });
  }

  private void onSessionReady(ExecSession s, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      log.info("remote command failed to start kind={} pod={}/{} container={} error={}", target.kind(),
          target.pod().getMetadata().getNamespace(), target.pod().getMetadata().getName(), target.container(),
          cause.getMessage());
      beforeReady.clear();
      end(RemoteCommandStatus.internalError(failurePrefix() + cause.getMessage()));
      return;
    }
    if (closed || finished) {
      // The client left (or the session already ended) while it was being set up.
      s.close();
      return;
    }
    session = s;
    while (!beforeReady.isEmpty()) {
      beforeReady.poll().run();
    }
    updateAutoRead();
  }

  /**
   * Reading from the client runs once the session exists and while its input is not backed up; after the end
   * always (input is dropped then, and the client's close must be read).
   */
  private void updateAutoRead() {
    channel.config().setAutoRead(finished || (session != null && !inputPaused));
  }

  /** Input from the client (bytes copied by the caller). */
  void stdin(byte[] data) {
    if (!options.stdin() || data.length == 0) {
      return;
    }
    whenReady(() -> sendInput(data));
  }

  private void sendInput(byte[] data) {
    pendingInputBytes += data.length;
    if (!inputPaused && pendingInputBytes > INPUT_HIGH_WATERMARK) {
      inputPaused = true;
      updateAutoRead();
    }
    session.stdin(data).whenComplete((ignored, error) -> {
      if (channel.eventLoop().inEventLoop()) {
        inputSent(data.length);
      } else {
        channel.eventLoop().execute(() -> inputSent(data.length));
      }
    });
  }

  private void inputSent(int length) {
    pendingInputBytes -= length;
    if (inputPaused && pendingInputBytes <= INPUT_LOW_WATERMARK) {
      inputPaused = false;
      if (!closed) {
        updateAutoRead();
      }
    }
  }

  void closeStdin() {
    whenReady(() -> session.closeStdin());
  }

  void resize(TerminalSize size) {
    if (options.tty()) {
      whenReady(() -> session.resize(size));
    }
  }

  private void whenReady(Runnable action) {
    if (finished || closed) {
      return;
    }
    if (session == null) {
      if (beforeReady.size() >= MAX_QUEUED_BEFORE_READY) {
        // Only a client that ignores the protocol sends this much before its session exists.
        log.warn("remote command input before session start exceeds limit={}; closing", MAX_QUEUED_BEFORE_READY);
        channel.close();
        return;
      }
      beforeReady.add(action);
    } else {
      action.run();
    }
  }

  /** The connection is gone: ends the provider session. */
  void channelClosed() {
    if (closed) {
      return;
    }
    closed = true;
    beforeReady.clear();
    if (session != null && !finished) {
      session.close();
    }
  }

  // ExecOutput, on provider threads.

  @Override
  public void stdout(byte[] data) {
    output(STDOUT, data);
  }

  @Override
  public void stderr(byte[] data) {
    output(STDERR, data);
  }

  private void output(int stream, byte[] data) {
    // Output for a stream the client did not ask for is dropped, as the kubelet's ignore channels do.
    boolean wanted = stream == STDOUT ? options.stdout() : options.stderr();
    if (!wanted || data.length == 0 || overflowed.get()) {
      return;
    }
    long pending = pendingOutputBytes.addAndGet(data.length);
    if (pending > outputHighWatermark) {
      suspendOutput();
    }
    if (pending > maxPendingOutputBytes) {
      pendingOutputBytes.addAndGet(-data.length);
      if (overflowed.compareAndSet(false, true)) {
        channel.eventLoop().execute(this::onOverflow);
      }
      return;
    }
    // The SPI does not say the provider gives up the array, and it is written later, on the event loop.
    byte[] copy = data.clone();
    channel.eventLoop().execute(() -> {
      if (finished || closed) {
        pendingOutputBytes.addAndGet(-copy.length);
        return;
      }
      transport.writeOutput(stream, copy).addListener(f -> outputWritten(copy.length));
    });
  }

  /**
   * On the thread completing the session future: from now on suspension reaches the provider directly, without
   * waiting for the hop to the event loop (a fast provider may already be writing).
   */
  private void attachForFlowControl(ExecSession s) {
    synchronized (flow) {
      flowSession = s;
      if (outputSuspended) {
        s.suspendOutput();
      }
    }
  }

  /** On the provider's thread: too much output is pending. */
  private void suspendOutput() {
    synchronized (flow) {
      if (!outputSuspended && pendingOutputBytes.get() > outputHighWatermark) {
        outputSuspended = true;
        suspensions++;
        if (flowSession != null) {
          flowSession.suspendOutput();
        }
      }
    }
  }

  /** On the event loop: a write to the client completed (or failed: the channel is closing then). */
  private void outputWritten(int length) {
    long pending = pendingOutputBytes.addAndGet(-length);
    if (pending <= outputLowWatermark) {
      synchronized (flow) {
        if (outputSuspended && pendingOutputBytes.get() <= outputLowWatermark) {
          outputSuspended = false;
          if (flowSession != null) {
            flowSession.resumeOutput();
          }
        }
      }
    }
  }

  @Override
  public void exited(ExecExit exit) {
    channel.eventLoop().execute(() -> end(statusOf(exit)));
  }

  private RemoteCommandStatus statusOf(ExecExit exit) {
    if (exit.exitCode().isPresent()) {
      int code = exit.exitCode().get();
      // The kubelet reports exit codes for exec only; an attach that ends is a success.
      if (code == 0 || target.kind() == StreamTarget.Kind.ATTACH) {
        return RemoteCommandStatus.success();
      }
      return RemoteCommandStatus.nonZeroExit(code, options.command());
    }
    return RemoteCommandStatus.internalError(failurePrefix() + exit.message().orElse("session ended"));
  }

  private String failurePrefix() {
    return target.kind() == StreamTarget.Kind.EXEC
        ? "error executing command in container: "
        : "error attaching to container: ";
  }

  private void onOverflow() {
    log.warn("remote command output overflow pod={}/{} container={} maxPendingBytes={}",
        target.pod().getMetadata().getNamespace(), target.pod().getMetadata().getName(), target.container(),
        maxPendingOutputBytes);
    ExecSession s = session;
    end(RemoteCommandStatus.internalError(failurePrefix() + "the client did not read the output fast enough (more than "
        + maxPendingOutputBytes + " bytes pending)"));
    if (s != null) {
      s.close();
    }
  }

  private void end(RemoteCommandStatus status) {
    if (finished) {
      return;
    }
    finished = true;
    long suspensions;
    synchronized (flow) {
      suspensions = this.suspensions;
    }
    if (suspensions > 0) {
      log.debug("remote command ended pod={}/{} container={} outputSuspensions={}",
          target.pod().getMetadata().getNamespace(), target.pod().getMetadata().getName(), target.container(),
          suspensions);
    }
    if (!closed) {
      transport.finish(status);
      updateAutoRead();
    }
  }
}
