package io.ecivk.eci.provider;

import static org.assertj.core.api.Assertions.assertThat;
import io.ecivk.spi.ResolvedPod;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.DeleteContainerGroupRequest;
import io.ecivk.eci.client.model.Tag;
import io.ecivk.eci.mapping.EciTags;
import io.ecivk.eci.mapping.MappingContext;
import io.ecivk.eci.mapping.PodMapper;
import io.ecivk.spi.PodKey;
import java.lang.reflect.RecordComponent;
import java.util.UUID;
import io.ecivk.eci.client.ratelimit.RateLimit;
import io.ecivk.eci.client.ratelimit.RateLimitedEciClient;
import io.ecivk.eci.client.ratelimit.RateLimits;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.spi.CreateResult;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
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

/** The ECI provider against the simulator over loopback: create, status through batched polling, delete. */
class EciProviderIT {
  private static final String AK = "LTAI5tPROVIDERIT";
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
    provider = provider("vk-it");
    provider.setPodStatusListener(notified::add);
    provider.start();
  }

  @AfterEach
  void stop() {
    provider.close();
    simulator.close();
  }

  @Test
  void createdPodReportsRunningWithTheSimulatorsIpAndTheRoundingEvent() {
    Pod pod = pod("web", "uid-web", "1500m", "3Gi");

    CreateResult result = provider.createPod(ResolvedPod.of(pod));
    clock.advance(Duration.ofSeconds(3)); // Scheduling 1 s + Pending 2 s in the simulator

    assertThat(result.events()).containsExactly(ProviderEvent.normal("AutoInstanceTypeMatch",
        "The most-matched instanceType for current eci instance is 2.0-4.0Gi"),
        ProviderEvent.normal("MultiZoneRecommendations", "Only one vSwitch (vsw-a) is configured; configure"
            + " vSwitches in several zones so that ECI can create the pod in another zone when this one is out of"
            + " stock"));
    assertThat(result.annotations()).containsEntry(EciProvider.INSTANCE_SPEC_ANNOTATION, "2.0-4.0Gi")
        .hasEntrySatisfying(EciProvider.INSTANCE_ID_ANNOTATION, id -> assertThat(id).startsWith("eci-"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      PodStatus status = provider.getPodStatus(pod).orElseThrow();
      assertThat(status.getPhase()).isEqualTo("Running");
      assertThat(status.getPodIP()).startsWith("10.224.");
      assertThat(notified).contains(PodRef.of(pod));
    });
    assertThat(simulator.containerGroupCount()).isEqualTo(1);
  }

  @Test
  void createIsIdempotentPerPodIncarnation() {
    Pod pod = pod("idem", "uid-idem", "1", "2Gi");

    String first = provider.createPod(ResolvedPod.of(pod)).annotations().get(EciProvider.INSTANCE_ID_ANNOTATION);
    String again = provider.createPod(ResolvedPod.of(pod)).annotations().get(EciProvider.INSTANCE_ID_ANNOTATION);

    assertThat(again).isEqualTo(first);
    assertThat(simulator.containerGroupCount()).isEqualTo(1);
  }

  @Test
  void deleteTouchesOnlyTheGroupOfThatIncarnation() {
    Pod old = pod("same-name", "uid-old", "1", "2Gi");
    Pod current = pod("same-name", "uid-new", "1", "2Gi");
    provider.createPod(ResolvedPod.of(old));
    provider.createPod(ResolvedPod.of(current));

    provider.deletePod(old);
    clock.advance(Duration.ofSeconds(2));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(simulator.containerGroupCount()).isEqualTo(1);
      assertThat(provider.getPodStatus(current)).isPresent();
      assertThat(provider.getPodStatus(old)).isEmpty();
    });
    provider.deletePod(old); // already gone: still success
  }

  @Test
  void anotherProcessFindsAndDeletesGroupsByTheirTags() {
    Pod pod = pod("adopted", "uid-adopted", "1", "2Gi");
    provider.createPod(ResolvedPod.of(pod));
    clock.advance(Duration.ofSeconds(3));
    EciProvider restarted = provider("vk-it");
    try {
      restarted.start();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(restarted.getPodStatus(pod)).hasValueSatisfying(s -> assertThat(s.getPhase()).isEqualTo("Running")));

      restarted.deletePod(pod);
      clock.advance(Duration.ofSeconds(2));

      assertThat(simulator.containerGroupCount()).isZero();
    } finally {
      restarted.close();
    }
  }

  @Test
  void groupsOfAnotherNodeAreInvisible() {
    EciProvider otherNode = provider("vk-other");
    try {
      Pod pod = pod("theirs", "uid-theirs", "1", "2Gi");
      otherNode.createPod(ResolvedPod.of(pod));
      clock.advance(Duration.ofSeconds(3));

      provider.deletePod(pod); // our node has no such group: nothing is touched

      assertThat(simulator.containerGroupCount()).isEqualTo(1);
    } finally {
      otherNode.close();
    }
  }

  @Test
  void listWorkloadsReturnsExactlyThisNodesGroupsOfPods() throws Exception {
    Pod a = pod("a", "uid-a", "1", "2Gi");
    Pod oldB = pod("b", "uid-b-old", "1", "2Gi");
    Pod newB = pod("b", "uid-b-new", "1", "2Gi");
    Pod gone = pod("gone", "uid-gone", "1", "2Gi");
    provider.createPod(ResolvedPod.of(a));
    provider.createPod(ResolvedPod.of(oldB));
    provider.createPod(ResolvedPod.of(newB));
    provider.createPod(ResolvedPod.of(gone));
    provider.deletePod(gone); // Terminating for a while: not listed
    EciProvider otherNode = provider("vk-other");
    try {
      otherNode.createPod(ResolvedPod.of(pod("theirs", "uid-theirs", "1", "2Gi")));
      TeaEciClient raw = rawClient();
      raw.createContainerGroup(withTags(mapped(pod("untagged", "uid-untagged", "1", "2Gi")), List.of()));
      // Our node's tags but no pod tags: not a pod's group, never ours to touch.
      raw.createContainerGroup(withTags(mapped(pod("nopod", "uid-nopod", "1", "2Gi")),
          EciTags.selector("cluster-it", "vk-it")));
      // More than one page of 20.
      for (int i = 0; i < 21; i++) {
        provider.createPod(ResolvedPod.of(pod("many-" + i, "uid-many-" + i, "1", "2Gi")));
      }
      assertThat(simulator.containerGroupCount()).isEqualTo(4 + 1 + 2 + 21);

      List<PodRef> listed = provider.listWorkloads();

      List<PodRef> expected = new java.util.ArrayList<>(List.of(PodRef.of(a), PodRef.of(oldB), PodRef.of(newB)));
      for (int i = 0; i < 21; i++) {
        expected.add(new PodRef(new PodKey("default", "many-" + i), "uid-many-" + i));
      }
      assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(otherNode.listWorkloads()).containsExactly(new PodRef(new PodKey("default", "theirs"), "uid-theirs"));
    } finally {
      otherNode.close();
    }
  }

  @Test
  void aFreshProviderListsTheGroupsOfAnEarlierProcessAndDeletesAnOrphanByItsSkeleton() {
    Pod pod = pod("leftover", "uid-leftover", "1", "2Gi");
    provider.createPod(ResolvedPod.of(pod));
    EciProvider restarted = provider("vk-it");
    try {
      assertThat(restarted.listWorkloads()).containsExactly(PodRef.of(pod));

      restarted.deletePod(new PodBuilder().withNewMetadata().withNamespace("default").withName("leftover")
          .withUid("uid-leftover").endMetadata().build()); // metadata only, as the orphan sweep passes it

      assertThat(restarted.listWorkloads()).isEmpty();
      clock.advance(Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(10)).until(() -> simulator.containerGroupCount() == 0);
    } finally {
      restarted.close();
    }
  }

  @Test
  void unsupportedPodIsAnInvalidRequestAndCreatesNothing() {
    Pod pod = new PodBuilder(pod("host", "uid-host", "1", "2Gi")).editSpec().withHostNetwork(true).endSpec().build();

    assertThatThrownBy(() -> provider.createPod(ResolvedPod.of(pod))).isInstanceOfSatisfying(ProviderException.class,
        e -> assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST));
    assertThat(simulator.containerGroupCount()).isZero();
  }

  @Test
  void pingFailsTransientlyWhenEciIsUnreachable() {
    provider.ping();
    simulator.close();

    assertThatThrownBy(provider::ping).isInstanceOfSatisfying(ProviderException.class,
        e -> assertThat(e.category()).isEqualTo(ErrorCategory.TRANSIENT));
  }

  @Test
  void createdPodReachesRunningThroughIncrementalPolls() {
    EciProvider incremental = clockedProvider();
    try {
      incremental.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> incremental.fullPasses() == 1);
      Pod pod = pod("inc", "uid-inc", "1", "2Gi");

      incremental.createPod(ResolvedPod.of(pod));
      clock.advance(Duration.ofSeconds(3)); // Running now; the provider's clock is the simulator's

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(incremental.getPodStatus(pod)).hasValueSatisfying(s -> assertThat(s.getPhase()).isEqualTo("Running"));
        assertThat(notified).contains(PodRef.of(pod));
      });
      // poll() holds the provider's monitor: holding it here reads the counters between polls, not during one.
      synchronized (incremental) {
        assertThat(incremental.fullPasses()).isEqualTo(1); // the status came through SinceSecond polls alone
        assertThat(incremental.incrementalPasses()).isPositive();
        assertThat(incremental.statusCalls()).isEqualTo(incremental.fullPasses() + incremental.incrementalPasses());
      }
    } finally {
      incremental.close();
    }
  }

  @Test
  void aGroupDeletedBehindTheProvidersBackVanishesAfterAFullResync() {
    EciProvider watched = clockedProvider();
    try {
      watched.start();
      Pod pod = pod("victim", "uid-victim", "1", "2Gi");
      String groupId = watched.createPod(ResolvedPod.of(pod)).annotations().get(EciProvider.INSTANCE_ID_ANNOTATION);
      clock.advance(Duration.ofSeconds(3));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(watched.getPodStatus(pod)).hasValueSatisfying(s -> assertThat(s.getPhase()).isEqualTo("Running")));

      rawClient().deleteContainerGroup(DeleteContainerGroupRequest.of(groupId)); // someone else, e.g. the console
      clock.advance(Duration.ofSeconds(5)); // past Terminating: ECI has forgotten the group
      await().atMost(Duration.ofSeconds(10)).until(() -> simulator.containerGroupCount() == 0);
      long fullPassesBefore = watched.fullPasses();
      notified.clear();
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(watched.getPodStatus(pod)).hasValueSatisfying(s -> assertThat(s.getReason()).isNull()));
      assertThat(watched.fullPasses()).isEqualTo(fullPassesBefore); // incremental polls cannot tell

      clock.advance(Duration.ofSeconds(60));

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        PodStatus status = watched.getPodStatus(pod).orElseThrow();
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(status.getReason()).isEqualTo("ContainerGroupVanished");
        assertThat(status.getMessage()).isEqualTo("ECI no longer knows container group " + groupId
            + " (deleted outside the agent, or released); the pod cannot run there any more");
        assertThat(status.getContainerStatuses()).singleElement().satisfies(c ->
            assertThat(c.getState().getTerminated().getReason()).isEqualTo("ContainerGroupVanished"));
        assertThat(notified).contains(PodRef.of(pod));
      });
    } finally {
      watched.close();
    }
  }

  @Test
  void aBurstOverTheClientSideLimitIsThrottledWithARetryAfterAndNeverReachesEci() {
    EciProvider limited = new EciProvider(rawClient(), config("vk-it")
        .withRateLimits(RateLimits.defaults().with("CreateContainerGroup", new RateLimit(2, Duration.ofSeconds(30)))),
        clock);
    try {
      limited.createPod(ResolvedPod.of(pod("a", "uid-a", "1", "2Gi")));
      limited.createPod(ResolvedPod.of(pod("b", "uid-b", "1", "2Gi")));

      assertThatThrownBy(() -> limited.createPod(ResolvedPod.of(pod("c", "uid-c", "1", "2Gi"))))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.category()).isEqualTo(ErrorCategory.THROTTLED);
            assertThat(e.code()).isEqualTo("ClientRateLimit");
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
          });
      assertThat(simulator.callCount("CreateContainerGroup")).isEqualTo(2);
      assertThat(simulator.containerGroupCount()).isEqualTo(2);

      clock.advance(Duration.ofSeconds(30));
      limited.createPod(ResolvedPod.of(pod("c", "uid-c", "1", "2Gi")));
      assertThat(simulator.containerGroupCount()).isEqualTo(3);
    } finally {
      limited.close();
    }
  }

  /** A provider on the simulator's manual clock, its limiter on the system clock so polling never runs dry. */
  private EciProvider clockedProvider() {
    EciProvider p = new EciProvider(
        new RateLimitedEciClient(rawClient(), RateLimits.defaults(), Clock.systemUTC()), config("vk-clocked"), clock);
    p.setPodStatusListener(notified::add);
    return p;
  }

  private CreateContainerGroupRequest mapped(Pod pod) {
    EciProviderConfig c = config("vk-it");
    return PodMapper.map(pod, new MappingContext(c.clusterId(), c.nodeName(), c.vSwitchIds(), c.securityGroupId(),
        c.specTable())).request();
  }

  /** The request with other tags (and, as ECI requires, another client token). */
  private static CreateContainerGroupRequest withTags(CreateContainerGroupRequest request, List<Tag> tags)
      throws Exception {
    RecordComponent[] components = CreateContainerGroupRequest.class.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = switch (components[i].getName()) {
        case "tags" -> tags;
        case "clientToken" -> UUID.randomUUID().toString();
        default -> components[i].getAccessor().invoke(request);
      };
    }
    return CreateContainerGroupRequest.class.getDeclaredConstructor(types).newInstance(values);
  }

  private TeaEciClient rawClient() {
    return new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(5)));
  }

  private static EciProviderConfig config(String nodeName) {
    return new EciProviderConfig("cluster-it", nodeName, List.of("vsw-a"), "sg-a", null,
        Duration.ofMillis(100), null, List.of("10.96.0.10"), "cluster.local");
  }

  private EciProvider provider(String nodeName) {
    TeaEciClient client = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    return new EciProvider(client, new EciProviderConfig("cluster-it", nodeName, List.of("vsw-a"), "sg-a", null,
        Duration.ofMillis(100), null, List.of("10.96.0.10"), "cluster.local"));
  }

  private static Pod pod(String name, String uid, String cpu, String memory) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("default").withUid(uid).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage("nginx:1.25")
        .withNewResources().withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory))).endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
