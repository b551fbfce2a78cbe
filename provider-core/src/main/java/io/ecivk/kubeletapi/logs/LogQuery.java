package io.ecivk.kubeletapi.logs;

import io.ecivk.spi.ContainerLogs.LogOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The query of {@code /containerLogs/{ns}/{pod}/{container}} turned into {@link LogOptions}, with the checks
 * the API server applies to {@code PodLogOptions}: {@code tailLines} at least 0, {@code sinceSeconds} and
 * {@code limitBytes} at least 1, {@code sinceTime} RFC 3339, at most one of {@code sinceSeconds} and
 * {@code sinceTime}. Booleans read as Kubernetes query parameters do: present and not {@code false}/{@code 0}
 * (any case) means true, so {@code ?follow} and {@code ?follow=} mean follow.
 */
public final class LogQuery {
  private LogQuery() {}

  /** A query the server answers with 400 and this message. */
  public static final class InvalidQueryException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidQueryException(String message) {
      super(message);
    }
  }

  public static LogOptions parse(Map<String, List<String>> query, Clock clock) throws InvalidQueryException {
    OptionalLong sinceSeconds = longParam(query, "sinceSeconds", 1);
    Optional<String> sinceTimeText = first(query, "sinceTime");
    if (sinceSeconds.isPresent() && sinceTimeText.isPresent()) {
      throw new InvalidQueryException("at most one of `sinceTime` or `sinceSeconds` may be specified");
    }
    Optional<Instant> since = Optional.empty();
    if (sinceSeconds.isPresent()) {
      since = Optional.of(clock.instant().minusSeconds(sinceSeconds.getAsLong()));
    } else if (sinceTimeText.isPresent()) {
      try {
        since = Optional.of(OffsetDateTime.parse(sinceTimeText.get()).toInstant());
      } catch (DateTimeParseException e) {
        throw new InvalidQueryException("sinceTime: invalid RFC 3339 time \"" + sinceTimeText.get() + "\"");
      }
    }
    return new LogOptions(
        bool(query, "follow"),
        longParam(query, "tailLines", 0),
        since,
        bool(query, "timestamps"),
        bool(query, "previous"),
        longParam(query, "limitBytes", 1));
  }

  private static Optional<String> first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  private static boolean bool(Map<String, List<String>> query, String name) {
    return first(query, name).map(v -> {
      String s = v.toLowerCase(Locale.ROOT);
      return !s.equals("false") && !s.equals("0");
    }).orElse(false);
  }

  private static OptionalLong longParam(Map<String, List<String>> query, String name, long min)
      throws InvalidQueryException {
    Optional<String> v = first(query, name);
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    long n;
    try {
      n = Long.parseLong(v.get());
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(name + ": not an integer: \"" + v.get() + "\"");
    }
    if (n < min) {
      throw new InvalidQueryException(name + ": must be greater than or equal to " + min + ", got " + n);
    }
    return OptionalLong.of(n);
  }
}
