package io.ecivk.kubeletapi.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TtlCacheTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));

  @Test
  void entriesExpireAtTheirDeadline() {
    TtlCache<String, Integer> cache = new TtlCache<>(clock, 10);
    cache.put("a", 1, Duration.ofSeconds(30));
    cache.put("b", 2, Duration.ofMinutes(5));
    clock.advance(Duration.ofSeconds(29));
    assertThat(cache.get("a")).contains(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("a")).isEmpty();
    assertThat(cache.get("b")).contains(2);
  }

  @Test
  void staysBoundedSweepingExpiredEntriesFirst() {
    TtlCache<Integer, Integer> cache = new TtlCache<>(clock, 3);
    cache.put(1, 1, Duration.ofSeconds(1));
    cache.put(2, 2, Duration.ofMinutes(1));
    cache.put(3, 3, Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(2));
    cache.put(4, 4, Duration.ofMinutes(1));
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.get(2)).contains(2);
    cache.put(5, 5, Duration.ofMinutes(1));
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.get(5)).contains(5);
  }

  @Test
  void aZeroTtlIsNotStored() {
    TtlCache<String, Integer> cache = new TtlCache<>(clock, 10);
    cache.put("a", 1, Duration.ZERO);
    assertThat(cache.get("a")).isEmpty();
  }
}
