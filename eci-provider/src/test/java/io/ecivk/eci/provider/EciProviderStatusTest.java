package io.ecivk.eci.provider;

import static org.assertj.core.api.Assertions.assertThat;
import io.ecivk.spi.ResolvedPod;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.client.ratelimit.RateLimit;
import io.ecivk.eci.client.ratelimit.RateLimitedEciClient;
import io.ecivk.eci.client.ratelimit.RateLimits;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Incremental status polling, full resyncs, terminal and vanished groups, on a fake ECI and a stepped clock.
 * {@code poll()} is driven directly: no threads.
 */
class EciProviderStatusTest {
  private static final Duration INTERVAL = Duration.ofSeconds(3);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeEciClient eci = new FakeEciClient(clock);
  private final List<PodRef> notified = new ArrayList<>();
  private EciProvider provider;

  @BeforeEach
  void setUp() {
    provider = provider(RateLimits.defaults());
  }

  private EciProvider provider(RateLimits limits) {
    EciProviderConfig config = new EciProviderConfig("cluster-ut", "vk-ut", List.of("vsw-a"), "sg-a", null, INTERVAL,
        null, List.of(), "cluster.local", Duration.ofSeconds(60), limits);
    EciProvider p = new EciProvider(eci, config, clock);
    p.setPodStatusListener(notified::add);
    return p;
  }

  @Test
  void windowIsTwiceTheIntervalPlusSlackOrTheTimeSinceTheLastPollPlusSlack() {
    assertThat(EciProvider.sinceSecond(Duration.ofSeconds(3), Duration.ofSeconds(3))).isEqualTo(11);
    assertThat(EciProvider.sinceSecond(Duration.ofSeconds(3), Duration.ZERO)).isEqualTo(11);
    assertThat(EciProvider.sinceSecond(Duration.ofSeconds(3), Duration.ofSeconds(6))).isEqualTo(11);
    assertThat(EciProvider.sinceSecond(Duration.ofSeconds(3), Duration.ofMillis(6001))).isEqualTo(12);
    assertThat(EciProvider.sinceSecond(Duration.ofSeconds(3), Duration.ofSeconds(40))).isEqualTo(45);
    assertThat(EciProvider.sinceSecond(Duration.ofMillis(100), Duration.ofMillis(100))).isEqualTo(6);
    assertThat(EciProvider.sinceSecond(Duration.ofMillis(1500), Duration.ofMillis(1500))).isEqualTo(8);
  }

  @Test
  void firstPollIsFullThenIncrementalUntilTheResyncIsDue() {
    provider.poll();
    step(3);
    step(3);
    clock.advance(Duration.ofSeconds(20)); // polls skipped: the window widens to cover them
    provider.poll();
    clock.advance(Duration.ofSeconds(34)); // 60 s since the full pass
    provider.poll();
    step(3);

    assertThat(eci.windows()).containsExactly(null, 11, 11, 25, null, 11);
    assertThat(provider.fullPasses()).isEqualTo(2);
    assertThat(provider.incrementalPasses()).isEqualTo(4);
    assertThat(provider.statusCalls()).isEqualTo(6);
    assertThat(provider.lastPollDuration().isNegative()).isFalse();
    assertThat(eci.statusRequests).allSatisfy(r -> {
      assertThat(r.limit()).isEqualTo(200);
      assertThat(r.tags()).extracting(t -> t.key() + "=" + t.value())
          .anyMatch(s -> s.startsWith("ecivk.io/node-name="));
    });
  }

  @Test
  void aGapLongerThanTheResyncIntervalMakesAFullPass() {
    provider.poll();
    step(3);
    clock.advance(Duration.ofSeconds(58));
    provider.poll(); // 61 s since the full pass
    assertThat(eci.windows()).containsExactly(null, 11, null);
  }

  @Test
  void fullPassPagesBy200() {
    for (int i = 0; i < 450; i++) {
      eci.add("Running");
    }
    provider.poll();
    assertThat(provider.statusCalls()).isEqualTo(3);
    assertThat(eci.statusRequests).extracting(r -> r.nextToken()).containsExactly(null, "200", "400");
  }

  @Test
  void createdPodReachesRunningThroughIncrementalPollsAndIsNotifiedOnlyOnChange() {
    Pod pod = pod("web", "uid-web");
    String group = groupOf(provider.createPod(ResolvedPod.of(pod)).annotations());
    provider.poll();
    assertThat(phase(pod)).isEqualTo("Pending");
    assertThat(notified).containsExactly(PodRef.of(pod));

    step(3); // returned again by the overlapping window, unchanged: nobody is told
    assertThat(eci.windows()).containsExactly(null, 11);
    assertThat(notified).hasSize(1);

    eci.setStatus(group, "Running");
    step(3);
    assertThat(phase(pod)).isEqualTo("Running");
    assertThat(notified).containsExactly(PodRef.of(pod), PodRef.of(pod));
    step(3);
    step(3);
    assertThat(notified).hasSize(2);
    assertThat(provider.notifications()).isEqualTo(2);
  }

