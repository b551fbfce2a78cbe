package io.ecivk.kubeletapi.remotecommand;

import io.ecivk.kubeletapi.StreamTarget;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * The streams a remote-command request asks for, read from its query like the kubelet reads it.
 *
 * <p>The API server proxies {@code pods/exec} to the kubelet with the kubelet's own parameter names
 * ({@code input}, {@code output}, {@code error}, {@code tty}, repeated {@code command}) and the value {@code 1};
 * a client that talks to the node directly may use the pod API's names ({@code stdin}, {@code stdout},
 * {@code stderr}) and {@code true}. Both spellings are accepted; when both appear the kubelet's name wins.
 * As in the kubelet, a TTY merges standard error into standard output, so {@code stderr} is dropped with
 * {@code tty}.
 *
 * @param command the command and its arguments (empty for attach)
 */
public record StreamOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty, List<String> command) {

  /** The kubelet's error when no stream was requested (same text, so clients and docs match). */
  static final String NO_STREAMS = "you must specify at least 1 of stdin, stdout, stderr";

  /** Error for an exec without a command. */
  static final String NO_COMMAND = "you must specify at least one command for the container";

  public StreamOptions {
    command = List.copyOf(command);
  }

  /**
   * Parses a request URI's query.
   *
   * @throws IllegalArgumentException with a message fit for a 400 answer when the request cannot be served
   */
  public static StreamOptions parse(String uri, StreamTarget.Kind kind) {
    Map<String, List<String>> query = new QueryStringDecoder(uri).parameters();
    boolean tty = flag(query, "tty", "tty");
    boolean stdin = flag(query, "input", "stdin");
    boolean stdout = flag(query, "output", "stdout");
    boolean stderr = flag(query, "error", "stderr") && !tty;
    if (!stdin && !stdout && !stderr) {
      throw new IllegalArgumentException(NO_STREAMS);
    }
    List<String> command = kind == StreamTarget.Kind.EXEC ? query.getOrDefault("command", List.of()) : List.of();
    if (kind == StreamTarget.Kind.EXEC && command.isEmpty()) {
      throw new IllegalArgumentException(NO_COMMAND);
    }
    return new StreamOptions(stdin, stdout, stderr, tty, command);
  }

  /** Like Go's {@code FormValue}: the first value of the parameter decides. */
  private static boolean flag(Map<String, List<String>> query, String kubeletName, String apiName) {
    List<String> values = query.get(kubeletName);
    if (values == null || values.isEmpty()) {
      values = query.get(apiName);
    }
    if (values == null || values.isEmpty()) {
      return false;
    }
    String value = values.get(0);
    return "1".equals(value) || "true".equalsIgnoreCase(value);
  }
}
