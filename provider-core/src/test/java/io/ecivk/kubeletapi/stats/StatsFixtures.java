package io.ecivk.kubeletapi.stats;

import io.ecivk.spi.PodKey;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatsSource.ContainerStats;
import io.ecivk.spi.PodStatsSource.NetworkInterface;
import io.ecivk.spi.PodStatsSource.PodStats;
import io.ecivk.spi.PodStatsSource.Usage;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/** Two pods with known figures, shared by the rendering tests. */
final class StatsFixtures {
  static final Instant NODE_START = Instant.parse("2026-11-23T08:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-23T10:00:30Z");
  static final Instant T1 = Instant.parse("2026-11-23T10:00:00.250Z");
  static final Instant T2 = Instant.parse("2026-11-23T10:00:10Z");

  private StatsFixtures() {}

  static Usage usage(long nanoCores, long coreNanos, long ws, long usage, long rss) {
    return new Usage(OptionalLong.of(nanoCores), OptionalLong.of(coreNanos), OptionalLong.of(ws),
        OptionalLong.of(usage), OptionalLong.of(rss), OptionalLong.empty());
  }

  static PodStats web() {
    return new PodStats(new PodRef(new PodKey("shop", "web-1"), "uid-web"), T1,
        Instant.parse("2026-11-23T09:00:00Z"),
        new Usage(OptionalLong.of(250_000_000), OptionalLong.of(12_500_000_000L), OptionalLong.of(104_857_600),
            OptionalLong.of(157_286_400), OptionalLong.of(83_886_080), OptionalLong.of(4096)),
        List.of(
            new ContainerStats("nginx", T1, Instant.parse("2026-11-23T09:00:05Z"),
                usage(200_000_000, 10_000_000_000L, 83_886_080, 125_829_120, 67_108_864)),
            new ContainerStats("sidecar", T1, Instant.parse("2026-11-23T09:00:06.5Z"),
                usage(50_000_000, 2_500_000_000L, 20_971_520, 31_457_280, 16_777_216))),
        List.of(new NetworkInterface("eth0", 1000, 1, 2000, 2)));
  }

  static PodStats batch() {
    return new PodStats(new PodRef(new PodKey("jobs", "batch-\"x\""), "uid-batch"), T2,
        Instant.parse("2026-11-23T09:30:00Z"),
        new Usage(OptionalLong.of(1_000_000_000), OptionalLong.of(900_000_000_000L), OptionalLong.of(1_000_000),
            OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty()),
        List.of(new ContainerStats("main", T2, Instant.parse("2026-11-23T09:30:01Z"),
            new Usage(OptionalLong.of(1_000_000_000), OptionalLong.of(900_000_000_000L), OptionalLong.of(1_000_000),
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty()))),
        List.of());
  }

  static StatsSnapshot snapshot(List<PodRef> failed) {
    return new StatsSnapshot("vk-1", NODE_START, NOW, List.of(web(), batch()), failed);
  }
}
