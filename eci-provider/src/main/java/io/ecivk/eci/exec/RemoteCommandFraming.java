package io.ecivk.eci.exec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.ecivk.spi.ContainerExec.ExecExit;
import io.ecivk.spi.ContainerExec.TerminalSize;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The framing of ECI's exec WebSocket session (the {@code WebSocketUri} ExecContainerCommand answers), and the only
 * class of the provider that knows it. ECI does not document that framing. We assume Kubernetes' remote-command
 * framing, because ECI runs a kubelet-style agent in every instance: its limits page reserves ports 10250/10255 for
 * "exec, logs, metrics". Every binary message starts with a channel byte, and the rest is that channel's payload:
 *
 * <ul>
 *   <li>0 stdin (to ECI), 1 stdout, 2 stderr (from ECI);
 *   <li>3 error: a JSON {@code metav1.Status}. {@code Success} means exit code 0. {@code Failure} with reason
 *       {@code NonZeroExitCode} carries the exit code as the cause {@code ExitCode}. Any other failure has no code;
 *   <li>4 resize (to ECI): {@code {"Width":cols,"Height":rows}};
 *   <li>255 close ({@code v5.channel.k8s.io} only): the payload names the channel being closed, {@code 0} = end of
 *       stdin.
 * </ul>
 *
 * The subprotocols offered, best first, are {@link #SUBPROTOCOLS}. If the real service turns out to frame
 * differently, only this class changes. The assumption is recorded in {@code docs/eci-simulator.md}.
 */
public final class RemoteCommandFraming {
  public static final String V5 = "v5.channel.k8s.io";
  public static final String V4 = "v4.channel.k8s.io";
  /** What the client offers in {@code Sec-WebSocket-Protocol}, best first. */
  public static final List<String> SUBPROTOCOLS = List.of(V5, V4);

  public static final int STDIN = 0;
  public static final int STDOUT = 1;
  public static final int STDERR = 2;
  public static final int ERROR = 3;
  public static final int RESIZE = 4;
  public static final int CLOSE = 255;

  private RemoteCommandFraming() {}

  /** One received message: its channel and payload. */
  public record Frame(int channel, byte[] payload) {
    public Frame {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  /** The message carrying {@code data} to the process's stdin. */
  public static byte[] stdin(byte[] data) {
    byte[] message = new byte[data.length + 1];
    message[0] = STDIN;
    System.arraycopy(data, 0, message, 1, data.length);
    return message;
  }

  /** The message announcing a terminal size. */
  public static byte[] resize(TerminalSize size) {
    String json = "{\"Width\":" + size.width() + ",\"Height\":" + size.height() + "}";
    byte[] payload = json.getBytes(StandardCharsets.US_ASCII);
    byte[] message = new byte[payload.length + 1];
    message[0] = RESIZE;
    System.arraycopy(payload, 0, message, 1, payload.length);
    return message;
  }

  /** The message ending the process's stdin; only meaningful under {@link #V5}. */
  public static byte[] closeStdin() {
    return new byte[] {(byte) CLOSE, STDIN};
  }

  /** Whether the negotiated subprotocol can signal the end of stdin. */
  public static boolean canCloseStdin(String subprotocol) {
    return V5.equals(subprotocol);
  }

  /** @throws IllegalArgumentException for an empty message */
  public static Frame decode(byte[] message) {
    if (message.length == 0) {
      throw new IllegalArgumentException("an exec message needs at least its channel byte");
    }
    return new Frame(message[0] & 0xff, Arrays.copyOfRange(message, 1, message.length));
  }

  /**
   * How the session ended, from the error channel's payload: the exit code of a {@code Success} or
   * {@code NonZeroExitCode} status, otherwise the status message as the reason.
   */
  public static ExecExit exitOf(byte[] statusPayload) {
    String text = new String(statusPayload, StandardCharsets.UTF_8);
    JsonObject status;
    try {
      JsonElement parsed = JsonParser.parseString(text);
      if (!parsed.isJsonObject()) {
        return ExecExit.failure("ECI ended the exec session with an unreadable status: " + abbreviate(text));
      }
      status = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      return ExecExit.failure("ECI ended the exec session with an unreadable status: " + abbreviate(text));
    }
    String outcome = string(status, "status");
    if ("Success".equals(outcome)) {
      return ExecExit.code(0);
    }
    if ("NonZeroExitCode".equals(string(status, "reason")) && status.has("details")
        && status.get("details").isJsonObject()) {
      JsonObject details = status.getAsJsonObject("details");
      if (details.has("causes") && details.get("causes").isJsonArray()) {
        for (JsonElement cause : details.getAsJsonArray("causes")) {
          if (cause.isJsonObject() && "ExitCode".equals(string(cause.getAsJsonObject(), "reason"))) {
            try {
              return ExecExit.code(Integer.parseInt(string(cause.getAsJsonObject(), "message")));
            } catch (NumberFormatException e) {
              break;
            }
          }
        }
      }
    }
    String message = string(status, "message");
    return ExecExit.failure(message == null || message.isEmpty() ? "the command failed in ECI" : message);
  }

  private static String string(JsonObject object, String key) {
    JsonElement value = object.get(key);
    return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
