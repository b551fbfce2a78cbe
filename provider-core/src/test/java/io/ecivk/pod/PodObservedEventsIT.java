package io.ecivk.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.spi.CreateResult;
import io.ecivk.spi.ObservedEvent;
import io.ecivk.spi.PodEventSource;
import io.ecivk.spi.PodKey;
import io.ecivk.spi.PodLifecycleHandler;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events a provider observed in its backend, recorded on the pod by the controller on a real API server. */
@ExtendWith(KubeControlPlaneExtension.class)
class PodObservedEventsIT {
  private static final Instant FIRST = Instant.parse("2026-11-23T10:00:00Z");

  private KubernetesClient client;
  private String namespace;
  private String nodeName;
  private EventingProvider provider;
  private ScheduledExecutorService scheduler;
  private PodController controller;

  /** The in-memory provider, plus the event source capability; the test fires events through the listener. */
  private static final class EventingProvider implements PodLifecycleHandler, PodEventSource {
    final FakeProvider delegate = new FakeProvider();
    volatile EventListener listener;

    @Override
    public void setPodEventListener(EventListener listener) {
      this.listener = listener;
    }

    @Override
    public CreateResult createPod(ResolvedPod pod) {
      return delegate.createPod(pod);
    }

    @Override
    public void deletePod(Pod pod) {
      delegate.deletePod(pod);
    }

    @Override
    public Optional<PodStatus> getPodStatus(Pod pod) {
      return delegate.getPodStatus(pod);
    }
  }

