package io.ecivk.eci.mock.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.mock.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsBookTest {

    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private final MutableClock clock = new MutableClock(T);
    private final MetricsBook book = new MetricsBook(clock);

    @Test
    void defaultsWhenNothingIsSet() {
        assertThat(book.sample("g", List.of("a"), T, T.plusSeconds(10))).containsExactly(
                new MetricsBook.ContainerSample("a", MetricsBook.DEFAULT_CPU_NANO_CORES,
                        MetricsBook.DEFAULT_CPU_NANO_CORES * 10, MetricsBook.DEFAULT_WORKING_SET_BYTES));
    }

    @Test
    void cpuTimeIntegratesEachRateOverItsOwnPeriod() {
        book.set("g", new MetricsBook.Usage(200_000_000L, 1000L), Map.of());
        clock.advance(Duration.ofSeconds(10));
        book.set("g", null, Map.of("b", new MetricsBook.Usage(500_000_000L, null)));
        clock.advance(Duration.ofSeconds(4));

        // a: half of the group's 200m throughout; b: 100m for 10 s, then its own 500m for 4 s.
        assertThat(book.sample("g", List.of("a", "b"), T, clock.instant())).containsExactly(
                new MetricsBook.ContainerSample("a", 100_000_000L, 1_400_000_000L, 500L),
                new MetricsBook.ContainerSample("b", 500_000_000L, 1_000_000_000L + 2_000_000_000L, 500L));
        // A sample of the past sees the settings of the past.
        assertThat(book.sample("g", List.of("a", "b"), T, T.plusSeconds(5))).extracting(
                MetricsBook.ContainerSample::cpuNanoCores).containsExactly(100_000_000L, 100_000_000L);
    }

    @Test
    void negativeValuesAreRefused() {
        assertThatThrownBy(() -> new MetricsBook.Usage(-1L, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
