package io.ecivk.eci.status;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Kubernetes timestamps: RFC 3339 in UTC with whole seconds, e.g. {@code 2026-11-23T10:00:00Z}. */
final class Rfc3339 {
  private Rfc3339() {}

  static String format(Instant instant) {
    return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
