package io.ecivk.eci.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.model.ContainerGroupMetricRecord;
import io.ecivk.eci.client.model.ContainerGroupMetricRecord.ContainerMetric;
import io.ecivk.eci.client.model.ContainerGroupMetricRecord.Cpu;
import io.ecivk.eci.client.model.ContainerGroupMetricRecord.Filesystem;
import io.ecivk.eci.client.model.ContainerGroupMetricRecord.Memory;
import io.ecivk.eci.client.model.ContainerGroupMetricRecord.Network;
import io.ecivk.eci.client.model.EciJson;
import io.ecivk.spi.PodKey;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatsSource.ContainerStats;
import io.ecivk.spi.PodStatsSource.NetworkInterface;
import io.ecivk.spi.PodStatsSource.PodStats;
import io.ecivk.spi.PodStatsSource.Usage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodStatsMapperTest {
  private static final Instant AT = Instant.parse("2026-11-23T10:00:30Z");
  private static final Pod POD = new PodBuilder()
      .withNewMetadata().withNamespace("ns").withName("web").withUid("uid-1").endMetadata()
      .withNewStatus().withStartTime("2026-11-23T09:00:00Z")
      .addNewContainerStatus().withName("app").withNewState().withNewRunning()
      .withStartedAt("2026-11-23T09:00:05Z").endRunning().endState().endContainerStatus()
      .endStatus()
      .build();

  private static OptionalLong of(long value) {
    return OptionalLong.of(value);
  }

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of("full record",
            new ContainerGroupMetricRecord(AT, new Cpu(2000L, 12.0, 9_000_000_000L, 250_000_000L),
                new Memory(1000L, 25L, 75L, 125L, 100L),
                new Network(List.of(new ContainerGroupMetricRecord.NetworkInterface("eth0", 2048L, 0L, 1L, 2L,
                    1024L, 0L, 3L, 1L))),
                List.of(new Filesystem("/dev/vdb", 100L, 60L, 40L, "ephemeral"),
                    new Filesystem("/dev/vdc", 100L, 90L, 10L, "nas")),
                List.of(new ContainerMetric("app", new Cpu(1000L, 5.0, 4_000_000_000L, 150_000_000L),
                    new Memory(null, 10L, 30L, 50L, 40L)))),
            new PodStats(new PodRef(new PodKey("ns", "web"), "uid-1"), AT, Instant.parse("2026-11-23T09:00:00Z"),
                new Usage(of(250_000_000L), of(9_000_000_000L), of(100L), of(125L), of(75L), of(40L)),
                List.of(new ContainerStats("app", AT, Instant.parse("2026-11-23T09:00:05Z"),
                    new Usage(of(150_000_000L), of(4_000_000_000L), of(40L), of(50L), of(30L), OptionalLong.empty()))),
                List.of(new NetworkInterface("eth0", 2048L, 1L, 1024L, 3L)))),
        Arguments.of("fields ECI left out stay unknown, never zero",
            new ContainerGroupMetricRecord(AT, new Cpu(null, null, null, 7L), null, null, null,
                List.of(new ContainerMetric("sidecar", null, null))),
            new PodStats(new PodRef(new PodKey("ns", "web"), "uid-1"), AT, Instant.parse("2026-11-23T09:00:00Z"),
                new Usage(of(7L), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
                    OptionalLong.empty(), OptionalLong.empty()),
                List.of(new ContainerStats("sidecar", AT, null, new Usage(OptionalLong.empty(), OptionalLong.empty(),
                    OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty()))),
                List.of())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void mapsARecordOntoPodStats(String name, ContainerGroupMetricRecord record, PodStats expected) {
    assertThat(PodStatsMapper.toPodStats(POD, record)).isEqualTo(expected);
  }

  @Test
  void readsTheWireShapeAndPicksTheNewestRecord() {
    String json = "{\"ContainerGroupId\":\"eci-1\",\"Records\":["
        + "{\"Timestamp\":\"2026-11-23T10:00:15Z\",\"CPU\":{\"UsageNanoCores\":1,\"Load\":0}},"
        + "{\"Timestamp\":\"2026-11-23T10:00:30Z\",\"CPU\":{\"Limit\":2000,\"UsageNanoCores\":2,"
        + "\"UsageCoreNanoSeconds\":30},\"Memory\":{\"WorkingSet\":5},\"Containers\":[{\"Name\":\"app\","
        + "\"CPU\":{\"UsageNanoCores\":2},\"Memory\":{\"WorkingSet\":5}}]}]}";
    var data = EciJson.fromJson(json,
        io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricResponse.MonitorData.class);

    ContainerGroupMetricRecord newest = PodStatsMapper.newest(data.records()).orElseThrow();

    assertThat(newest.timestamp()).isEqualTo(AT);
    assertThat(newest.cpu()).isEqualTo(new Cpu(2000L, null, 30L, 2L));
    assertThat(newest.memory().workingSet()).isEqualTo(5L);
    assertThat(newest.containers()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("app");
      assertThat(c.cpu().usageNanoCores()).isEqualTo(2L);
    });
    assertThat(PodStatsMapper.newest(List.of())).isEmpty();
  }
}
