package io.ecivk.eci.mock.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogGeneratorTest {

    private static final Instant START = Instant.parse("2026-11-23T10:00:00.250Z");

    private static String content(Instant lastWrite, Instant from, int tail, long limit, boolean timestamps) {
        return LogGenerator.content("web", START, lastWrite, new LogGenerator.Query(from, tail, limit, timestamps));
    }

    @Test
    void oneLineASecondFromTheStartInclusive() {
        assertThat(content(START.plusSeconds(2), null, 500, 1 << 20, false))
                .isEqualTo("web line 1\nweb line 2\nweb line 3\n");
        assertThat(content(START.minusMillis(1), null, 500, 1 << 20, false)).isEmpty();
        assertThat(content(START, null, 500, 1 << 20, true))
                .isEqualTo("2026-11-23T10:00:00.250000000Z web line 1\n");
    }

    @Test
    void fromThenTailThenLimit() {
        Instant now = START.plusSeconds(9); // lines 1..10
        assertThat(content(now, START.plusMillis(4500), 500, 1 << 20, false))
                .isEqualTo("web line 6\nweb line 7\nweb line 8\nweb line 9\nweb line 10\n");
        assertThat(content(now, START.plusSeconds(5), 2, 1 << 20, false)).isEqualTo("web line 9\nweb line 10\n");
        assertThat(content(now, null, 500, 13, false)).isEqualTo("web line 1\nwe");
    }

    @Test
    void truncationNeverSplitsACharacter() {
        assertThat(LogGenerator.truncate("aé", 2)).isEqualTo("a");
        assertThat(LogGenerator.truncate("aé", 3)).isEqualTo("aé");
    }
}
