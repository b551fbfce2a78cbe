package io.ecivk.eci.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.client.model.UpdateContainerGroupRequest;
import io.ecivk.eci.client.ratelimit.RateLimitedEciClient;
import io.ecivk.eci.client.ratelimit.RateLimits;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ECI's events reach the provider's listener through the real client and the simulator, once each. */
class EciProviderEventsIT {
  private static final String AK = "LTAI5tPROVEVENTS";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private ManualClock clock;
  private EciSimulator simulator;
  private EciProvider provider;
  private final List<String> relayed = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    clock = new ManualClock(start);
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16").clock(clock).build();
    simulator.start();
    // The limiter on the system clock, so that polling on the manual clock never runs out of tokens.
    provider = new EciProvider(new RateLimitedEciClient(rawClient(), RateLimits.defaults(), Clock.systemUTC()),
        new EciProviderConfig("cluster-it", "vk-events", List.of("vsw-a"), "sg-a", null, Duration.ofMillis(100),
            null, List.of("10.96.0.10"), "cluster.local"), clock);
    provider.setPodEventListener((pod, e) -> relayed.add(pod.uid() + " "
        + e.event().type().kubernetesName() + " " + e.event().reason() + " x" + e.count()));
    provider.start();
  }

  @AfterEach
  void stop() {
    provider.close();
    simulator.close();
  }

  @Test
  void eventsOfACreatedGroupReachTheListenerOnceAndACountIncreaseAgain() {
    Pod pod = new PodBuilder()
        .withNewMetadata().withName("web").withNamespace("default").withUid("uid-web").endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage("nginx:1.25")
        .withNewResources().withRequests(Map.of("cpu", new Quantity("1500m"), "memory", new Quantity("3Gi")))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
    List<ProviderEvent> atCreate = provider.createPod(ResolvedPod.of(pod)).events();
    String group = provider.groupIdOf(pod).orElseThrow();
    clock.advance(Duration.ofSeconds(3)); // Scheduling 1 s, Pending 2 s: Running

    assertThat(atCreate).extracting(ProviderEvent::reason)
        .containsExactly("AutoInstanceTypeMatch", "MultiZoneRecommendations");
    // The provider asked for the rounded size itself, so ECI has no AutoInstanceTypeMatch of its own to report.
    List<String> lifecycle = List.of(
        "uid-web Normal Scheduled x1",
        "uid-web Normal Pulling x1",
        "uid-web Normal Pulled x1",
        "uid-web Normal Created x1",
        "uid-web Normal Started x1");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(relayed).containsExactlyElementsOf(lifecycle));

    // Many more polls answer the same events (the window overlaps): nothing is relayed twice.
    long calls = provider.events().calls();
    await().atMost(Duration.ofSeconds(10)).until(() -> provider.events().calls() >= calls + 10);
    assertThat(relayed).containsExactlyElementsOf(lifecycle);

    TeaEciClient eci = rawClient();
    eci.updateContainerGroup(UpdateContainerGroupRequest.builder(group).restartPolicy("OnFailure").build());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(relayed).last().isEqualTo("uid-web Normal Updated x1"));
    clock.advance(Duration.ofSeconds(1));
    eci.updateContainerGroup(UpdateContainerGroupRequest.builder(group).restartPolicy("Always").build());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(relayed).last().isEqualTo("uid-web Normal Updated x2"));
    long after = provider.events().calls();
    await().atMost(Duration.ofSeconds(10)).until(() -> provider.events().calls() >= after + 10);
    assertThat(relayed).hasSize(lifecycle.size() + 2);
  }

  private TeaEciClient rawClient() {
    return new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(5)));
  }
}
