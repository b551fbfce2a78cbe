package io.ecivk.eci.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.spi.ContainerLogs.LogOptions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogRequestsTest {
  private static final Instant SINCE = Instant.parse("2026-11-23T10:00:05.750Z");

  private static LogOptions options(boolean follow, Long tail, Instant since, boolean timestamps, boolean previous,
      Long limit) {
    return new LogOptions(follow, tail == null ? OptionalLong.empty() : OptionalLong.of(tail),
        Optional.ofNullable(since), timestamps, previous, limit == null ? OptionalLong.empty() : OptionalLong.of(limit));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("defaults: the most ECI gives", options(false, null, null, false, false, null),
            Map.of("ContainerGroupId", "eci-1", "ContainerName", "app", "Tail", 2000, "Timestamps", false)),
        Arguments.of("tail within range", options(false, 10L, null, false, false, null),
            Map.of("ContainerGroupId", "eci-1", "ContainerName", "app", "Tail", 10, "Timestamps", false)),
        Arguments.of("tail capped at 2000", options(false, 100_000L, null, false, false, null),
            Map.of("ContainerGroupId", "eci-1", "ContainerName", "app", "Tail", 2000, "Timestamps", false)),
        Arguments.of("since as StartTime, truncated to the second", options(false, null, SINCE, false, false, null),
            Map.of("ContainerGroupId", "eci-1", "ContainerName", "app", "Tail", 2000, "Timestamps", false,
                "StartTime", "2026-11-23T10:00:05Z")),
        Arguments.of("timestamps", options(false, 5L, null, true, false, null),
            Map.of("ContainerGroupId", "eci-1", "ContainerName", "app", "Tail", 5, "Timestamps", true)),
        Arguments.of("previous as LastTime", options(false, null, null, false, true, null),
            Map.of("ContainerGroupId", "eci-1", "ContainerName", "app", "Tail", 2000, "Timestamps", false,
                "LastTime", true)),
        Arguments.of("limitBytes passed on", options(false, null, null, false, false, 4096L),
            Map.of("ContainerGroupId", "eci-1", "ContainerName", "app", "Tail", 2000, "Timestamps", false,
                "LimitBytes", 4096L)),
        Arguments.of("limitBytes capped at 1 MB", options(false, null, null, true, false, 5_000_000L),
            Map.of("ContainerGroupId", "eci-1", "ContainerName", "app", "Tail", 2000, "Timestamps", true,
                "LimitBytes", 1_048_576L)),
        Arguments.of("follow forces timestamps and then counts bytes itself",
            options(true, 3L, null, false, false, 100L),
            Map.of("ContainerGroupId", "eci-1", "ContainerName", "app", "Tail", 3, "Timestamps", true)),
        Arguments.of("follow with timestamps keeps LimitBytes", options(true, 3L, null, true, false, 100L),
            Map.of("ContainerGroupId", "eci-1", "ContainerName", "app", "Tail", 3, "Timestamps", true,
                "LimitBytes", 100L)),
        Arguments.of("previous never follows", options(true, null, null, false, true, null),
            Map.of("ContainerGroupId", "eci-1", "ContainerName", "app", "Tail", 2000, "Timestamps", false,
                "LastTime", true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mapsOptionsOntoTheFirstRead(String name, LogOptions options, Map<String, Object> expected) {
    assertThat(LogRequests.initial("eci-1", "app", options).toParams()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "tailLines={0} -> no call: {1}")
  @org.junit.jupiter.params.provider.CsvSource({"0, true", "1, false"})
  void tailZeroNeedsNoCall(long tail, boolean none) {
    assertThat(LogRequests.noExistingLines(options(false, tail, null, false, false, null))).isEqualTo(none);
  }

  @org.junit.jupiter.api.Test
  void pollsStartAtTheNewestSecondSeenWithTimestamps() {
    assertThat(LogRequests.poll("eci-1", "app", SINCE).toParams()).isEqualTo(Map.of("ContainerGroupId", "eci-1",
        "ContainerName", "app", "Tail", 2000, "StartTime", "2026-11-23T10:00:05Z", "Timestamps", true));
    assertThat(LogRequests.poll("eci-1", "app", null).toParams()).isEqualTo(Map.of("ContainerGroupId", "eci-1",
        "ContainerName", "app", "Tail", 2000, "Timestamps", true));
  }
}
