package io.ecivk.eci.logs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Log lines carrying ECI's timestamp prefix ({@code "<RFC 3339> <text>\n"}), and the de-duplication of the overlap
 * between two follow polls. A poll asks for lines from the second of the newest line seen, so it returns again
 * every line of that second; a line is new when it was not among them. Identical lines within one second are
 * counted, not merged, so a program printing the same line twice keeps both.
 */
final class LogLines {

  /** One line as ECI returned it ({@code raw}, with its newline) and its time (null when unparsable). */
  record Line(String raw, Instant time) {
    /** The line without its timestamp prefix. */
    String withoutTimestamp() {
      if (time == null) {
        return raw;
      }
      int space = raw.indexOf(' ');
      return space < 0 ? raw : raw.substring(space + 1);
    }
  }

  private LogLines() {}

  /** Splits content into lines, each keeping its newline; a last fragment without one is a line too. */
  static List<Line> parse(String content) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    while (start < content.length()) {
      int end = content.indexOf('\n', start);
      String raw = end < 0 ? content.substring(start) : content.substring(start, end + 1);
      lines.add(new Line(raw, timeOf(raw)));
      start = end < 0 ? content.length() : end + 1;
    }
    return lines;
  }

  static Instant timeOf(String raw) {
    int space = raw.indexOf(' ');
    if (space <= 0) {
      return null;
    }
    try {
      return Instant.parse(raw.substring(0, space));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The de-duplicating cursor of one follower. Not thread-safe. */
  static final class Cursor {
    private Instant newest;
    /** Lines written at or before this instant are never delivered (null: no such bound). */
    private Instant notAfter;
    /** How often each line of the newest second was seen. */
    private Map<String, Integer> boundary = new HashMap<>();

    /** Where the next poll starts: the newest time seen, or null before any line. */
    Instant from() {
      return newest;
    }

    /** Starts at {@code from} when nothing was seen yet: lines written before it are old. */
    void startAt(Instant from) {
      if (newest == null) {
        newest = from;
      }
    }

    /** Starts after {@code instant} when nothing was seen yet: lines written until then, inclusive, are old. */
    void startAfter(Instant instant) {
      if (newest == null) {
        newest = instant;
        notAfter = instant;
      }
    }

    /** The lines of {@code polled} not delivered before, in order; remembers them. */
    List<Line> fresh(List<Line> polled) {
      Map<String, Integer> seenNow = new HashMap<>();
      List<Line> fresh = new ArrayList<>();
      Instant floor = newest == null ? null : newest.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      for (Line line : polled) {
        if (line.time() != null && floor != null && line.time().isBefore(floor)) {
          continue; // older than the poll's start: ECI should not send it; never deliver it twice
        }
        if (line.time() != null && notAfter != null && !line.time().isAfter(notAfter)) {
          continue;
        }
        int occurrence = seenNow.merge(line.raw(), 1, Integer::sum);
        if (occurrence > boundary.getOrDefault(line.raw(), 0)) {
          fresh.add(line);
        }
      }
      Instant newestNow = newest;
      for (Line line : polled) {
        if (line.time() != null && (newestNow == null || line.time().isAfter(newestNow))) {
          newestNow = line.time();
        }
      }
      if (newestNow != null) {
        Instant second = newestNow.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, Integer> next = new HashMap<>();
        // Lines of the newest second come back in the next poll: keep their counts (old and new alike).
        Map<String, Integer> all = new HashMap<>(boundary);
        seenNow.forEach((raw, count) -> all.merge(raw, count, Math::max));
        all.forEach((raw, count) -> {
          Instant time = timeOf(raw);
          if (time != null && !time.isBefore(second)) {
            next.put(raw, count);
          }
        });
        boundary = next;
        newest = newestNow;
      }
      return fresh;
    }
  }
}