  @BeforeEach
  void start(KubeControlPlane controlPlane) throws Exception {
    client = controlPlane.client();
    namespace = controlPlane.createNamespace("podevt");
    nodeName = "pe-it-" + UUID.randomUUID().toString().substring(0, 8);
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(nodeName).endMetadata().build()).create();
    provider = new EventingProvider();
    scheduler = Executors.newScheduledThreadPool(1);
    controller = new PodController(client, provider,
        new PodControllerConfig(nodeName, "eci-virtual-kubelet", 2, Duration.ofMinutes(1)),
        Clock.systemUTC(), scheduler);
    controller.start();
    controller.ready().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    controller.close();
    scheduler.shutdownNow();
    client.nodes().withName(nodeName).delete();
  }

  @Test
  void observedEventAppearsWithTheBackendsCountAndTimestampsAndIsUpdatedNotDuplicated() {
    Pod pod = client.pods().inNamespace(namespace).resource(pod("web")).create();
    PodRef ref = PodRef.of(pod);
    awaitCreated(ref);
    ProviderEvent noStock = ProviderEvent.warning("NoStock",
        "Create ECI failed because the specified instance is out of stock. zone cn-hangzhou-i");

    provider.listener.podEvent(ref, new ObservedEvent(noStock, 1, FIRST, FIRST));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(events("web", "NoStock")).singleElement().satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).isEqualTo(noStock.message());
          assertThat(e.getCount()).isEqualTo(1);
          assertThat(e.getFirstTimestamp()).isEqualTo("2026-11-23T10:00:00Z");
          assertThat(e.getLastTimestamp()).isEqualTo("2026-11-23T10:00:00Z");
          assertThat(e.getInvolvedObject().getUid()).isEqualTo(ref.uid());
          assertThat(e.getSource().getHost()).isEqualTo(nodeName);
        }));

    // The backend aggregated two more occurrences; then a stale report (lower count) arrives late.
    provider.listener.podEvent(ref, new ObservedEvent(noStock, 3, FIRST, FIRST.plusSeconds(40)));
    provider.listener.podEvent(ref, new ObservedEvent(noStock, 2, FIRST, FIRST.plusSeconds(20)));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(events("web", "NoStock")).singleElement().satisfies(e -> {
          assertThat(e.getCount()).isEqualTo(3);
          assertThat(e.getFirstTimestamp()).isEqualTo("2026-11-23T10:00:00Z");
          assertThat(e.getLastTimestamp()).isEqualTo("2026-11-23T10:00:40Z");
        }));

    // Another reason is another Event.
    provider.listener.podEvent(ref, new ObservedEvent(
        ProviderEvent.normal("AutoInstanceTypeMatch", "The most-matched instanceType for current eci instance is "
            + "2.0-4.0Gi"), 1, FIRST, FIRST));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(events("web", "AutoInstanceTypeMatch")).singleElement()
            .satisfies(e -> assertThat(e.getType()).isEqualTo("Normal")));
    assertThat(events("web", "NoStock")).hasSize(1);
  }

  @Test
  void aRestartedControllerUpdatesTheEventItWroteBeforeInsteadOfCreatingAnother() throws Exception {
    Pod pod = client.pods().inNamespace(namespace).resource(pod("again")).create();
    PodRef ref = PodRef.of(pod);
    awaitCreated(ref);
    ProviderEvent spot = ProviderEvent.warning("SpotToBeReleased", "The spot instance eci-1 is being reclaimed");
    provider.listener.podEvent(ref, new ObservedEvent(spot, 1, FIRST, FIRST));
    await().atMost(Duration.ofSeconds(20)).until(() -> events("again", "SpotToBeReleased").size() == 1);

    controller.close();
    provider = new EventingProvider();
    controller = new PodController(client, provider,
        new PodControllerConfig(nodeName, "eci-virtual-kubelet", 2, Duration.ofMinutes(1)),
        Clock.systemUTC(), scheduler);
    controller.start();
    controller.ready().get(30, TimeUnit.SECONDS);
    provider.listener.podEvent(ref, new ObservedEvent(spot, 2, FIRST, FIRST.plusSeconds(5)));

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(events("again", "SpotToBeReleased")).singleElement().satisfies(e -> {
          assertThat(e.getCount()).isEqualTo(2);
          assertThat(e.getLastTimestamp()).isEqualTo("2026-11-23T10:00:05Z");
        }));
  }

  @Test
  void anObservedEventTheProviderAlreadyReportedAtCreateUpdatesThatEvent() {
    Pod pod = client.pods().inNamespace(namespace).resource(pod("fake")).create();
    PodRef ref = PodRef.of(pod);
    awaitCreated(ref);
    // FakeProvider's create result carries Normal FakeCreated "created fake-<uid>".
    await().atMost(Duration.ofSeconds(20)).until(() -> events("fake", "FakeCreated").size() == 1);
    String message = events("fake", "FakeCreated").get(0).getMessage();

    provider.listener.podEvent(ref,
        new ObservedEvent(ProviderEvent.normal("FakeCreated", message), 2, FIRST, FIRST.plusSeconds(1)));

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(events("fake", "FakeCreated")).singleElement()
            .satisfies(e -> assertThat(e.getCount()).isEqualTo(2)));
  }

  @Test
  void eventsForAPodThatIsGoneAreSkipped() {
    PodRef gone = new PodRef(new PodKey(namespace, "ghost"), UUID.randomUUID().toString());
    Pod pod = client.pods().inNamespace(namespace).resource(pod("alive")).create();
    awaitCreated(PodRef.of(pod));
    provider.listener.podEvent(gone, new ObservedEvent(ProviderEvent.warning("NoStock", "gone"), 1, FIRST, FIRST));
    provider.listener.podEvent(PodRef.of(pod),
        new ObservedEvent(ProviderEvent.warning("NoStock", "alive"), 1, FIRST, FIRST));

    // Recorded in order on one thread: once the second is there, the first was skipped.
    await().atMost(Duration.ofSeconds(20)).until(() -> events("alive", "NoStock").size() == 1);
    assertThat(client.v1().events().inNamespace(namespace).list().getItems())
        .noneSatisfy(e -> assertThat(e.getMessage()).isEqualTo("gone"));
  }

  /** The controller has the pod in its cache once it created it. */
  private void awaitCreated(PodRef ref) {
    await().atMost(Duration.ofSeconds(20)).until(() -> provider.delegate.created.contains(ref.uid()));
  }

  private List<Event> events(String podName, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> podName.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
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