  @Test
  void onlyAFullPassConcludesThatAGroupIsGone() {
    Pod pod = pod("web", "uid-web");
    String group = groupOf(provider.createPod(ResolvedPod.of(pod)).annotations());
    eci.setStatus(group, "Running");
    provider.poll();
    eci.forget(group);

    for (int i = 0; i < 19; i++) {
      step(3); // incremental: an absent group has merely not changed
    }
    assertThat(phase(pod)).isEqualTo("Running");
    assertThat(notified).hasSize(1);

    step(3); // 60 s: full pass
    assertThat(eci.windows().get(eci.windows().size() - 1)).isNull();
    assertThat(phase(pod)).isEqualTo("Failed");
    assertThat(notified).hasSize(2);
  }

  @Test
  void aTerminalStatusIsKeptAfterEciForgetsTheGroup() {
    Pod pod = pod("job", "uid-job");
    String group = groupOf(provider.createPod(ResolvedPod.of(pod)).annotations());
    eci.setStatus(group, "Succeeded");
    provider.poll();
    assertThat(phase(pod)).isEqualTo("Succeeded");

    eci.forget(group); // ECI keeps finished groups for an hour only
    clock.advance(Duration.ofSeconds(60));
    provider.poll();
    clock.advance(Duration.ofSeconds(60));
    provider.poll();

    assertThat(eci.windows()).containsExactly(null, null, null);
    PodStatus status = provider.getPodStatus(pod).orElseThrow();
    assertThat(status.getPhase()).isEqualTo("Succeeded");
    assertThat(status.getReason()).isNull();
    assertThat(notified).hasSize(1);
  }

  @Test
  void everyTerminalEciStatusIsKept() {
    for (String terminal : List.of("Failed", "Expired", "ScheduleFailed")) {
      Pod pod = pod("p-" + terminal.toLowerCase(), "uid-" + terminal);
      String group = groupOf(provider.createPod(ResolvedPod.of(pod)).annotations());
      eci.setStatus(group, terminal);
      clock.advance(Duration.ofSeconds(60));
      provider.poll();
      eci.forget(group);
      clock.advance(Duration.ofSeconds(60));
      provider.poll();
      assertThat(provider.getPodStatus(pod).orElseThrow().getReason()).as(terminal).isNotEqualTo("ContainerGroupVanished");
      assertThat(phase(pod)).as(terminal).isEqualTo("Failed");
    }
  }

