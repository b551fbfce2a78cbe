package io.ecivk.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pod controller resolving pods on a real API server: pods waiting for missing configMaps and secrets, and
 * DaemonSet pods refused.
 */
@ExtendWith(KubeControlPlaneExtension.class)
class PodControllerResolveIT {
  private KubernetesClient client;
  private String namespace;
  private String nodeName;
  private FakeProvider provider;
  private ScheduledExecutorService scheduler;
  private PodController controller;

  @BeforeEach
  void start(KubeControlPlane controlPlane) throws Exception {
    client = controlPlane.client();
    namespace = controlPlane.createNamespace("resolvectl");
    nodeName = KubeControlPlane.uniqueName("rc-node");
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(nodeName)
        .addToLabels("ecivk.io/test-node", nodeName).endMetadata().build()).create();
    provider = new FakeProvider();
    scheduler = Executors.newScheduledThreadPool(1);
    controller = new PodController(client, provider,
        new PodControllerConfig(nodeName, "eci-virtual-kubelet", 4, Duration.ofMinutes(1)),
        Clock.systemUTC(), scheduler, () -> Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi")));
    controller.start();
    controller.ready().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    controller.close();
    scheduler.shutdownNow();
    client.nodes().withName(nodeName).delete();
  }

  private Pod pod(String name, EnvVar env) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withNodeName(nodeName).withAutomountServiceAccountToken(false)
        .addNewContainer().withName("app").withImage("nginx").withEnv(env).endContainer()
        .endSpec()
        .build();
  }

  private static EnvVar fromConfigMap(String name, String configMap, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewConfigMapKeyRef().withName(configMap)
        .withKey(key).endConfigMapKeyRef().endValueFrom().build();
  }

  private List<Event> warnings(String podName) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> podName.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType()))
        .toList();
  }

  private ContainerStatus appStatus(String podName) {
    Pod current = client.pods().inNamespace(namespace).withName(podName).get();
    assertThat(current.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(current.getStatus().getContainerStatuses()).hasSize(1);
    return current.getStatus().getContainerStatuses().get(0);
  }

  @Test
  void missingConfigMapWaitsWithOneEventAndThePodRunsSoonAfterItAppears() {
    Pod pod = client.pods().inNamespace(namespace).resource(pod("needs-cfg", fromConfigMap("MODE", "app-cfg", "mode")))
        .create();
    String uid = pod.getMetadata().getUid();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ContainerStatus app = appStatus("needs-cfg");
      assertThat(app.getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
      assertThat(app.getState().getWaiting().getMessage()).isEqualTo("configmap \"app-cfg\" not found");
      assertThat(warnings("needs-cfg")).singleElement().satisfies(e -> {
        assertThat(e.getReason()).isEqualTo("Failed");
        assertThat(e.getMessage()).isEqualTo("Error: configmap \"app-cfg\" not found");
      });
    });
    // Several re-checks (1 s, 2 s, ...) and the status write's own update later: still one event, counted once.
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() ->
        assertThat(warnings("needs-cfg")).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1)));
    assertThat(provider.created).isEmpty();

    Instant appeared = Instant.now();
    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("app-cfg")
        .endMetadata().addToData("mode", "blue").build()).create();

    // The watch on the missing object brings the pod back at once, long before the next timed re-check.
    await().atMost(Duration.ofSeconds(3)).until(() -> provider.created.contains(uid));
    assertThat(Duration.between(appeared, Instant.now())).isLessThan(Duration.ofSeconds(3));
    assertThat(provider.resolved.get(uid).envOf("app")).contains(new EnvVar("MODE", "blue", null));
    await().atMost(Duration.ofSeconds(20)).until(() ->
        "Running".equals(client.pods().inNamespace(namespace).withName("needs-cfg").get().getStatus().getPhase()));
    assertThat(warnings("needs-cfg")).hasSize(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> controller.dependencyWatchCount() == 0);
  }

  @Test
  void missingKeyAndMissingSecretVolumeWaitUntilTheObjectsAreFixed() {
    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("partial")
        .endMetadata().addToData("other", "1").build()).create();
    Pod pod = new PodBuilder(pod("needs-key", fromConfigMap("MODE", "partial", "mode")))
        .editSpec().addToVolumes(new VolumeBuilder().withName("certs").withNewSecret().withSecretName("tls")
            .endSecret().build()).endSpec().build();
    String uid = client.pods().inNamespace(namespace).resource(pod).create().getMetadata().getUid();

    // A volume waits first: every container is ContainerCreating, the event is the kubelet's FailedMount.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(appStatus("needs-key").getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
      assertThat(warnings("needs-key")).extracting(Event::getReason, Event::getMessage).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple("FailedMount",
              "MountVolume.SetUp failed for volume \"certs\" : secret \"tls\" not found"),
          org.assertj.core.groups.Tuple.tuple("Failed", "Error: couldn't find key mode in ConfigMap " + namespace
              + "/partial"));
    });

    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("tls")
        .endMetadata().addToStringData("tls.crt", "CRT").build()).create();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      ContainerStatus app = appStatus("needs-key");
      assertThat(app.getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
      assertThat(app.getState().getWaiting().getMessage())
          .isEqualTo("couldn't find key mode in ConfigMap " + namespace + "/partial");
    });
    assertThat(provider.created).isEmpty();

    client.configMaps().inNamespace(namespace).withName("partial")
        .edit(cm -> new ConfigMapBuilder(cm).addToData("mode", "green").build());
    await().atMost(Duration.ofSeconds(3)).until(() -> provider.created.contains(uid));
    assertThat(provider.resolved.get(uid).envOf("app")).contains(new EnvVar("MODE", "green", null));
    assertThat(warnings("needs-key")).hasSize(2);
  }

  @Test
  void aPodThatCanNeverResolveFailsWithTheReason() {
    EnvVar ghost = new EnvVarBuilder().withName("GHOST_CPU").withNewValueFrom().withNewResourceFieldRef()
        .withContainerName("ghost").withResource("limits.cpu").endResourceFieldRef().endValueFrom().build();
    client.pods().inNamespace(namespace).resource(pod("ghostly", ghost)).create();

    String reason = "env GHOST_CPU of container app: no container named ghost";
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Pod current = client.pods().inNamespace(namespace).withName("ghostly").get();
      assertThat(current.getStatus().getPhase()).isEqualTo("Failed");
      assertThat(current.getStatus().getReason()).isEqualTo("ProviderFailed");
      assertThat(current.getStatus().getMessage()).isEqualTo(reason);
      assertThat(warnings("ghostly")).singleElement().satisfies(e -> {
        assertThat(e.getReason()).isEqualTo("ProviderFailed");
        assertThat(e.getMessage()).isEqualTo(reason);
      });
    });
    assertThat(provider.created).isEmpty();
  }

  @Test
  void daemonSetPodStaysPendingWithOneEventAndIsNeverCreated() throws Exception {
    // The node as a scheduler sees a usable one, so the DaemonSet controller's own pod is bound to it.
    // The node controllers may touch the node meanwhile: edit its status again after a conflict.
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        client.nodes().withName(nodeName).editStatus(n -> new NodeBuilder(n).editOrNewStatus()
            .addToAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods",
                new Quantity("10")))
            .addToCapacity(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("10")))
            .withConditions(new NodeConditionBuilder().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withLastHeartbeatTime(Instant.now().toString()).withLastTransitionTime(Instant.now().toString())
                .build())
            .endStatus().build()));
    client.apps().daemonSets().inNamespace(namespace).resource(new DaemonSetBuilder()
        .withNewMetadata().withName("node-exporter").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "node-exporter").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "node-exporter").endMetadata()
        .withNewSpec().withAutomountServiceAccountToken(false).addToNodeSelector("ecivk.io/test-node", nodeName)
        .addNewContainer().withName("exporter").withImage("prom/node-exporter").endContainer()
        .endSpec().endTemplate().endSpec().build()).create();

    Pod dsPod = await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().inNamespace(namespace).list()
        .getItems().stream().filter(p -> nodeName.equals(p.getSpec().getNodeName())).findFirst().orElse(null),
        p -> p != null);
    String name = dsPod.getMetadata().getName();
    String expected = "DaemonSet pods are not run on virtual node " + nodeName + ": a DaemonSet runs one pod per real"
        + " node for that node's host; exclude virtual nodes from the DaemonSet with node affinity (for example"
        + " type NotIn [virtual-kubelet])";

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Pod current = client.pods().inNamespace(namespace).withName(name).get();
      assertThat(current.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(current.getStatus().getReason()).isEqualTo("DaemonSetPodNotSupported");
      assertThat(current.getStatus().getMessage()).isEqualTo(expected);
      assertThat(current.getStatus().getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("ContainersReady");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("DaemonSetPodNotSupported");
      });
      assertThat(warnings(name)).singleElement().satisfies(e -> {
        assertThat(e.getReason()).isEqualTo("DaemonSetPodNotSupported");
        assertThat(e.getMessage()).isEqualTo(expected);
      });
    });
    // No loop: the same pod stays, one event counted once, nothing created.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(client.pods().inNamespace(namespace).withName(name).get().getMetadata().getUid())
          .isEqualTo(dsPod.getMetadata().getUid());
      assertThat(warnings(name)).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
    });
    assertThat(provider.created).isEmpty();
    client.apps().daemonSets().inNamespace(namespace).withName("node-exporter").delete();
  }
}
