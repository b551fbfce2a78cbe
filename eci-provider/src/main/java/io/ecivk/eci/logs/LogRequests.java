package io.ecivk.eci.logs;

import io.ecivk.eci.client.model.DescribeContainerLogRequest;
import io.ecivk.spi.ContainerLogs.LogOptions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Maps the kubelet's log options onto DescribeContainerLog. Pure.
 *
 * <ul>
 *   <li>{@code tailLines} → {@code Tail}, capped at 2000 (ECI's maximum). Without {@code tailLines} the kubelet
 *       returns the whole log; ECI cannot, so we ask for the most it gives (2000 lines, at most 1 MB).
 *       {@code tailLines=0} makes no call at all (see {@link #noExistingLines}).
 *   <li>{@code since} → {@code StartTime}, truncated to the second (ECI documents RFC 3339 times in seconds). A
 *       relative {@code SinceSeconds} is never sent: ECI would judge it by its own clock after the request travelled.
 *   <li>{@code timestamps} → {@code Timestamps}; forced on when following, because de-duplication needs the
 *       times (they are stripped again when the client did not ask for them).
 *   <li>{@code previous} → {@code LastTime}.
 *   <li>{@code limitBytes} → {@code LimitBytes}, capped at 1 MB, sent only when the bytes ECI counts are the bytes
 *       the client gets (no timestamps to strip); the stream counts bytes itself across chunks in every case.
 * </ul>
 */
final class LogRequests {
  private LogRequests() {}

  /** Whether the options ask for no existing line ({@code tailLines=0}): the first read needs no call. */
  static boolean noExistingLines(LogOptions options) {
    return options.tailLines().isPresent() && options.tailLines().getAsLong() == 0;
  }

  /** Whether ECI must send timestamps: the client asked for them, or the stream follows. */
  static boolean eciTimestamps(LogOptions options) {
    return options.timestamps() || follows(options);
  }

  /** Following makes no sense for the previous instance, which has ended. */
  static boolean follows(LogOptions options) {
    return options.follow() && !options.previous();
  }

  /** The first read of a stream. */
  static DescribeContainerLogRequest initial(String groupId, String container, LogOptions options) {
    DescribeContainerLogRequest.Builder builder = DescribeContainerLogRequest.builder(groupId, container);
    long tail = options.tailLines().orElse(DescribeContainerLogRequest.MAX_TAIL);
    builder.tail((int) Math.max(1, Math.min(tail, DescribeContainerLogRequest.MAX_TAIL)));
    options.since().ifPresent(since -> builder.startTime(since.truncatedTo(ChronoUnit.SECONDS)));
    boolean timestamps = eciTimestamps(options);
    builder.timestamps(timestamps);
    if (options.previous()) {
      builder.lastTime(true);
    }
    if (options.limitBytes().isPresent() && timestamps == options.timestamps()) {
      builder.limitBytes(Math.max(1, Math.min(options.limitBytes().getAsLong(),
          DescribeContainerLogRequest.MAX_LIMIT_BYTES)));
    }
    return builder.build();
  }

  /**
   * A follow poll: every line written at or after {@code from} (truncated to the second; the overlap is
   * de-duplicated), as many as ECI gives.
   */
  static DescribeContainerLogRequest poll(String groupId, String container, Instant from) {
    DescribeContainerLogRequest.Builder builder = DescribeContainerLogRequest.builder(groupId, container)
        .tail(DescribeContainerLogRequest.MAX_TAIL)
        .timestamps(true);
    if (from != null) {
      builder.startTime(from.truncatedTo(ChronoUnit.SECONDS));
    }
    return builder.build();
  }
}