  @Test
  void aGroupDeletedBehindOurBackVanishes() {
    Pod pod = pod("web", "uid-web");
    String group = groupOf(provider.createPod(ResolvedPod.of(pod)).annotations());
    eci.setStatus(group, "Running");
    provider.poll();
    eci.forget(group);
    clock.advance(Duration.ofSeconds(60));

    provider.poll();

    String message = "ECI no longer knows container group " + group
        + " (deleted outside the agent, or released); the pod cannot run there any more";
    PodStatus status = provider.getPodStatus(pod).orElseThrow();
    assertThat(status.getPhase()).isEqualTo("Failed");
    assertThat(status.getReason()).isEqualTo("ContainerGroupVanished");
    assertThat(status.getMessage()).isEqualTo(message);
    assertThat(status.getPodIP()).isEqualTo("10.0.0.1"); // what was last known stays
    assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("ContainerGroupVanished");
        });
    ContainerStatus app = status.getContainerStatuses().get(0);
    assertThat(app.getName()).isEqualTo("app");
    assertThat(app.getReady()).isFalse();
    ContainerStateTerminated terminated = app.getState().getTerminated();
    assertThat(terminated.getReason()).isEqualTo("ContainerGroupVanished");
    assertThat(terminated.getMessage()).isEqualTo(message);
    assertThat(terminated.getExitCode()).isEqualTo(137);
    assertThat(terminated.getFinishedAt()).isEqualTo("2026-01-01T00:01:00Z");
    assertThat(notified).containsExactly(PodRef.of(pod), PodRef.of(pod));

    clock.advance(Duration.ofSeconds(60));
    provider.poll(); // still gone: already said
    assertThat(notified).hasSize(2);
    assertThat(provider.getPodStatus(pod).orElseThrow().getReason()).isEqualTo("ContainerGroupVanished");

    provider.deletePod(pod); // the pod controller deletes the pod: NOT_FOUND is success, the entry goes
    assertThat(provider.getPodStatus(pod)).isEmpty();
    assertThat(provider.trackedPods()).isZero();
  }

  @Test
  void ourOwnDeleteIsNotAVanish() {
    Pod pod = pod("web", "uid-web");
    String group = groupOf(provider.createPod(ResolvedPod.of(pod)).annotations());
    eci.setStatus(group, "Running");
    provider.poll();

    provider.deletePod(pod);
    clock.advance(Duration.ofSeconds(60));
    provider.poll();

    assertThat(eci.deletes).containsExactly(group);
    assertThat(provider.getPodStatus(pod)).isEmpty();
    assertThat(notified).hasSize(1);
  }

  @Test
  void aGroupBeingDeletedByUsIsNotReportedAgainByAnOverlappingPoll() {
    Pod pod = pod("web", "uid-web");
    String group = groupOf(provider.createPod(ResolvedPod.of(pod)).annotations());
    eci.setStatus(group, "Running");
    provider.poll();
    provider.deletePod(pod);
    eci.setStatus(group, "Terminating"); // ECI still lists it while preStop runs

    step(3);
    assertThat(provider.getPodStatus(pod)).isEmpty();
    assertThat(notified).hasSize(1);
    clock.advance(Duration.ofSeconds(60));
    eci.forget(group);
    provider.poll();
    assertThat(provider.getPodStatus(pod)).isEmpty();
    assertThat(notified).hasSize(1);
  }

  @Test
  void aGroupCreatedButNotYetListedGetsAResyncIntervalBeforeItCanVanish() {
    Pod pod = pod("web", "uid-web");
    String group = groupOf(provider.createPod(ResolvedPod.of(pod)).annotations());
    eci.forget(group);

    provider.poll(); // full, right after the create
    assertThat(provider.getPodStatus(pod)).isEmpty();
    assertThat(notified).isEmpty();

    clock.advance(Duration.ofSeconds(60));
    provider.poll();
    assertThat(provider.getPodStatus(pod).orElseThrow().getReason()).isEqualTo("ContainerGroupVanished");
    assertThat(provider.getPodStatus(pod).orElseThrow().getContainerStatuses()).singleElement()
        .satisfies(c -> assertThat(c.getState().getTerminated().getReason()).isEqualTo("ContainerGroupVanished"));
    assertThat(notified).containsExactly(PodRef.of(pod));
  }

  @Test
  void aThrottledPollIsSkippedAndTheNextWindowCoversIt() {
    provider = provider(RateLimits.defaults().with("Describe*", new RateLimit(1, Duration.ofSeconds(10))));
    provider.poll();
    clock.advance(INTERVAL);

    assertThatThrownBy(provider::poll).isInstanceOfSatisfying(ProviderException.class, e -> {
      assertThat(e.category()).isEqualTo(ErrorCategory.THROTTLED);
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    });
    clock.advance(Duration.ofSeconds(7));
    provider.poll();

    assertThat(eci.windows()).containsExactly(null, 15);
    assertThat(provider.incrementalPasses()).isEqualTo(1);
  }

  @Test
  void theProviderWrapsItsClientInTheLimiterUnlessItAlreadyIsOne() {
    assertThat(provider.client()).isInstanceOf(RateLimitedEciClient.class);
    RateLimitedEciClient shared = new RateLimitedEciClient(eci, RateLimits.defaults(), clock);
    EciProviderConfig config = provider.config();
    assertThat(new EciProvider(shared, config, clock).client()).isSameAs(shared);
    assertThat(new EciProvider(eci, config).client()).isInstanceOf(RateLimitedEciClient.class);
  }

  @Test
  void theOldConfigConstructorGetsTheDefaults() {
    EciProviderConfig config = new EciProviderConfig("c", "n", List.of("vsw"), "sg", null, null, null, null, null);
    assertThat(config.fullResyncInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.rateLimits()).isEqualTo(RateLimits.defaults());
    assertThat(config.withFullResyncInterval(Duration.ofSeconds(30)).fullResyncInterval())
        .isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> config.withFullResyncInterval(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void step(int seconds) {
    clock.advance(Duration.ofSeconds(seconds));
    provider.poll();
  }

  private String phase(Pod pod) {
    return provider.getPodStatus(pod).orElseThrow().getPhase();
  }

  private static String groupOf(Map<String, String> annotations) {
    return annotations.get(EciProvider.INSTANCE_ID_ANNOTATION);
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
