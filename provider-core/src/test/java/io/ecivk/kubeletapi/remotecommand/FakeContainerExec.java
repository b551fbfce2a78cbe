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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A provider for the tests. Output comes from a provider thread, as the SPI says. Commands:
 * {@code cat} (stdin to stdout, exit 0 at end of input), {@code exit N} ("out\n" on stdout, "err\n" on stderr,
 * exit N), {@code big N} (N bytes of output, exit 0), {@code tty} (echo, "resize WxH\n" per resize, exit on Ctrl-D),
 * {@code hang} (never exits), {@code fail-start} (the session cannot be set up). Attach echoes like {@code cat}.
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
    return CompletableFuture.supplyAsync(() -> {
      session.begin();
      return session;
    }, provider);
  }

  final class FakeSession implements ExecSession {
    final List<String> command;
    final ExecOutput output;
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicBoolean exited = new AtomicBoolean();
    final AtomicBoolean stdinClosed = new AtomicBoolean();
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
        case "big" -> thread.execute(() -> {
          int total = Integer.parseInt(command.get(1));
          byte[] chunk = new byte[8192];
          for (int sent = 0; sent < total && !closed.get(); sent += chunk.length) {
            int n = Math.min(chunk.length, total - sent);
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

    private void exit(ExecExit exit) {
      if (exited.compareAndSet(false, true)) {
        output.exited(exit);
      }
    }

    @Override
    public void stdin(byte[] data) {
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
    }

    @Override
    public void closeStdin() {
      stdinClosed.set(true);
      if (!command.get(0).equals("hang")) {
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
      thread.execute(() -> exit(ExecExit.failure("closed")));
    }
  }
}
