package io.ecivk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ecivk.node.lease.NodeLeases;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The semantics a kubelet relies on hold on the test control plane (where fabric8's mock server differs, see
 * shared/reference/test-infrastructure.md §2): field-selected pod informers, binding, graceful deletion with UID
 * preconditions, node Leases.
 */
@ExtendWith(KubeControlPlaneExtension.class)
class KubeControlPlaneIT {

  @Test
  void isKubernetes120WithAnAdminClient(KubeControlPlane cp) {
    assertThat(cp.client().getKubernetesVersion().getGitVersion()).isEqualTo("v1.20.2");
    assertThat(cp.apiServerUrl()).startsWith("https://127.0.0.1:");
    assertThat(cp.kubeconfig()).isRegularFile();
    assertThat(Files.isDirectory(cp.stateDir().resolve("logs"))).isTrue();
    assertThat(cp.env()).containsEntry("KUBE_VERSION", "v1.20.2").containsKey("KUBE_CA_FILE");
    try (KubernetesClient own = cp.newClient()) {
      assertThat(own.namespaces().withName("kube-node-lease").get()).isNotNull();
    }
  }

  @Test
  void informerWithNodeNameFieldSelectorSeesOnlyThatNodesPodsIncludingOnesBoundLater(KubeControlPlane cp) {
    KubernetesClient client = cp.client();
    String ns = cp.createNamespace("smoke-informer");
    String node = KubeControlPlane.uniqueName("smoke-node");
    Set<String> added = ConcurrentHashMap.newKeySet();
    SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace().withField("spec.nodeName", node)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            added.add(pod.getMetadata().getName());
          }

          @Override
          public void onUpdate(Pod oldPod, Pod newPod) {}

          @Override
          public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {}
        });
    try {
      client.pods().inNamespace(ns).resource(pod("on-node", node)).create();
      client.pods().inNamespace(ns).resource(pod("elsewhere", node + "-other")).create();
      client.pods().inNamespace(ns).resource(pod("bound-later", null)).create();

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(added).containsExactly("on-node"));

      client.bindings().inNamespace(ns).resource(binding("bound-later", node)).create();
      await().atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(added).containsExactlyInAnyOrder("on-node", "bound-later"));
      assertThat(informer.getStore().list()).extracting(p -> p.getMetadata().getName())
          .containsExactlyInAnyOrder("on-node", "bound-later");
    } finally {
      informer.close();
    }
  }

  @Test
  void bindingSetsNodeName(KubeControlPlane cp) {
    KubernetesClient client = cp.client();
    String ns = cp.createNamespace("smoke-binding");
    String node = KubeControlPlane.uniqueName("smoke-node");
    client.pods().inNamespace(ns).resource(pod("p", null)).create();

    client.bindings().inNamespace(ns).resource(binding("p", node)).create();

    Pod bound = client.pods().inNamespace(ns).withName("p").get();
    assertThat(bound.getSpec().getNodeName()).isEqualTo(node);
    // A second binding of a bound pod is refused: the scheduler and we can never both win.
    assertThatThrownBy(() -> client.bindings().inNamespace(ns).resource(binding("p", node + "-x")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void gracefulDeleteKeepsThePodUntilAGraceZeroDeleteWithItsUid(KubeControlPlane cp) {
    KubernetesClient client = cp.client();
    String ns = cp.createNamespace("smoke-delete");
    String node = KubeControlPlane.uniqueName("smoke-node");
    Pod created = client.pods().inNamespace(ns).resource(pod("p", node)).create();
    String uid = created.getMetadata().getUid();

    client.pods().inNamespace(ns).withName("p").withGracePeriod(30).delete();

    Pod terminating = client.pods().inNamespace(ns).withName("p").get();
    assertThat(terminating).isNotNull();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);

    String url = cp.apiServerUrl() + "/api/v1/namespaces/" + ns + "/pods/p";
    assertThatThrownBy(() -> client.raw(url, "DELETE", deleteOptions(0, "not-" + uid)))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.pods().inNamespace(ns).withName("p").get()).isNotNull();

    client.raw(url, "DELETE", deleteOptions(0, uid));

    assertThat(client.pods().inNamespace(ns).withName("p").get()).isNull();
  }

  @Test
  void leasesInKubeNodeLeaseAreCreatedAndUpdatedWithOptimisticLocking(KubeControlPlane cp) {
    KubernetesClient client = cp.client();
    String name = KubeControlPlane.uniqueName("smoke-lease");
    ZonedDateTime t0 = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    Lease created = client.leases().inNamespace(NodeLeases.NAMESPACE).resource(new LeaseBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(40).withRenewTime(t0).endSpec()
        .build()).create();
    assertThat(created.getSpec().getRenewTime()).isEqualTo(t0);

    ZonedDateTime t1 = t0.plusSeconds(10);
    Lease renewed = client.leases().inNamespace(NodeLeases.NAMESPACE).resource(new LeaseBuilder(created)
        .editSpec().withRenewTime(t1).endSpec().build()).update();
    assertThat(renewed.getSpec().getRenewTime()).isEqualTo(t1);
    assertThat(renewed.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());

    // Writing from the stale copy again is refused: this is what makes the lease loop's 409 handling necessary.
    assertThatThrownBy(() -> client.leases().inNamespace(NodeLeases.NAMESPACE).resource(new LeaseBuilder(created)
        .editSpec().withRenewTime(t1.plusSeconds(10)).endSpec().build()).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  /** A pod no kubelet will run; without a node name, a scheduler name nobody serves keeps it unscheduled. */
  static Pod pod(String name, String nodeName) {
    return new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withNodeName(nodeName)
        .withSchedulerName(nodeName == null ? "no-such-scheduler" : null)
        .withTerminationGracePeriodSeconds(30L)
        .addNewContainer().withName("c").withImage("registry.invalid/pause:3.2").endContainer()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.Binding binding(String pod, String node) {
    return new BindingBuilder()
        .withNewMetadata().withName(pod).endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget()
        .build();
  }

  private static Map<String, Object> deleteOptions(long graceSeconds, String uid) {
    return Map.of("apiVersion", "v1", "kind", "DeleteOptions", "gracePeriodSeconds", graceSeconds,
        "preconditions", Map.of("uid", uid));
  }
}
