package io.ecivk.eci.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.client.ratelimit.RateLimitedEciClient;
import io.ecivk.eci.client.ratelimit.RateLimits;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.eci.mock.bench.StockOutMode;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** eci-fail-strategy against the simulator's stock-outs: fail-fast fails the pod, fail-back waits for stock. */
class EciProviderFailFastIT {
  private static final String AK = "LTAI5tFAILFAST";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private ManualClock clock;
  private EciSimulator simulator;
  private EciProvider provider;
  private final Set<PodRef> notified = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() {
    clock = new ManualClock(Instant.now());
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16").clock(clock).build();
    simulator.start();
    TeaEciClient raw = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    provider = new EciProvider(new RateLimitedEciClient(raw, RateLimits.defaults(), Clock.systemUTC()),
        new EciProviderConfig("cluster-it", "vk-failfast", List.of("vsw-a"), "sg-a", null, Duration.ofMillis(100),
            null, List.of("10.96.0.10"), "cluster.local"), clock);
    provider.setPodStatusListener(notified::add);
    provider.start();
  }

  @AfterEach
  void stop() {
    provider.close();
    simulator.close();
  }

  @Test
  void failFastPodFailsWithProviderFailedOnNoStockAndItsGroupIsDeleted() {
    simulator.outOfStock("cn-hangzhou-i", null, StockOutMode.PENDING);
    Pod fast = pod("fast", "uid-fast", "fail-fast");
    Pod patient = pod("patient", "uid-patient", null);
    provider.createPod(ResolvedPod.of(fast));
    provider.createPod(ResolvedPod.of(patient));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(provider.getPodStatus(fast)).hasValueSatisfying(status -> {
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(status.getReason()).isEqualTo("ProviderFailed");
        assertThat(status.getMessage()).contains("out of stock").contains("fail-fast");
      });
      assertThat(notified).contains(PodRef.of(fast));
      assertThat(provider.getPodStatus(patient)).hasValueSatisfying(
          status -> assertThat(status.getPhase()).isEqualTo("Pending"));
    });
    clock.advance(Duration.ofSeconds(2)); // past the deleted group's Terminating second
    assertThat(simulator.containerGroupCount()).isEqualTo(1); // only the patient pod's group is left

    simulator.restoreStock("cn-hangzhou-i", null);
    clock.advance(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(provider.getPodStatus(patient)).hasValueSatisfying(
            status -> assertThat(status.getPhase()).isEqualTo("Running")));
    assertThat(provider.getPodStatus(fast).orElseThrow().getReason()).isEqualTo("ProviderFailed");

    provider.deletePod(fast); // the pod's deletion finds nothing left to delete
    assertThat(provider.getPodStatus(fast)).isEmpty();
  }

  @Test
  void failFastPodFailsWhenEciGivesUpWithScheduleFailed() {
    simulator.outOfStock("cn-hangzhou-i", null, StockOutMode.SCHEDULE_FAILED);
    Pod fast = pod("sf", "uid-sf", "fail-fast");
    provider.createPod(ResolvedPod.of(fast));

    clock.advance(Duration.ofSeconds(1)); // Scheduling: the simulator gives up when it would place the group
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(provider.getPodStatus(fast)).hasValueSatisfying(
            status -> assertThat(status.getReason()).isEqualTo("ProviderFailed")));
    clock.advance(Duration.ofSeconds(2));
    assertThat(simulator.containerGroupCount()).isZero();
  }

  @Test
  void aGroupStillPendingAfterMaxPendingMinutesIsDeletedAndItsPodFailed() {
    simulator.outOfStock("cn-hangzhou-i", null, StockOutMode.PENDING);
    Pod limited = pod("limited", "uid-limited", null);
    limited.getMetadata().setAnnotations(Map.of("k8s.aliyun.com/eci-max-pending-minute", "10"));
    Pod unlimited = pod("unlimited", "uid-unlimited", null);
    provider.createPod(ResolvedPod.of(limited));
    provider.createPod(ResolvedPod.of(unlimited));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(provider.getPodStatus(limited)).hasValueSatisfying(
            status -> assertThat(status.getPhase()).isEqualTo("Pending")));

    clock.advance(Duration.ofMinutes(9)); // not yet
    long polls = provider.fullPasses() + provider.incrementalPasses();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> provider.fullPasses() + provider.incrementalPasses() >= polls + 3);
    assertThat(provider.getPodStatus(limited)).hasValueSatisfying(
        status -> assertThat(status.getPhase()).isEqualTo("Pending"));

    clock.advance(Duration.ofMinutes(1));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(provider.getPodStatus(limited)).hasValueSatisfying(status -> {
          assertThat(status.getPhase()).isEqualTo("Failed");
          assertThat(status.getReason()).isEqualTo("ProviderFailed");
          assertThat(status.getMessage()).contains("was still Pending").contains("eci-max-pending-minute");
        }));
    // The failed pod's group is deleted right after (Terminating, then gone as the simulator's clock moves); the
    // unlimited pod's group waits on.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      clock.advance(Duration.ofSeconds(1));
      assertThat(simulator.containerGroupCount()).isEqualTo(1);
    });
    assertThat(provider.getPodStatus(unlimited)).hasValueSatisfying(
        status -> assertThat(status.getPhase()).isEqualTo("Pending"));
  }

  private static Pod pod(String name, String uid, String strategy) {
    PodBuilder builder = new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("default").withUid(uid).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage("nginx:1.25")
        .withNewResources().withRequests(Map.of("cpu", new Quantity("1"), "memory", new Quantity("2Gi")))
        .endResources()
        .endContainer()
        .endSpec();
    if (strategy != null) {
      builder.editMetadata().withAnnotations(Map.of(FailStrategy.ANNOTATION, strategy)).endMetadata();
    }
    return builder.build();
  }
}
