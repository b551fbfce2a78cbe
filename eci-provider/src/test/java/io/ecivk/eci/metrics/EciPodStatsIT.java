package io.ecivk.eci.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.client.model.DeleteContainerGroupRequest;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.eci.mock.telemetry.MetricsBook;
import io.ecivk.eci.provider.EciProvider;
import io.ecivk.eci.provider.EciProviderConfig;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatsSource.PodStats;
import io.ecivk.spi.PodStatsSource.PodStatsBatch;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EciProvider}'s pod stats against the simulator over loopback, usage set through the simulator. */
class EciPodStatsIT {
  private static final String AK = "LTAI5tSTATSIT";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";
  private static final String MULTI = "DescribeMultiContainerGroupMetric";

  private ManualClock clock;
  private EciSimulator simulator;
  private EciProvider provider;

  @BeforeEach
  void start() {
    clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16").clock(clock).build();
    simulator.start();
    TeaEciClient client = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    provider = new EciProvider(client, new EciProviderConfig("cluster-it", "vk-stats", List.of("vsw-a"), "sg-a",
        null, Duration.ofSeconds(1), null, List.of("10.96.0.10"), "cluster.local"), clock);
  }

  @AfterEach
  void stop() {
    provider.close();
    simulator.close();
  }

  /** Creates pods and answers their group ids, in order. */
  private Map<Pod, String> create(int count) {
    Map<Pod, String> groups = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      Pod pod = new PodBuilder()
          .withNewMetadata().withName("p" + i).withNamespace("default").withUid("uid-p" + i).endMetadata()
          .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec()
          .build();
      groups.put(pod, provider.createPod(ResolvedPod.of(pod)).annotations().get(EciProvider.INSTANCE_ID_ANNOTATION));
    }
    return groups;
  }

  private PodStatsBatch scrape(List<Pod> pods) throws Exception {
    return provider.stats(pods).get(10, TimeUnit.SECONDS);
  }

  private static PodStats of(PodStatsBatch batch, Pod pod) {
    return batch.pods().stream().filter(s -> s.pod().equals(PodRef.of(pod))).findFirst().orElseThrow();
  }

  @Test
  void twentyFivePodsInTwoBatchesMatchTheSimulatorAndAreCachedForTheWindow() throws Exception {
    Map<Pod, String> groups = create(25);
    int i = 0;
    for (String groupId : groups.values()) {
      i++;
      simulator.setMetrics(groupId, new MetricsBook.Usage(i * 10_000_000L, i * (1L << 20)), Map.of());
    }
    clock.advance(Duration.ofSeconds(13)); // running since t0 + 3 s
    List<Pod> pods = new ArrayList<>(groups.keySet());

    PodStatsBatch batch = scrape(pods);

    assertThat(simulator.callCount(MULTI)).isEqualTo(2);
    assertThat(batch.failed()).isEmpty();
    assertThat(batch.pods()).hasSize(25);
    for (int n = 0; n < 25; n++) {
      PodStats stats = of(batch, pods.get(n));
      long cpu = (n + 1) * 10_000_000L;
      assertThat(stats.timestamp()).isEqualTo(clock.instant());
      assertThat(stats.usage().cpuUsageNanoCores()).hasValue(cpu);
      assertThat(stats.usage().cpuUsageCoreNanoSeconds()).hasValue(cpu * 10);
      assertThat(stats.usage().memoryWorkingSetBytes()).hasValue((n + 1) * (1L << 20));
      assertThat(stats.containers()).singleElement().satisfies(c -> {
        assertThat(c.name()).isEqualTo("app");
        assertThat(c.usage().cpuUsageNanoCores()).hasValue(cpu);
      });
      assertThat(stats.network()).singleElement().satisfies(nic -> assertThat(nic.name()).isEqualTo("eth0"));
    }

    clock.advance(Duration.ofSeconds(5));
    assertThat(scrape(pods).pods()).hasSize(25);
    assertThat(simulator.callCount(MULTI)).as("cached within the 15 s window").isEqualTo(2);
    clock.advance(Duration.ofSeconds(10));
    assertThat(scrape(pods).pods()).hasSize(25);
    assertThat(simulator.callCount(MULTI)).isEqualTo(4);
  }

  @Test
  void aGroupThatFailsAndAPodWithoutAGroupGiveAPartialAnswer() throws Exception {
    Map<Pod, String> groups = create(3);
    List<Pod> pods = new ArrayList<>(groups.keySet());
    Pod stranger = new PodBuilder(pods.get(0)).editMetadata().withName("stranger").withUid("uid-x").endMetadata()
        .build();
    clock.advance(Duration.ofSeconds(5));
    provider.client().deleteContainerGroup(new DeleteContainerGroupRequest(groups.get(pods.get(1)), null, true));

    PodStatsBatch batch = scrape(List.of(pods.get(0), pods.get(1), pods.get(2), stranger));

    assertThat(batch.pods()).extracting(PodStats::pod).containsExactlyInAnyOrder(PodRef.of(pods.get(0)),
        PodRef.of(pods.get(2)));
    assertThat(batch.failed()).containsExactlyInAnyOrder(PodRef.of(pods.get(1)), PodRef.of(stranger));
  }

  @Test
  void metricsServerComputesTheCpuSetInTheSimulator() throws Exception {
    Map<Pod, String> groups = create(1);
    Pod pod = groups.keySet().iterator().next();
    long x = 370_000_000L; // 370m
    clock.advance(Duration.ofSeconds(7));
    simulator.setMetrics(groups.get(pod), new MetricsBook.Usage(x, null), Map.of());

    clock.advance(Duration.ofSeconds(4));
    PodStats first = of(scrape(List.of(pod)), pod);
    clock.advance(Duration.ofSeconds(30));
    PodStats second = of(scrape(List.of(pod)), pod);

    // metrics-server: rate = Δ usageCoreNanoSeconds / Δ timestamp.
    long deltaCoreNanos = second.usage().cpuUsageCoreNanoSeconds().getAsLong()
        - first.usage().cpuUsageCoreNanoSeconds().getAsLong();
    long deltaNanos = Duration.between(first.timestamp(), second.timestamp()).toNanos();
    assertThat(deltaNanos).isEqualTo(Duration.ofSeconds(30).toNanos());
    assertThat(java.math.BigInteger.valueOf(deltaCoreNanos).multiply(java.math.BigInteger.valueOf(1_000_000_000L))
        .divide(java.math.BigInteger.valueOf(deltaNanos)).longValueExact()).isEqualTo(x);
    assertThat(second.containers().get(0).usage().cpuUsageNanoCores()).hasValue(x);
  }

  @Test
  void concurrentScrapesShareTheBatches() throws Exception {
    List<Pod> pods = new ArrayList<>(create(25).keySet());
    clock.advance(Duration.ofSeconds(5));

    var first = provider.stats(pods);
    var second = provider.stats(pods);

    assertThat(first.get(10, TimeUnit.SECONDS).pods()).hasSize(25);
    assertThat(second.get(10, TimeUnit.SECONDS).pods()).hasSize(25);
    assertThat(simulator.callCount(MULTI)).isEqualTo(2);
  }
}
