package io.ecivk.kubeletapi.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.spi.ContainerLogs.LogOptions;
import io.ecivk.testkit.ManualClock;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogQueryTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));

  private LogOptions parse(String query) throws LogQuery.InvalidQueryException {
    return LogQuery.parse(new QueryStringDecoder("/containerLogs/a/b/c?" + query).parameters(), clock);
  }

  @ParameterizedTest(name = "?{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // query | follow | tail | since | timestamps | previous | limit
      "                                 | false | -  | -                    | false | false | -",
      "follow=true                      | true  | -  | -                    | false | false | -",
      "follow                           | true  | -  | -                    | false | false | -",
      "follow=                          | true  | -  | -                    | false | false | -",
      "follow=false                     | false | -  | -                    | false | false | -",
      "follow=FALSE&previous=0          | false | -  | -                    | false | false | -",
      "follow=1&previous=True           | true  | -  | -                    | false | true  | -",
      "tailLines=0                      | false | 0  | -                    | false | false | -",
      "tailLines=10&timestamps=true     | false | 10 | -                    | true  | false | -",
      "sinceSeconds=60                  | false | -  | 2026-11-23T09:59:00Z | false | false | -",
      "sinceTime=2026-11-23T08:00:00Z   | false | -  | 2026-11-23T08:00:00Z | false | false | -",
      "sinceTime=2026-11-23T10:00:00%2B02:00 | false | - | 2026-11-23T08:00:00Z | false | false | -",
      "sinceTime=2026-11-23T08:00:00.5Z | false | -  | 2026-11-23T08:00:00.500Z | false | false | -",
      "limitBytes=1                     | false | -  | -                    | false | false | 1",
      "limitBytes=5000&follow=true&tailLines=3 | true | 3 | -              | false | false | 5000",
  })
  void parses(String query, boolean follow, Long tail, String since, boolean timestamps, boolean previous,
      Long limit) throws Exception {
    LogOptions o = parse(query == null ? "" : query);
    assertThat(o).isEqualTo(new LogOptions(follow,
        tail == null ? OptionalLong.empty() : OptionalLong.of(tail),
        since == null ? Optional.empty() : Optional.of(Instant.parse(since)),
        timestamps, previous,
        limit == null ? OptionalLong.empty() : OptionalLong.of(limit)));
  }

  @ParameterizedTest(name = "?{0}")
  @CsvSource(delimiter = '|', value = {
      "tailLines=abc                        | tailLines: not an integer: \"abc\"",
      "tailLines=-1                         | tailLines: must be greater than or equal to 0, got -1",
      "sinceSeconds=0                       | sinceSeconds: must be greater than or equal to 1, got 0",
      "sinceSeconds=1.5                     | sinceSeconds: not an integer: \"1.5\"",
      "limitBytes=0                         | limitBytes: must be greater than or equal to 1, got 0",
      "limitBytes=99999999999999999999      | limitBytes: not an integer: \"99999999999999999999\"",
      "sinceTime=yesterday                  | sinceTime: invalid RFC 3339 time \"yesterday\"",
      "sinceSeconds=5&sinceTime=2026-11-23T08:00:00Z | at most one of `sinceTime` or `sinceSeconds` may be specified",
  })
  void rejects(String query, String message) {
    assertThatThrownBy(() -> parse(query)).isInstanceOf(LogQuery.InvalidQueryException.class)
        .hasMessage(message);
  }
}
