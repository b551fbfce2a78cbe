package io.ecivk.eci.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLinesTest {

  private static List<String> fresh(LogLines.Cursor cursor, String content) {
    return cursor.fresh(LogLines.parse(content)).stream().map(LogLines.Line::raw).toList();
  }

  @Test
  void parsesTimestampsAndKeepsNewlines() {
    List<LogLines.Line> lines = LogLines.parse("2026-11-23T10:00:00.500000000Z a b\nno-time\n2026-11-23T10:00:01Z c");

    assertThat(lines).extracting(LogLines.Line::raw)
        .containsExactly("2026-11-23T10:00:00.500000000Z a b\n", "no-time\n", "2026-11-23T10:00:01Z c");
    assertThat(lines).extracting(LogLines.Line::time)
        .containsExactly(Instant.parse("2026-11-23T10:00:00.5Z"), null, Instant.parse("2026-11-23T10:00:01Z"));
    assertThat(lines).extracting(LogLines.Line::withoutTimestamp).containsExactly("a b\n", "no-time\n", "c");
  }

  @Test
  void overlapOfTheNewestSecondIsDeliveredOnce() {
    LogLines.Cursor cursor = new LogLines.Cursor();
    assertThat(fresh(cursor, "2026-11-23T10:00:00.1Z a\n2026-11-23T10:00:01.2Z b\n"))
        .containsExactly("2026-11-23T10:00:00.1Z a\n", "2026-11-23T10:00:01.2Z b\n");
    assertThat(cursor.from()).isEqualTo(Instant.parse("2026-11-23T10:00:01.2Z"));

    // The next poll starts at 10:00:01 and returns b again, plus c written in the same second, plus d.
    assertThat(fresh(cursor, "2026-11-23T10:00:01.2Z b\n2026-11-23T10:00:01.7Z c\n2026-11-23T10:00:02Z d\n"))
        .containsExactly("2026-11-23T10:00:01.7Z c\n", "2026-11-23T10:00:02Z d\n");
    assertThat(fresh(cursor, "2026-11-23T10:00:02Z d\n")).isEmpty();
    assertThat(fresh(cursor, "")).isEmpty();
    assertThat(cursor.from()).isEqualTo(Instant.parse("2026-11-23T10:00:02Z"));
  }

  @Test
  void identicalLinesAreCountedNotMerged() {
    LogLines.Cursor cursor = new LogLines.Cursor();
    assertThat(fresh(cursor, "2026-11-23T10:00:00Z same\n")).hasSize(1);
    // The same instant and text printed a second time: ECI now returns it twice.
    assertThat(fresh(cursor, "2026-11-23T10:00:00Z same\n2026-11-23T10:00:00Z same\n"))
        .containsExactly("2026-11-23T10:00:00Z same\n");
  }

  @Test
  void linesBeforeTheStartAreNeverDelivered() {
    LogLines.Cursor cursor = new LogLines.Cursor();
    cursor.startAt(Instant.parse("2026-11-23T10:00:05Z"));
    assertThat(fresh(cursor, "2026-11-23T10:00:04Z old\n2026-11-23T10:00:05Z new\n"))
        .containsExactly("2026-11-23T10:00:05Z new\n");
  }

  @Test
  void startingAfterAnInstantDropsLinesWrittenThen() {
    LogLines.Cursor cursor = new LogLines.Cursor();
    cursor.startAfter(Instant.parse("2026-11-23T10:00:05Z"));
    assertThat(fresh(cursor, "2026-11-23T10:00:05Z then\n2026-11-23T10:00:05.1Z after\n"))
        .containsExactly("2026-11-23T10:00:05.1Z after\n");
  }
}
