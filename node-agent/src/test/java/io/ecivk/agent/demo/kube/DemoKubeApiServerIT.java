package io.ecivk.agent.demo.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Version;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * One test per semantic DemoCrudDispatcher teaches fabric8's CRUD mock server, driven by the fabric8 client the way
 * the agent drives it. If a fabric8 upgrade changes the internals it relies on, these fail: read the class comment
 * of DemoCrudDispatcher before "fixing" a test. Each test uses its own namespace and node names.
 */
class DemoKubeApiServerIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static DemoKubeApiServer server;
  private static KubernetesClient client;

  private final List<AutoCloseable> closeAfterTest = new CopyOnWriteArrayList<>();
  private String ns;

  @BeforeAll
  static void startServer() {
    server = DemoKubeApiServer.start();
    client = server.newClient();
  }

  @AfterAll
  static void stopServer() {
    client.close();
    server.close();
  }

  @BeforeEach
  void namespace(TestInfo test) {
    ns = test.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
    ns = ns.substring(0, Math.min(20, ns.length()));
  }

  @AfterEach
  void closeWatches() throws Exception {
    for (AutoCloseable closeable : closeAfterTest) {
      closeable.close();
    }
  }

  @Test
  void fabric8IsExactlyTheVersionDemoCrudDispatcherWasWrittenAgainst() {
    String why = "DemoCrudDispatcher reaches private fields of fabric8's KubernetesCrudDispatcher by reflection and "
        + "relies on how its stock handlers call back (processEvent, merge): after a fabric8 upgrade, re-read "
        + "kubernetes-server-mock's KubernetesCrudDispatcher, KubernetesAttributesExtractor and crud/*Handler "
        + "sources against DemoCrudDispatcher, then update WRITTEN_AGAINST_FABRIC8";
    assertThat(Version.clientVersion()).as(why).isEqualTo(DemoCrudDispatcher.WRITTEN_AGAINST_FABRIC8);
    assertThat(DemoCrudDispatcher.serverMockVersion()).as(why).isEqualTo(DemoCrudDispatcher.WRITTEN_AGAINST_FABRIC8);
  }

  @Test
  void informerWithNodeNameFieldSelectorSeesExactlyThatNodesPodsIncludingOneBoundLater() {
    String node = ns + "-vk-1";
    String other = ns + "-vk-2";
    create(pod("on-node", node));
    create(pod("on-other-node", other));
    create(pod("unscheduled", null));

    List<String> informed = new CopyOnWriteArrayList<>();
    SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace().withField("spec.nodeName", node)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            informed.add("add " + pod.getMetadata().getName());
          }

          @Override
          public void onUpdate(Pod oldPod, Pod newPod) {
            informed.add("update " + newPod.getMetadata().getName());
          }

          @Override
          public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            informed.add("delete " + pod.getMetadata().getName());
          }
        });
    closeAfterTest.add(informer::close);
    List<String> watched = watchPods(node);

    await().atMost(WAIT).untilAsserted(() -> assertThat(informed).containsExactly("add on-node"));
    assertThat(names(informer.getStore().list())).containsExactly("on-node");

    // Created after the informer started, on another node: must never reach it. Sent before the binding below,
    // so if it were delivered it would arrive first (one ordered watch stream).
    create(pod("later-on-other-node", other));
    bind("unscheduled", node);

    await().atMost(WAIT).untilAsserted(() -> assertThat(names(informer.getStore().list()))
        .containsExactlyInAnyOrder("on-node", "unscheduled"));
    assertThat(informed).containsExactly("add on-node", "add unscheduled");
    // A real API server's watch sends a pod that starts matching the selector as ADDED, and so does this one.
    await().atMost(WAIT).untilAsserted(() -> assertThat(watched).containsExactly("ADDED on-node", "ADDED unscheduled"));

    assertThat(names(client.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems()))
        .containsExactlyInAnyOrder("on-node", "unscheduled");
    assertThat(names(client.pods().inNamespace(ns).withField("spec.nodeName", other).list().getItems()))
        .containsExactlyInAnyOrder("on-other-node", "later-on-other-node");
    assertThat(names(client.pods().inNamespace(ns).withoutField("spec.nodeName", node).list().getItems()))
        .containsExactlyInAnyOrder("on-other-node", "later-on-other-node");
    assertThat(names(client.pods().inNamespace(ns).withField("status.phase", "Pending").list().getItems()))
        .hasSize(4);
    assertThat(client.pods().inNamespace(ns).withField("status.phase", "Running").list().getItems()).isEmpty();
  }

  @Test
  void bindingSetsNodeNameWith201AndRefusesASecondBindingWith409() {
    create(pod("web", null));

    Binding binding = new BindingBuilder().withNewMetadata().withName("web").endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(ns + "-vk-1").endTarget().build();
    HttpResponse<String> first = post("/api/v1/namespaces/" + ns + "/pods/web/binding", binding);
    assertThat(first.code()).as(first.body()).isEqualTo(201);
    Pod bound = client.pods().inNamespace(ns).withName("web").get();
    assertThat(bound.getSpec().getNodeName()).isEqualTo(ns + "-vk-1");
    assertThat(bound.getStatus().getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
        .containsExactly(tuple("PodScheduled", "True"));

    // The same through the client's Binding resource (POST .../bindings), as a scheduler would.
    KubernetesClientException again = catchThrowableOfType(KubernetesClientException.class,
        () -> client.bindings().inNamespace(ns).resource(binding).create());
    assertThat(again.getCode()).isEqualTo(409);
    assertThat(again.getStatus().getMessage()).contains("already assigned to node \"" + ns + "-vk-1\"");
    assertThat(client.pods().inNamespace(ns).withName("web").get().getSpec().getNodeName()).isEqualTo(ns + "-vk-1");

    create(pod("api", null));
    client.bindings().inNamespace(ns).resource(new BindingBuilder(binding).editMetadata().withName("api")
        .endMetadata().build()).create();
    assertThat(client.pods().inNamespace(ns).withName("api").get().getSpec().getNodeName()).isEqualTo(ns + "-vk-1");
  }

  @Test
  void gracefulDeleteKeepsTheBoundPodWithDeletionTimestampAndWatchersSeeModified() {
    String node = ns + "-vk-1";
    create(pod("web", node));
    List<String> watched = watchPods(node);
    await().atMost(WAIT).untilAsserted(() -> assertThat(watched).containsExactly("ADDED web"));

    Instant before = Instant.now().minusSeconds(1);
    client.pods().inNamespace(ns).withName("web").delete(); // the client's default: the pod's grace period, 30 s

    Pod terminating = client.pods().inNamespace(ns).withName("web").get();
    assertThat(terminating).as("a bound pod survives a graceful delete").isNotNull();
    assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
    assertThat(Instant.parse(terminating.getMetadata().getDeletionTimestamp()))
        .isBetween(before.plusSeconds(30), Instant.now().plusSeconds(31));
    await().atMost(WAIT).untilAsserted(() -> assertThat(watched).containsExactly("ADDED web", "MODIFIED web"));

    // The kubelet keeps reporting status while the pod terminates: that must not delete it (stock mock would).
    terminating.getStatus().setPhase("Running");
    client.pods().inNamespace(ns).resource(terminating).patchStatus();
    Pod stillTerminating = client.pods().inNamespace(ns).withName("web").get();
    assertThat(stillTerminating).isNotNull();
    assertThat(stillTerminating.getStatus().getPhase()).isEqualTo("Running");
    assertThat(stillTerminating.getMetadata().getDeletionTimestamp())
        .isEqualTo(terminating.getMetadata().getDeletionTimestamp());
    client.pods().inNamespace(ns).withName("web").editStatus(p -> {
      p.getStatus().setReason("Terminating");
      return p;
    });
    assertThat(client.pods().inNamespace(ns).withName("web").get().getMetadata().getDeletionTimestamp())
        .isEqualTo(terminating.getMetadata().getDeletionTimestamp());

    // A second delete without a shorter grace period changes nothing.
    client.pods().inNamespace(ns).withName("web").delete();
    assertThat(client.pods().inNamespace(ns).withName("web").get().getMetadata().getDeletionGracePeriodSeconds())
        .isEqualTo(30L);

    // An unscheduled pod has no kubelet to wait for: removed at once, like the real API server does.
    create(pod("pending", null));
    client.pods().inNamespace(ns).withName("pending").delete();
    assertThat(client.pods().inNamespace(ns).withName("pending").get()).isNull();
  }

  @Test
  void deleteWithGraceZeroRemovesThePodWithADeletedEvent() {
    String node = ns + "-vk-1";
    create(pod("web", node));
    create(pod("db", node));
    List<String> watched = watchPods(node);
    client.pods().inNamespace(ns).withName("web").withGracePeriod(0).delete();
    assertThat(client.pods().inNamespace(ns).withName("web").get()).isNull();

    // How a kubelet finishes a graceful deletion: the pod is terminating, then deleted with grace 0.
    client.pods().inNamespace(ns).withName("db").withGracePeriod(20).delete();
    assertThat(client.pods().inNamespace(ns).withName("db").get().getMetadata().getDeletionGracePeriodSeconds())
        .isEqualTo(20L);
    client.pods().inNamespace(ns).withName("db").withGracePeriod(0).delete();
    assertThat(client.pods().inNamespace(ns).withName("db").get()).isNull();

    await().atMost(WAIT).untilAsserted(() -> assertThat(watched).endsWith("DELETED web", "MODIFIED db", "DELETED db"));

    // Finalizers hold a pod even at grace 0; the update that removes the last one deletes it.
    create(new PodBuilder(pod("held", node)).editMetadata().addToFinalizers("ecivk.io/test").endMetadata().build());
    client.pods().inNamespace(ns).withName("held").withGracePeriod(0).delete();
    Pod held = client.pods().inNamespace(ns).withName("held").get();
    assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(held.getMetadata().getDeletionGracePeriodSeconds()).isZero();
    client.pods().inNamespace(ns).withName("held").edit(p -> {
      p.getMetadata().setFinalizers(List.of());
      return p;
    });
    assertThat(client.pods().inNamespace(ns).withName("held").get()).isNull();
  }

  @Test
  void deleteWithAUidPreconditionThatDoesNotMatchIsAConflict() {
    Pod pod = create(pod("web", ns + "-vk-1"));

    HttpResponse<String> wrong = delete("/api/v1/namespaces/" + ns + "/pods/web",
        "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0,"
            + "\"preconditions\":{\"uid\":\"00000000-0000-0000-0000-000000000000\"}}");
    assertThat(wrong.code()).as(wrong.body()).isEqualTo(409);
    assertThat(wrong.body()).contains("Precondition failed: UID in precondition");
    assertThat(client.pods().inNamespace(ns).withName("web").get()).isNotNull();

    HttpResponse<String> right = delete("/api/v1/namespaces/" + ns + "/pods/web",
        Serialization.asJson(new DeleteOptionsBuilder().withGracePeriodSeconds(0L)
            .withNewPreconditions().withUid(pod.getMetadata().getUid()).endPreconditions().build()));
    assertThat(right.code()).as(right.body()).isEqualTo(200);
    assertThat(client.pods().inNamespace(ns).withName("web").get()).isNull();
  }

  @Test
  void statusUpdatesAreStoredAndSeenByWatchers() {
    String node = ns + "-vk-1";
    create(pod("web", node));
    List<String> watched = watchPods(node);
    List<Pod> seen = new CopyOnWriteArrayList<>();
    closeAfterTest.add(client.pods().inNamespace(ns).withName("web").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        seen.add(pod);
      }

      @Override
      public void onClose(WatcherException cause) {}
    }));

    Pod pod = client.pods().inNamespace(ns).withName("web").get();
    pod.getStatus().setPhase("Running");
    pod.getStatus().setPodIP("10.224.0.7");
    pod.getStatus().setConditions(List.of(condition("Ready", "False"), condition("PodScheduled", "True")));
    pod = client.pods().inNamespace(ns).resource(pod).patchStatus();
    // A merge patch replaces the conditions array (RFC 7386); the stock mock appended to it.
    pod.getStatus().setConditions(List.of(condition("Ready", "True")));
    client.pods().inNamespace(ns).resource(pod).patchStatus();

    Pod stored = client.pods().inNamespace(ns).withName("web").get();
    assertThat(stored.getStatus().getPhase()).isEqualTo("Running");
    assertThat(stored.getStatus().getPodIP()).isEqualTo("10.224.0.7");
    assertThat(stored.getStatus().getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
        .containsExactly(tuple("Ready", "True"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(seen).last()
        .satisfies(p -> assertThat(p.getStatus().getConditions()).hasSize(1)));
    await().atMost(WAIT).untilAsserted(() -> assertThat(watched)
        .containsExactly("ADDED web", "MODIFIED web", "MODIFIED web"));

    // updateStatus (PUT /status) with a current resourceVersion works; a stale one is a 409, as on a real server.
    stored.getStatus().setMessage("fresh");
    client.pods().inNamespace(ns).resource(stored).updateStatus();
    stored.getStatus().setMessage("stale");
    KubernetesClientException stale = catchThrowableOfType(KubernetesClientException.class,
        () -> client.pods().inNamespace(ns).resource(stored).updateStatus());
    assertThat(stale.getCode()).isEqualTo(409);
    assertThat(client.pods().inNamespace(ns).withName("web").get().getStatus().getMessage()).isEqualTo("fresh");
    await().atMost(WAIT).untilAsserted(() -> assertThat(watched).hasSize(4).last().isEqualTo("MODIFIED web"));
  }

  @Test
  void aPodDeletedAndCreatedAgainUnderTheSameNameGetsANewUid() {
    Pod first = create(pod("web", ns + "-vk-1"));
    assertThat(first.getMetadata().getUid()).isNotBlank();
    assertThat(first.getMetadata().getCreationTimestamp()).isNotBlank();
    assertThat(first.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30L);
    assertThat(first.getStatus().getPhase()).isEqualTo("Pending");

    client.pods().inNamespace(ns).withName("web").withGracePeriod(0).delete();
    Pod second = create(pod("web", ns + "-vk-1"));

    assertThat(second.getMetadata().getUid()).isNotBlank().isNotEqualTo(first.getMetadata().getUid());
    assertThat(client.pods().inNamespace(ns).withName("web").get().getMetadata().getUid())
        .isEqualTo(second.getMetadata().getUid());
  }

  @Test
  void nodeLeaseEventAndNamespaceCrudWorkAndKubeSystemHasAStableUid() {
    Namespace kubeSystem = client.namespaces().withName("kube-system").get();
    assertThat(kubeSystem.getMetadata().getUid()).isEqualTo(DemoKubeApiServer.KUBE_SYSTEM_UID);
    assertThat(client.namespaces().withName("kube-node-lease").get()).isNotNull();
    assertThat(client.namespaces().withName("default").get()).isNotNull();
    assertThat(client.getKubernetesVersion().getMajor()).isEqualTo("1");

    Namespace namespace = client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
        .endMetadata().build()).create();
    assertThat(namespace.getMetadata().getUid()).isNotBlank();

    String nodeName = ns + "-vk-1";
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(nodeName)
        .addToLabels("type", "virtual-kubelet").endMetadata()
        .withNewSpec().addNewTaint().withKey("virtual-kubelet.io/provider").withValue("eci")
        .withEffect("NoSchedule").endTaint().endSpec().build()).create();
    Node node = client.nodes().withName(nodeName).get();
    node.setStatus(new NodeStatus());
    node.getStatus().setConditions(List.of(new NodeConditionBuilder().withType("Ready").withStatus("True").build()));
    client.nodes().resource(node).updateStatus();
    assertThat(client.nodes().withName(nodeName).get().getStatus().getConditions()).hasSize(1);
    assertThat(client.nodes().withLabel("type", "virtual-kubelet").list().getItems()).hasSize(1);

    client.leases().inNamespace("kube-node-lease").resource(new LeaseBuilder().withNewMetadata().withName(nodeName)
        .endMetadata().withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds(40).endSpec().build())
        .create();
    Lease renewed = client.leases().inNamespace("kube-node-lease").withName(nodeName).edit(l -> {
      l.getSpec().setRenewTime(ZonedDateTime.now());
      return l;
    });
    assertThat(renewed.getSpec().getRenewTime()).isNotNull();
    Lease stale = new LeaseBuilder(renewed).editMetadata().withResourceVersion("1").endMetadata().build();
    assertThat(catchThrowableOfType(KubernetesClientException.class,
        () -> client.leases().inNamespace("kube-node-lease").resource(stale).update()).getCode()).isEqualTo(409);

    Event event = client.v1().events().inNamespace(ns).resource(new EventBuilder().withNewMetadata()
        .withGenerateName("web.").endMetadata().withReason("ProviderCreateSuccess").withType("Normal")
        .withNewInvolvedObject().withKind("Pod").withName("web").withNamespace(ns).endInvolvedObject().build())
        .create();
    assertThat(event.getMetadata().getName()).startsWith("web.");
    assertThat(client.v1().events().inNamespace(ns).list().getItems()).hasSize(1);

    client.nodes().withName(nodeName).withGracePeriod(0).delete();
    assertThat(client.nodes().withName(nodeName).get()).isNull();
  }

  // -------------------------------------------------------------------------------------------------------------

  private Pod pod(String name, String nodeName) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", name).endMetadata()
        .withNewSpec().withNodeName(nodeName).addNewContainer().withName("main").withImage("nginx:1.15.4")
        .endContainer().endSpec().build();
  }

  private Pod create(Pod pod) {
    return client.pods().inNamespace(ns).resource(pod).create();
  }

  private void bind(String pod, String node) {
    client.bindings().inNamespace(ns).resource(new BindingBuilder().withNewMetadata().withName(pod).endMetadata()
        .withNewTarget().withKind("Node").withName(node).endTarget().build()).create();
  }

  private static PodCondition condition(String type, String status) {
    return new PodConditionBuilder().withType(type).withStatus(status).build();
  }

  /** A raw watch of this test's namespace with a spec.nodeName field selector, recording "TYPE name". */
  private List<String> watchPods(String node) {
    List<String> events = new CopyOnWriteArrayList<>();
    Watch watch = client.pods().inNamespace(ns).withField("spec.nodeName", node).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        events.add(action + " " + pod.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
    closeAfterTest.add(watch);
    return events;
  }

  private HttpResponse<String> post(String path, Object body) {
    return send(client.getHttpClient().newHttpRequestBuilder().uri(server.url() + path)
        .post("application/json", Serialization.asJson(body)).build());
  }

  private HttpResponse<String> delete(String path, String body) {
    return send(client.getHttpClient().newHttpRequestBuilder().uri(server.url() + path)
        .delete("application/json", body).build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return client.getHttpClient().sendAsync(request, String.class).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("request " + request.uri() + " failed", e);
    }
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }
}
