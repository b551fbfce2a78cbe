package io.ecivk.kubeletapi.remotecommand;

import io.ecivk.spi.ContainerExec;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider for the tests. Output comes from a provider thread, as the SPI says. Commands:
 * {@code cat} (stdin to stdout, exit 0 at end of input), {@code exit N} ("out\n" on stdout, "err\n" on stderr,
 * exit N), {@code big N} (N bytes of output as fast as it may, honouring suspension, exit 0), {@code deaf N} (like
 * big, ignoring suspension), {@code sink} (holds stdin unacknowledged until the test calls
 * {@link FakeSession#releaseSink()}, then consumes and counts it; exit 0 at end of input), {@code tty}
 * (echo, "resize WxH\n" per resize, exit on Ctrl-D), {@code hang} (never exits), {@code fail-start} (the session
 * cannot be set up). Attach echoes like {@code cat}.
 */
final class FakeContainerExec implements ContainerExec {

  final List<ExecRequest> requests = new CopyOnWriteArrayList<>();
  final List<TerminalSize> resizes = new CopyOnWriteArrayList<>();
  final List<FakeSession> sessions = new CopyOnWriteArrayList<>();
  private final ExecutorService provider = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-provider");
    t.setDaemon(true);
    return t;
  });

  @Override
  public CompletableFuture<ExecSession> exec(Pod pod, String container, ExecRequest request, ExecOutput output) {
    return open(request.command(), request, output);
  }

  @Override
  public CompletableFuture<ExecSession> attach(Pod pod, String container, ExecRequest request, ExecOutput output) {
    return open(List.of("cat"), request, output);
  }

  private CompletableFuture<ExecSession> open(List<String> command, ExecRequest request, ExecOutput output) {
    requests.add(request);
    if (command.get(0).equals("fail-start")) {
      return CompletableFuture.failedFuture(
          new ProviderException(ErrorCategory.NOT_FOUND, "ContainerNotFound", "container main is gone"));
    }
    FakeSession session = new FakeSession(command, output);
    sessions.add(session);
    // As the SPI says, output follows the session's future: the session starts once the future completed.
    CompletableFuture<ExecSession> ready = new CompletableFuture<>();
    provider.execute(() -> {
      ready.complete(session);
      session.begin();
    });
    return ready;
  }

  final class FakeSession implements ExecSession {
    final List<String> command;
    final ExecOutput output;
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicBoolean exited = new AtomicBoolean();
    final AtomicBoolean stdinClosed = new AtomicBoolean();
    /** How often output was suspended, and whether it is now. */
    final AtomicInteger suspends = new AtomicInteger();
    private final Object gate = new Object();
    private boolean suspended;
    /** sink: bytes consumed, and the most ever handed over but not yet acknowledged. */
    final AtomicLong consumed = new AtomicLong();
    final AtomicLong unacknowledged = new AtomicLong();
    final AtomicLong peakUnacknowledged = new AtomicLong();
    private final List<Runnable> held = new java.util.ArrayList<>();
    private boolean sinkReleased;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fake-session");
      t.setDaemon(true);
      return t;
    });

    FakeSession(List<String> command, ExecOutput output) {
      this.command = command;
      this.output = output;
    }

    void begin() {
      switch (command.get(0)) {
        case "exit" -> thread.execute(() -> {
          output.stdout("out\n".getBytes(StandardCharsets.UTF_8));
          output.stderr("err\n".getBytes(StandardCharsets.UTF_8));
          exit(ExecExit.code(Integer.parseInt(command.get(1))));
        });
        case "big", "deaf" -> thread.execute(() -> {
          long total = Long.parseLong(command.get(1));
          boolean honour = command.get(0).equals("big");
          int chunk = 8192;
          for (long sent = 0; sent < total && !closed.get(); sent += chunk) {
            if (honour) {
              awaitResumed();
            }
            int n = (int) Math.min(chunk, total - sent);
            byte[] piece = new byte[n];
            for (int i = 0; i < n; i++) {
              piece[i] = (byte) ('a' + (sent + i) % 26);
            }
            output.stdout(piece);
          }
          exit(closed.get() ? ExecExit.failure("closed") : ExecExit.code(0));
        });
        default -> { }
      }
    }

    /** A provider thread that may block: waits while output is suspended (or until the session closes). */
    private void awaitResumed() {
      synchronized (gate) {
        while (suspended && !closed.get()) {
          try {
            gate.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }

    @Override
    public void suspendOutput() {
      synchronized (gate) {
        if (!suspended) {
          suspended = true;
          suspends.incrementAndGet();
        }
      }
    }

    @Override
    public void resumeOutput() {
      synchronized (gate) {
        suspended = false;
        gate.notifyAll();
      }
    }

    boolean suspended() {
      synchronized (gate) {
        return suspended;
      }
    }

    private void exit(ExecExit exit) {
      if (exited.compareAndSet(false, true)) {
        output.exited(exit);
      }
    }

    @Override
    public CompletionStage<Void> stdin(byte[] data) {
      if (command.get(0).equals("sink")) {
        return hold(data);
      }
      thread.execute(() -> {
        if (exited.get()) {
          return;
        }
        // In a terminal, Ctrl-D reaches the process as a byte, not as the end of input: tty ends on it.
        int eot = command.get(0).equals("tty") ? new String(data, StandardCharsets.ISO_8859_1).indexOf(4) : -1;
        if (eot >= 0) {
          if (eot > 0) {
            output.stdout(java.util.Arrays.copyOf(data, eot));
          }
          output.stdout("bye\r\n".getBytes(StandardCharsets.UTF_8));
          exit(ExecExit.code(0));
          return;
        }
        output.stdout(data);
      });
      return CompletableFuture.completedFuture(null);
    }

    /** sink: input is acknowledged when consumed, which waits for {@link #releaseSink()}. */
    private CompletionStage<Void> hold(byte[] data) {
      long holding = unacknowledged.addAndGet(data.length);
      peakUnacknowledged.accumulateAndGet(holding, Math::max);
      CompletableFuture<Void> done = new CompletableFuture<>();
      synchronized (gate) {
        if (!sinkReleased) {
          held.add(() -> consume(data.length, done));
          return done;
        }
      }
      consume(data.length, done);
      return done;
    }

    private void consume(int length, CompletableFuture<Void> done) {
      consumed.addAndGet(length);
      unacknowledged.addAndGet(-length);
      done.complete(null);
    }

    /** sink: consumes what it holds, and from now on everything at once. */
    void releaseSink() {
      List<Runnable> now;
      synchronized (gate) {
        sinkReleased = true;
        now = List.copyOf(held);
        held.clear();
      }
      now.forEach(Runnable::run);
    }

    @Override
    public void closeStdin() {
      stdinClosed.set(true);
      if (command.get(0).equals("sink")) {
        // The end of input comes after the input: once the sink consumed it.
        synchronized (gate) {
          if (!sinkReleased) {
            held.add(() -> exit(ExecExit.code(0)));
            return;
          }
        }
        exit(ExecExit.code(0));
      } else if (!command.get(0).equals("hang")) {
        thread.execute(() -> exit(ExecExit.code(0)));
      }
    }

    @Override
    public void resize(TerminalSize size) {
      resizes.add(size);
      thread.execute(() -> output.stdout(
          ("resize " + size.width() + "x" + size.height() + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
      closed.set(true);
      resumeOutput(); // wakes a producer waiting for resumption
      thread.execute(() -> exit(ExecExit.failure("closed")));
    }
  }
}
