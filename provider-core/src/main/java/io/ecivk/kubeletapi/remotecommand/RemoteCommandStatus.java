package io.ecivk.kubeletapi.remotecommand;

import java.util.List;
import java.util.Optional;

/**
 * The final status of a session as the kubelet reports it on the error stream: a {@code metav1.Status} in JSON
 * for protocol v4 and later, the bare message for older protocols (which send nothing on success).
 *
 * <p>The JSON has the field order and omissions of Go's encoding of {@code metav1.Status}: {@code metadata}
 * always present and empty, {@code code} omitted when zero. A non-zero exit carries its code as the cause
 * {@code ExitCode}, which is what kubectl turns into its own exit code.
 *
 * @param succeeded whether the command ended successfully
 * @param json the v4/v5 payload
 * @param message the message older protocols send on failure; empty on success
 */
public record RemoteCommandStatus(boolean succeeded, String json, String message) {

  /** The command exited with 0 (or an attach ended). */
  public static RemoteCommandStatus success() {
    return new RemoteCommandStatus(true, "{\"metadata\":{},\"status\":\"Success\"}", "");
  }

  /**
   * The command exited with a non-zero code. The message wraps the error text a CRI runtime (containerd, CRI-O)
   * gives the kubelet for that case, so users see what a regular node shows.
   */
  public static RemoteCommandStatus nonZeroExit(int exitCode, List<String> command) {
    String message = "command terminated with non-zero exit code: error executing command "
        + goList(command) + ", exit code " + exitCode;
    String json = "{\"metadata\":{},\"status\":\"Failure\",\"message\":" + quote(message)
        + ",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":"
        + quote(Integer.toString(exitCode)) + "}]}}";
    return new RemoteCommandStatus(false, json, message);
  }

  /** The session failed for another reason (like the kubelet's {@code NewInternalError}). */
  public static RemoteCommandStatus internalError(String error) {
    String message = "Internal error occurred: " + error;
    String json = "{\"metadata\":{},\"status\":\"Failure\",\"message\":" + quote(message)
        + ",\"reason\":\"InternalError\",\"details\":{\"causes\":[{\"message\":" + quote(error) + "}]},\"code\":500}";
    return new RemoteCommandStatus(false, json, message);
  }

  /** What older protocols (v1 to v3) write on the error stream: nothing on success, else the message. */
  public Optional<String> legacyText() {
    return succeeded ? Optional.empty() : Optional.of(message);
  }

  /** Go's {@code %v} of a string slice: {@code [sh -c exit 3]}. */
  private static String goList(List<String> command) {
    return "[" + String.join(" ", command) + "]";
  }

  /** A JSON string literal, escaped as Go's encoder does (including {@code <}, {@code >} and {@code &}). */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
