package io.ecivk.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * An event the backend itself reports about a pod, already aggregated there: {@code count} occurrences of the
 * same reason and message, the first at {@code firstTimestamp}, the last at {@code lastTimestamp}. The framework
 * records it as one Kubernetes Event carrying these values, and updates that Event when the backend reports a
 * higher count.
 */
public record ObservedEvent(ProviderEvent event, int count, Instant firstTimestamp, Instant lastTimestamp) {
  public ObservedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(firstTimestamp, "firstTimestamp");
    Objects.requireNonNull(lastTimestamp, "lastTimestamp");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    if (lastTimestamp.isBefore(firstTimestamp)) {
      throw new IllegalArgumentException(
          "lastTimestamp " + lastTimestamp + " is before firstTimestamp " + firstTimestamp);
    }
  }
}
