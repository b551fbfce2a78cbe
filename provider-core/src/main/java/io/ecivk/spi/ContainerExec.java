package io.ecivk.spi;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Optional capability of a {@link PodLifecycleHandler}: run a command in a container, or attach to its main
 * process, for the kubelet API's {@code /exec} and {@code /attach}. Discovered with {@code instanceof}.
 *
 * <p>Contract: both methods return at once; the session is set up on provider threads and the returned future
 * completes when it is ready (or fails with a {@link io.ecivk.spi.errors.ProviderException}). Output arrives on
 * {@link ExecOutput} from provider threads, in order, one call at a time, and not before the future completed
 * (so the receiver can suspend it from the first byte); the receiver must not block.
 *
 * <p>Flow control, both ways, so that a fast stream meets a slow reader without buffering in between:
 * <ul>
 *   <li>Output: the receiver calls {@link ExecSession#suspendOutput()} when it holds too much output it could not
 *       pass on yet, and {@link ExecSession#resumeOutput()} once it drained. A suspended provider stops reading
 *       from its backend (so the backend's own flow control, e.g. TCP, slows the process down); output already
 *       read may still arrive, but no more than one read's worth. The receiver still bounds what it holds, and may
 *       end a session whose provider ignores suspension.
 *   <li>Input: {@link ExecSession#stdin} returns a stage that completes once the provider handed the bytes to its
 *       backend (not merely queued them); the caller keeps the bytes of stages not yet complete bounded, by
 *       not reading more from its client meanwhile.
 * </ul>
 */
public interface ContainerExec {

  /** Runs {@code request.command()} (non-empty) in the container. */
  CompletableFuture<ExecSession> exec(Pod pod, String container, ExecRequest request, ExecOutput output);

  /** Attaches to the container's main process ({@code request.command()} is ignored). */
  CompletableFuture<ExecSession> attach(Pod pod, String container, ExecRequest request, ExecOutput output);

  /**
   * What the client asked for.
   *
   * @param command the command and its arguments (exec only)
   * @param stdin whether the client sends input
   * @param stdout whether the client wants standard output
   * @param stderr whether the client wants standard error (always false with a TTY: the TTY merges them)
   * @param tty allocate a terminal
   * @param initialSize the terminal size the client announced first, when known
   */
  record ExecRequest(
      List<String> command,
      boolean stdin,
      boolean stdout,
      boolean stderr,
      boolean tty,
      Optional<TerminalSize> initialSize) {
    public ExecRequest {
      command = List.copyOf(command);
      Objects.requireNonNull(initialSize, "initialSize");
    }
  }

  /** A terminal size in character cells. */
  record TerminalSize(int width, int height) {}

  /**
   * How a session ended.
   *
   * @param exitCode the command's exit code, when it ran to completion
   * @param message why it ended otherwise (for example the container is gone); empty when it exited
   */
  record ExecExit(Optional<Integer> exitCode, Optional<String> message) {
    public static ExecExit code(int code) {
      return new ExecExit(Optional.of(code), Optional.empty());
    }

    public static ExecExit failure(String message) {
      return new ExecExit(Optional.empty(), Optional.of(message));
    }
  }

  /** Receives a session's output. Calls never overlap; none follows {@link #exited}. */
  interface ExecOutput {
    void stdout(byte[] data);

    void stderr(byte[] data);

    /** The session ended; called exactly once. */
    void exited(ExecExit exit);
  }

  /** The client's side of a running session. Thread-safe; calls after the session ended are ignored. */
  interface ExecSession extends AutoCloseable {

    /**
     * Sends input to the process (ignored without {@code stdin}). The provider owns {@code data} from now on.
     *
     * @return completes when the bytes left for the backend (written to its connection), or were dropped because
     *     the session ended or has no stdin; never completes exceptionally (a broken backend ends the session
     *     through {@link ExecOutput#exited} instead)
     */
    CompletionStage<Void> stdin(byte[] data);

    /**
     * Asks the provider to stop reading output from its backend until {@link #resumeOutput()}. Idempotent; calls
     * do not nest (one resume undoes any number of suspends). Ignored after the end. Must not block: it is called
     * from any thread, including from inside an {@link ExecOutput} callback and from an event loop.
     */
    void suspendOutput();

    /** Reading output resumes after {@link #suspendOutput()}. Idempotent; ignored after the end. */
    void resumeOutput();

    /** Closes the process's standard input (end of file). */
    void closeStdin();

    /** The client's terminal changed size (ignored without {@code tty}). */
    void resize(TerminalSize size);

    /** Ends the session (the client went away); {@link ExecOutput#exited} follows if it had not yet. */
    @Override
    void close();
  }
}
