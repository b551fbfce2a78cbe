package io.ecivk.eci.mock.telemetry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * The simulated output of a container run: one line a second of the simulator clock, deterministic, so a test can
 * say exactly which lines a request must return. Line {@code N} (1-based) of a run started at {@code S} is written
 * at {@code S + (N-1) s} and reads {@code "<container> line N"}. A running container has written every line up to
 * now (inclusive); a finished one every line before its finish time.
 */
public final class LogGenerator {

    /** Time between two lines of one run. */
    public static final Duration LINE_INTERVAL = Duration.ofSeconds(1);
    /** The most the API returns in one answer (eci-openapi.md §3.4). */
    public static final int MAX_CONTENT_BYTES = 1_048_576;

    /**
     * RFC 3339 with nanoseconds, always nine digits (Docker's and the kubelet's {@code --timestamps} prefix trims
     * trailing zeros; both forms are valid RFC 3339 and {@link Instant#parse} reads either).
     */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private LogGenerator() {
    }

    /**
     * What to return from one run.
     *
     * @param from       only lines written at or after this instant (null = all)
     * @param tail       at most the last this many of those lines
     * @param limitBytes cut the content after this many bytes (itself capped to {@link #MAX_CONTENT_BYTES})
     */
    public record Query(Instant from, int tail, long limitBytes, boolean timestamps) {
    }

    /**
     * The content of a run of {@code container} that started at {@code start} and has written every line up to
     * {@code lastWrite} inclusive.
     */
    public static String content(String container, Instant start, Instant lastWrite, Query query) {
        long total = lastWrite.isBefore(start) ? 0 : Duration.between(start, lastWrite).toNanos()
                / LINE_INTERVAL.toNanos() + 1;
        long first = 0;
        if (query.from() != null && query.from().isAfter(start)) {
            long offset = Duration.between(start, query.from()).toNanos();
            long step = LINE_INTERVAL.toNanos();
            first = (offset + step - 1) / step;
        }
        first = Math.max(first, total - query.tail());
        StringBuilder out = new StringBuilder();
        for (long index = first; index < total; index++) {
            if (query.timestamps()) {
                out.append(TIMESTAMP.format(start.plus(LINE_INTERVAL.multipliedBy(index)))).append(' ');
            }
            out.append(container).append(" line ").append(index + 1).append('\n');
        }
        return truncate(out.toString(), Math.min(query.limitBytes(), MAX_CONTENT_BYTES));
    }

    /** The first {@code limit} bytes of {@code text} in UTF-8, never splitting a character. */
    static String truncate(String text, long limit) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= limit) {
            return text;
        }
        int end = (int) limit;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(Arrays.copyOf(bytes, end), StandardCharsets.UTF_8);
    }
}
