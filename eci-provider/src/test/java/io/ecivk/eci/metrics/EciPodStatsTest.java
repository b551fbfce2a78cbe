package io.ecivk.eci.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.UnusedEciClient;
import io.ecivk.eci.client.model.ContainerGroupMetricRecord;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricRequest;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricResponse;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricResponse.MonitorData;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatsSource.PodStatsBatch;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batching, partial answers and cache eviction of {@link EciPodStats}, against a scripted client. */
class EciPodStatsTest {
  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
  private final ManualClock clock = new ManualClock(T);
  private final List<List<String>> calls = new CopyOnWriteArrayList<>();

  /** Answers one record per id; a batch holding "eci-throttled" fails as ECI's throttling would. */
  private final EciClient client = new UnusedEciClient() {
    @Override
    public DescribeMultiContainerGroupMetricResponse describeMultiContainerGroupMetric(
        DescribeMultiContainerGroupMetricRequest request) {
      calls.add(request.containerGroupIds());
      if (request.containerGroupIds().contains("eci-throttled")) {
        throw new ProviderException(ErrorCategory.THROTTLED, "Throttling.User", "slow down");
      }
      List<MonitorData> data = new ArrayList<>();
      for (String id : request.containerGroupIds()) {
        data.add(new MonitorData(id, List.of(new ContainerGroupMetricRecord(clock.instant(),
            new ContainerGroupMetricRecord.Cpu(1000L, null, 5L, 7L), null, null, List.of(), List.of()))));
      }
      return new DescribeMultiContainerGroupMetricResponse("req", data);
    }
  };

  /** Pod pN runs in group eci-N; the pod named in {@code groupless} has none. */
  private final EciPodStats stats = new EciPodStats(client, pod -> {
    String name = pod.getMetadata().getName();
    return name.equals("groupless") ? Optional.empty()
        : Optional.of(name.equals("slow") ? "eci-throttled" : "eci-" + name.substring(1));
  }, clock, Duration.ofSeconds(15), 2);

  @AfterEach
  void close() {
    stats.close();
  }

  private static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid("uid-" + name)
        .endMetadata().build();
  }

  private PodStatsBatch scrape(List<Pod> pods) throws Exception {
    return stats.stats(pods).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFailingBatchFailsOnlyItsOwnPods() throws Exception {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 39; i++) {
      pods.add(pod("p" + i));
    }
    pods.add(20, pod("slow")); // the 21st group: the second batch of 20 fails
    pods.add(pod("groupless"));

    PodStatsBatch batch = scrape(pods);

    assertThat(calls).hasSize(2).allSatisfy(ids -> assertThat(ids).hasSize(20));
    assertThat(batch.pods()).hasSize(20).allSatisfy(s -> {
      assertThat(s.timestamp()).isEqualTo(T);
      assertThat(s.usage().cpuUsageNanoCores()).hasValue(7);
    });
    assertThat(batch.failed()).hasSize(21).contains(PodRef.of(pod("slow")), PodRef.of(pod("groupless")),
        PodRef.of(pod("p20")), PodRef.of(pod("p38")));
  }

  @Test
  void recordsAreCachedForTheWindowAndEvictedWhenUnused() throws Exception {
    List<Pod> pods = List.of(pod("p1"), pod("p2"));
    scrape(pods);
    clock.advance(Duration.ofSeconds(14));
    scrape(pods);
    assertThat(calls).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(scrape(pods).pods()).extracting(s -> s.timestamp()).containsOnly(T.plusSeconds(15));
    assertThat(calls).hasSize(2);

    clock.advance(Duration.ofSeconds(15 * EciPodStats.EVICT_AFTER_WINDOWS + 1));
    scrape(List.of(pod("p3")));
    assertThat(stats.cachedGroups()).isEqualTo(1);
  }
}
