package io.ecivk.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.spi.PodKey;
import io.ecivk.spi.PodRef;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pod controller on a real API server, with an in-memory provider. */
@ExtendWith(KubeControlPlaneExtension.class)
class PodControllerIT {
  private KubernetesClient client;
  private String namespace;
  private String nodeName;
  private FakeProvider provider;
  private ScheduledExecutorService scheduler;
  private PodController controller;

  @BeforeEach
  void start(KubeControlPlane controlPlane) throws Exception {
    client = controlPlane.client();
    namespace = controlPlane.createNamespace("podctl");
    nodeName = "pc-it-" + UUID.randomUUID().toString().substring(0, 8);
    // A Node object, so the controller-manager's pod garbage collector does not remove pods bound to it.
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(nodeName).endMetadata().build()).create();
    provider = new FakeProvider();
    scheduler = Executors.newScheduledThreadPool(1);
  }

  /** Starts the controller; tests first set up what exists before it runs (pods, pre-existing workloads). */
  private void startController(Duration sweepInterval) throws Exception {
    controller = new PodController(client, provider,
        new PodControllerConfig(nodeName, "eci-virtual-kubelet", 4, Duration.ofMinutes(1))
            .withSweepInterval(sweepInterval),
        Clock.systemUTC(), scheduler);
    controller.start();
    controller.ready().get(30, TimeUnit.SECONDS);
  }

  private void startController() throws Exception {
    startController(PodControllerConfig.DEFAULT_SWEEP_INTERVAL);
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
    scheduler.shutdownNow();
    client.nodes().withName(nodeName).delete();
  }

  @Test
  void boundPodIsCreatedOnceAndShowsTheProviderStatusEventsAndAnnotations() throws Exception {
    startController();
    Pod pod = client.pods().inNamespace(namespace).resource(pod("web")).create();
    String uid = pod.getMetadata().getUid();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Pod current = client.pods().inNamespace(namespace).withName("web").get();
      assertThat(current.getStatus().getPhase()).isEqualTo("Running");
      assertThat(current.getStatus().getPodIP()).startsWith("10.1.0.");
      assertThat(current.getStatus().getContainerStatuses()).singleElement()
          .satisfies(c -> assertThat(c.getReady()).isTrue());
      assertThat(current.getMetadata().getAnnotations()).containsEntry("fake.ecivk.io/id", "fake-" + uid);
    });
    assertThat(provider.created).containsExactly(uid);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(events("web")).anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("FakeCreated");
          assertThat(e.getType()).isEqualTo("Normal");
          assertThat(e.getSource().getComponent()).isEqualTo("eci-virtual-kubelet");
          assertThat(e.getSource().getHost()).isEqualTo(nodeName);
          assertThat(e.getInvolvedObject().getUid()).isEqualTo(uid);
        }));
  }

  @Test
  void refusedPodFailsWithProviderFailedAndOneWarningEvent() throws Exception {
    startController();
    provider.refuse.put("bad", "spec.hostNetwork: ECI has no host network");

    client.pods().inNamespace(namespace).resource(pod("bad")).create();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Pod current = client.pods().inNamespace(namespace).withName("bad").get();
      assertThat(current.getStatus().getPhase()).isEqualTo("Failed");
      assertThat(current.getStatus().getReason()).isEqualTo("ProviderFailed");
      assertThat(current.getStatus().getMessage()).isEqualTo("spec.hostNetwork: ECI has no host network");
      assertThat(events("bad")).singleElement().satisfies(e -> {
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getReason()).isEqualTo("ProviderFailed");
        assertThat(e.getMessage()).isEqualTo("spec.hostNetwork: ECI has no host network");
        assertThat(e.getCount()).isEqualTo(1);
      });
    });
    assertThat(provider.created).isEmpty();
  }

  @Test
  void transientFailuresAreRetriedUntilTheCreateSucceeds() throws Exception {
    startController();
    provider.transientFailures.set(3);

    Pod pod = client.pods().inNamespace(namespace).resource(pod("flaky")).create();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(client.pods().inNamespace(namespace).withName("flaky").get().getStatus().getPhase())
            .isEqualTo("Running"));
    assertThat(provider.created).containsExactly(pod.getMetadata().getUid());
  }

  @Test
  void gracefulDeleteDeletesTheWorkloadThenRemovesThePod() throws Exception {
    startController();
    Pod pod = client.pods().inNamespace(namespace).resource(pod("doomed")).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> provider.created.contains(pod.getMetadata().getUid()));

    client.pods().inNamespace(namespace).withName("doomed").delete(); // graceful: sets deletionTimestamp

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(client.pods().inNamespace(namespace).withName("doomed").get()).isNull();
      assertThat(provider.deleted).containsExactly(pod.getMetadata().getUid());
    });
  }

  @Test
  void forceDeletedPodStillHasItsWorkloadDeleted() throws Exception {
    startController();
    Pod pod = client.pods().inNamespace(namespace).resource(pod("forced")).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> provider.created.contains(pod.getMetadata().getUid()));

    client.pods().inNamespace(namespace).withName("forced").withGracePeriod(0).delete();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(provider.deleted).containsExactly(pod.getMetadata().getUid()));
  }

  @Test
  void podsOfOtherNodesAreNotTouched() throws Exception {
    startController();
    String other = "pc-it-other-" + UUID.randomUUID().toString().substring(0, 8);
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(other).endMetadata().build()).create();
    try {
      client.pods().inNamespace(namespace).resource(new PodBuilder(pod("elsewhere"))
          .editSpec().withNodeName(other).endSpec().build()).create();
      Pod mine = client.pods().inNamespace(namespace).resource(pod("mine")).create();

      await().atMost(Duration.ofSeconds(20)).until(() -> provider.created.contains(mine.getMetadata().getUid()));
      assertThat(provider.created).containsExactly(mine.getMetadata().getUid());
    } finally {
      client.nodes().withName(other).delete();
    }
  }

  @Test
  void theFirstSweepDeletesOrphansByUidAndKeepsTheWorkloadsOfExistingPods() throws Exception {
    Pod alive = client.pods().inNamespace(namespace).resource(pod("alive")).create();
    Pod reborn = client.pods().inNamespace(namespace).resource(pod("reborn")).create();
    PodRef aliveRef = PodRef.of(alive);
    PodRef rebornRef = PodRef.of(reborn);
    PodRef gone = new PodRef(new PodKey(namespace, "gone"), "uid-gone");
    PodRef oldIncarnation = new PodRef(new PodKey(namespace, "reborn"), "uid-reborn-old");
    provider.addWorkload(aliveRef);
    provider.addWorkload(rebornRef);
    provider.addWorkload(gone);
    provider.addWorkload(oldIncarnation);

    startController();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(controller.sweeps()).isEqualTo(1);
      assertThat(controller.orphansDeleted()).isEqualTo(2);
      assertThat(provider.deleted).containsExactlyInAnyOrder("uid-gone", "uid-reborn-old");
      assertThat(provider.workloads.values()).containsExactlyInAnyOrder(aliveRef, rebornRef);
      assertThat(client.pods().inNamespace(namespace).withName("reborn").get().getStatus().getPhase())
          .isEqualTo("Running");
    });
    assertThat(provider.created).isEmpty(); // the existing pods' workloads were found, not created again
  }

  @Test
  void aPeriodicSweepCatchesAnOrphanThatAppearsLater() throws Exception {
    Pod mine = client.pods().inNamespace(namespace).resource(pod("steady")).create();
    startController(Duration.ofMillis(300));
    await().atMost(Duration.ofSeconds(20)).until(() -> provider.created.contains(mine.getMetadata().getUid()));
    await().atMost(Duration.ofSeconds(10)).until(() -> controller.sweeps() >= 2);
    assertThat(controller.orphansDeleted()).isZero();

    PodRef late = new PodRef(new PodKey(namespace, "late"), "uid-late");
    provider.addWorkload(late);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(provider.deleted).containsExactly("uid-late");
      assertThat(controller.orphansDeleted()).isEqualTo(1);
    });
    assertThat(provider.workloads).containsOnlyKeys(mine.getMetadata().getUid());
  }

  @Test
  void aFailedListingSkipsTheSweepUntilTheProviderListsAgain() throws Exception {
    provider.listFailures.set(3);
    provider.addWorkload(new PodRef(new PodKey(namespace, "left"), "uid-left"));

    startController(Duration.ofMillis(200));

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(controller.failedSweeps()).isEqualTo(3);
      assertThat(provider.deleted).containsExactly("uid-left");
      assertThat(controller.orphansDeleted()).isEqualTo(1);
    });
  }

  @Test
  void aForceDeletedPodsWorkloadIsDeletedOnceEvenWithFrequentSweeps() throws Exception {
    startController(Duration.ofMillis(100));
    Pod pod = client.pods().inNamespace(namespace).resource(pod("quick")).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> provider.created.contains(pod.getMetadata().getUid()));

    client.pods().inNamespace(namespace).withName("quick").withGracePeriod(0).delete();

    await().atMost(Duration.ofSeconds(20)).until(() -> provider.deleted.contains(pod.getMetadata().getUid()));
    long sweepsBefore = controller.sweeps();
    await().atMost(Duration.ofSeconds(10)).until(() -> controller.sweeps() >= sweepsBefore + 3);
    assertThat(provider.deleted).containsExactly(pod.getMetadata().getUid());
  }

  private List<Event> events(String podName) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> podName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec()
        .withNodeName(nodeName)
        .withAutomountServiceAccountToken(false)
        .addNewContainer().withName("app").withImage("nginx:1.25").endContainer()
        .endSpec()
        .build();
  }
}
