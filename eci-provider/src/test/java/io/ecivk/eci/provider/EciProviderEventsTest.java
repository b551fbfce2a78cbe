package io.ecivk.eci.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.model.DescribeContainerGroupEventsResponse.Event;
import io.ecivk.eci.client.ratelimit.RateLimits;
import io.ecivk.spi.ObservedEvent;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ECI events relayed by the provider: incremental windows, one relay per new event or grown count, forgetting what
 * left the window, events of groups not yet tied to a pod, and MultiZoneRecommendations at create. Polls are
 * driven directly on a stepped clock.
 */
class EciProviderEventsTest {
  private static final Duration INTERVAL = Duration.ofSeconds(3);
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final ManualClock clock = new ManualClock(START);
  private final FakeEciClient eci = new FakeEciClient(clock);
  private final List<String> relayed = new ArrayList<>();

  private EciProvider provider(List<String> vSwitches) {
    EciProviderConfig config = new EciProviderConfig("cluster-ut", "vk-ut", vSwitches, "sg-a", null, INTERVAL,
        null, List.of(), "cluster.local", Duration.ofSeconds(60), RateLimits.defaults());
    EciProvider p = new EciProvider(eci, config, clock);
    p.setPodEventListener((PodRef pod, ObservedEvent e) -> relayed.add(pod.uid() + " " + e.event().type() + " "
        + e.event().reason() + " x" + e.count() + " " + e.firstTimestamp() + ".." + e.lastTimestamp()));
    return p;
  }

  private static Event event(int count, String type, String reason, Instant first, Instant last) {
    return new Event(count, type, reason, reason + " message", first, last, "eci", "", null, null, null);
  }

  private void step(EciProvider provider, int seconds) {
    clock.advance(Duration.ofSeconds(seconds));
    provider.pollEventsSafely();
  }

  @Test
  void eachEventIsRelayedOnceAndAgainOnlyWhenItsCountGrows() {
    EciProvider provider = provider(List.of("vsw-a", "vsw-b"));
    String group = provider.createPod(ResolvedPod.of(pod("web", "uid-web")))
        .annotations().get(EciProvider.INSTANCE_ID_ANNOTATION);
    Instant t0 = clock.instant();
    eci.putEvent(group, event(1, "Warning", "NoStock", t0, t0));
    eci.putEvent(group, event(1, "Normal", "AutoInstanceTypeMatch", t0, t0));

    provider.pollEventsSafely(); // first poll: 5 minutes back
    step(provider, 3); // same events again in the overlapping window: nothing new
    eci.putEvent(group, event(3, "Warning", "NoStock", t0, t0.plusSeconds(4))); // ECI aggregated two more
    step(provider, 3);
    step(provider, 3);

    assertThat(relayed).containsExactly(
        "uid-web WARNING NoStock x1 2026-01-01T00:00:00Z..2026-01-01T00:00:00Z",
        "uid-web NORMAL AutoInstanceTypeMatch x1 2026-01-01T00:00:00Z..2026-01-01T00:00:00Z",
        "uid-web WARNING NoStock x3 2026-01-01T00:00:00Z..2026-01-01T00:00:04Z");
    assertThat(eci.eventRequests).extracting(r -> r.sinceSecond()).containsExactly(300, 11, 11, 11);
    assertThat(eci.eventRequests).allSatisfy(r -> {
      assertThat(r.limit()).isEqualTo(200);
      assertThat(r.tags()).extracting(t -> t.key() + "=" + t.value()).contains("ecivk.io/node-name=vk-ut");
    });
    assertThat(provider.events().relayed()).isEqualTo(3);
  }

  @Test
  void keysAreForgottenOnceOutOfEveryFutureWindowAndAFailedPollLosesNothing() {
    EciProvider provider = provider(List.of("vsw-a", "vsw-b"));
    String group = provider.createPod(ResolvedPod.of(pod("web", "uid-web")))
        .annotations().get(EciProvider.INSTANCE_ID_ANNOTATION);
    eci.putEvent(group, event(1, "Normal", "Started", START, START));
    provider.pollEventsSafely();
    assertThat(provider.events().trackedEvents()).isEqualTo(1);

    for (int i = 0; i < 8; i++) {
      step(provider, 3); // 24 s later: older than the 11 s window plus twice the 5 s slack
    }
    assertThat(provider.events().trackedEvents()).isZero();
    assertThat(relayed).hasSize(1); // and never relayed again meanwhile

    // Polls skipped for 40 s (throttled, ECI down): the next window reaches back over the gap.
    clock.advance(Duration.ofSeconds(40));
    Instant during = clock.instant().minusSeconds(30);
    eci.putEvent(group, event(1, "Warning", "OOMKilled", during, during));
    provider.pollEventsSafely();
    assertThat(eci.eventRequests.get(eci.eventRequests.size() - 1).sinceSecond()).isEqualTo(45);
    assertThat(relayed).last().asString().contains("OOMKilled x1");
  }

  @Test
  void eventsOfAGroupNotYetTiedToAPodAreRelayedOnceItIs() {
    EciProvider provider = provider(List.of("vsw-a", "vsw-b"));
    String stranger = eci.add("Pending"); // a group this process did not create and has not resolved
    eci.putEvent(stranger, event(1, "Warning", "NoStock", START, START));
    provider.pollEventsSafely();
    assertThat(relayed).isEmpty();
    assertThat(provider.events().trackedEvents()).isZero();
  }

  @Test
  void aSingleVSwitchAddsMultiZoneRecommendationsAtCreate() {
    List<ProviderEvent> single = provider(List.of("vsw-a")).createPod(ResolvedPod.of(pod("one", "uid-1")))
        .events();
    List<ProviderEvent> multi = provider(List.of("vsw-a", "vsw-b"))
        .createPod(ResolvedPod.of(pod("two", "uid-2"))).events();

    assertThat(single).filteredOn(e -> e.reason().equals("MultiZoneRecommendations")).singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo(ProviderEvent.Type.NORMAL));
    assertThat(multi).noneMatch(e -> e.reason().equals("MultiZoneRecommendations"));
  }

  private static Pod pod(String name, String uid) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("default").withUid(uid).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage("nginx:1.25")
        .withNewResources().withRequests(Map.of("cpu", new Quantity("1"), "memory", new Quantity("2Gi")))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
