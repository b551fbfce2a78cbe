package io.ecivk.eci.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests for derived names. */
final class Hashes {
  private Hashes() {}

  /** The lowercase hex SHA-256 of {@code text}'s UTF-8 bytes. */
  static String sha256Hex(String text) {
    try {
      // A new digest per call: MessageDigest instances are not thread-safe.
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
