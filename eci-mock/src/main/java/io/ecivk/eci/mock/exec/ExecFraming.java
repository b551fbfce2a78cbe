package io.ecivk.eci.mock.exec;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The framing of the exec WebSocket session behind {@code WebSocketUri}. ECI does not document it; the simulator
 * assumes Kubernetes' remote-command framing ({@code v5.channel.k8s.io}, falling back to {@code v4.channel.k8s.io}):
 * every binary message starts with one channel byte and the rest is that channel's payload. This is the only class
 * of the simulator that knows the framing (see the fidelity register in {@code docs/eci-simulator.md}).
 * <ul>
 *   <li>0 stdin (client to server), 1 stdout, 2 stderr (server to client);</li>
 *   <li>3 error: one JSON {@code metav1.Status} at the end, {@code Success} or {@code Failure} with reason
 *       {@code NonZeroExitCode} and the exit code as the cause {@code ExitCode};</li>
 *   <li>4 resize: JSON {@code {"Width": cols, "Height": rows}};</li>
 *   <li>255 close (v5 only): the payload is the channel being closed, {@code 0} = end of stdin.</li>
 * </ul>
 */
public final class ExecFraming {

    public static final String V5 = "v5.channel.k8s.io";
    public static final String V4 = "v4.channel.k8s.io";
    /** The subprotocols the server accepts, best first. */
    public static final List<String> SUBPROTOCOLS = List.of(V5, V4);

    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    public static final int ERROR = 3;
    public static final int RESIZE = 4;
    public static final int CLOSE = 255;

    private ExecFraming() {
    }

    /** One decoded message: its channel (0..255) and payload. */
    public record Frame(int channel, byte[] payload) {

        public Frame {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    /** A terminal size in character cells. */
    public record TerminalSize(int width, int height) {
    }

    /** The message carrying {@code payload} on {@code channel}. */
    public static byte[] encode(int channel, byte[] payload) {
        if (channel < 0 || channel > 255) {
            throw new IllegalArgumentException("channel out of range: " + channel);
        }
        byte[] message = new byte[payload.length + 1];
        message[0] = (byte) channel;
        System.arraycopy(payload, 0, message, 1, payload.length);
        return message;
    }

    /** @throws IllegalArgumentException for an empty message (no channel byte) */
    public static Frame decode(byte[] message) {
        if (message.length == 0) {
            throw new IllegalArgumentException("an exec message needs at least its channel byte");
        }
        return new Frame(message[0] & 0xff, Arrays.copyOfRange(message, 1, message.length));
    }

    /** The error-channel message ending a session whose command exited with {@code exitCode}. */
    public static byte[] exitStatus(int exitCode) {
        JsonObject status = new JsonObject();
        status.add("metadata", new JsonObject());
        if (exitCode == 0) {
            status.addProperty("status", "Success");
        } else {
            status.addProperty("status", "Failure");
            status.addProperty("message", "command terminated with non-zero exit code: exit status " + exitCode);
            status.addProperty("reason", "NonZeroExitCode");
            JsonObject cause = new JsonObject();
            cause.addProperty("reason", "ExitCode");
            cause.addProperty("message", Integer.toString(exitCode));
            JsonArray causes = new JsonArray();
            causes.add(cause);
            JsonObject details = new JsonObject();
            details.add("causes", causes);
            status.add("details", details);
        }
        return encode(ERROR, status.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The error-channel message ending a session that failed for a reason other than an exit code. */
    public static byte[] failure(String message) {
        JsonObject status = new JsonObject();
        status.add("metadata", new JsonObject());
        status.addProperty("status", "Failure");
        status.addProperty("message", message);
        return encode(ERROR, status.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the payload is not {@code {"Width": n, "Height": n}} */
    public static TerminalSize parseResize(byte[] payload) {
        try {
            JsonElement parsed = JsonParser.parseString(new String(payload, StandardCharsets.UTF_8));
            JsonObject size = parsed.getAsJsonObject();
            int width = size.get("Width").getAsInt();
            int height = size.get("Height").getAsInt();
            if (width < 0 || height < 0 || width > 65535 || height > 65535) {
                throw new IllegalArgumentException("terminal size out of range: " + width + "x" + height);
            }
            return new TerminalSize(width, height);
        } catch (JsonSyntaxException | IllegalStateException | NullPointerException | NumberFormatException
                | UnsupportedOperationException e) {
            throw new IllegalArgumentException("not a resize message: " + e.getMessage(), e);
        }
    }
}
