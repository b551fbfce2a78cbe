package io.ecivk.kubeletapi.remotecommand;

import io.ecivk.spi.ContainerExec.TerminalSize;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the resize stream: a sequence of JSON objects {@code {"Width":80,"Height":24}} that may arrive split or
 * concatenated across frames (the kubelet reads it with a streaming JSON decoder, so clients rely on that).
 *
 * <p>Field names match case-insensitively, as Go's decoder does. An object that is not a valid size is skipped;
 * an object longer than {@value #MAX_OBJECT_BYTES} bytes makes the decoder drop input until the next object
 * starts, so a misbehaving client cannot grow memory. Not thread-safe: one decoder per stream.
 */
final class ResizeDecoder {

  static final int MAX_OBJECT_BYTES = 4096;
  /**
   * One member and its separator: a key, then a non-negative integer (group 2), a string, or a literal. Keys with
   * escapes are not sizes, so they need not be decoded.
   */
  private static final Pattern MEMBER = Pattern.compile(
      "\\s*\"([^\"\\\\]*)\"\\s*:\\s*(?:(\\d+)|\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9.eE+-]+|true|false|null)\\s*,?");

  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
  private int depth;
  private boolean inString;
  private boolean escaped;
  private boolean overflowed;

  /** Feeds bytes; returns the sizes completed by them, in order. */
  List<TerminalSize> feed(byte[] data) {
    List<TerminalSize> sizes = new ArrayList<>(1);
    for (byte b : data) {
      if (depth == 0) {
        if (b == '{') {
          depth = 1;
          current.reset();
          overflowed = false;
          current.write(b);
        }
        continue;
      }
      if (!overflowed) {
        current.write(b);
        if (current.size() > MAX_OBJECT_BYTES) {
          overflowed = true;
        }
      }
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{') {
        depth++;
      } else if (b == '}') {
        depth--;
        if (depth == 0 && !overflowed) {
          parse(current.toByteArray()).ifPresent(sizes::add);
        }
      }
    }
    return sizes;
  }

  /**
   * Reads one JSON object of the form {@code {"Width":80,"Height":24}}: a flat object whose {@code Width} and
   * {@code Height} members are non-negative integers; other members (strings, numbers, literals) are skipped.
   */
  static Optional<TerminalSize> parse(byte[] object) {
    String body = new String(object, StandardCharsets.UTF_8).trim();
    Integer width = null;
    Integer height = null;
    int pos = 1;
    if (!body.startsWith("{") || !body.endsWith("}")) {
      return Optional.empty();
    }
    Matcher m = MEMBER.matcher(body);
    m.region(1, body.length() - 1);
    while (m.lookingAt()) {
      String key = m.group(1);
      String number = m.group(2);
      if (number != null) {
        long value = number.length() > 6 ? Long.MAX_VALUE : Long.parseLong(number);
        if (key.equalsIgnoreCase("width")) {
          width = inRange(value) ? (int) value : null;
          if (width == null) {
            return Optional.empty();
          }
        } else if (key.equalsIgnoreCase("height")) {
          height = inRange(value) ? (int) value : null;
          if (height == null) {
            return Optional.empty();
          }
        }
      } else if (key.equalsIgnoreCase("width") || key.equalsIgnoreCase("height")) {
        return Optional.empty();
      }
      pos = m.end();
      m.region(pos, body.length() - 1);
    }
    if (!body.substring(pos, body.length() - 1).isBlank() || width == null || height == null) {
      return Optional.empty();
    }
    return Optional.of(new TerminalSize(width, height));
  }

  private static boolean inRange(long v) {
    return v >= 0 && v <= 0xFFFF;
  }
}
