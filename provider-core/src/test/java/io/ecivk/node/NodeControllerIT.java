package io.ecivk.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.ecivk.node.lease.NodeLeases;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.testkit.FakeNodeProvider;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node controller against a real v1.20 API server, scheduler and controller-manager. Every test has its own
 * node name. Intervals are short (Lease 1 s, ping 200 ms) except where a test shows that something happens
 * without waiting for an interval.
 */
@ExtendWith(KubeControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeControllerIT {
  private static final String PROVIDER_TAINT = "virtual-kubelet.io/provider";
  private static final String UNREACHABLE_TAINT = "virtual-kubelet.io/provider-unreachable";
  private static final Duration AWAIT = Duration.ofSeconds(15);

  private KubernetesClient client;
  private ScheduledExecutorService scheduler;
  private final List<NodeController> controllers = new ArrayList<>();

  // The heartbeat check spans the whole class (the controller-manager's grace period is 40 s): two nodes are
  // registered first, one keeps renewing its Lease, the other goes silent; the last test looks at both.
  private ScheduledExecutorService heartbeatScheduler;
  private NodeController renewing;
  private String renewingNode;
  private String silentNode;

  @BeforeAll
  void registerHeartbeatNodes(KubeControlPlane cp) throws Exception {
    client = cp.client();
    heartbeatScheduler = Executors.newSingleThreadScheduledExecutor();
    renewingNode = KubeControlPlane.uniqueName("hb-renewing");
    silentNode = KubeControlPlane.uniqueName("hb-silent");
    // Status only every 10 min: the Lease alone has to keep the renewing node alive.
    renewing = new NodeController(client, FakeNodeProvider.withCapacity("100", "400Gi", "500"),
        config(renewingNode).statusUpdateInterval(Duration.ofMinutes(10)).build(), Clock.systemUTC(),
        heartbeatScheduler);
    renewing.start();
    NodeController silent = new NodeController(client, FakeNodeProvider.withCapacity("100", "400Gi", "500"),
        config(silentNode).statusUpdateInterval(Duration.ofMinutes(10)).build(), Clock.systemUTC(),
        heartbeatScheduler);
    silent.start();
    silent.close();
  }

  @AfterAll
  void stopHeartbeatNodes() {
    renewing.close();
    heartbeatScheduler.shutdownNow();
  }

  @BeforeEach
  void newScheduler() {
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void closeControllers() {
    controllers.forEach(NodeController::close);
    controllers.clear();
    scheduler.shutdownNow();
  }

  @Test
  void registersTheNodeWithLabelsTaintCapacityConditionsAddressesEndpointAndNodeInfo() throws Exception {
    String name = KubeControlPlane.uniqueName("vk-register");
    NodeController nc = start(config(name).build(), FakeNodeProvider.withCapacity("1000", "4Ti", "5000"));

    assertThat(nc.ready()).isCompleted();
    assertThat(nc.providerReachable()).isTrue();
    Node node = client.nodes().withName(name).get();
    assertThat(node.getMetadata().getLabels()).containsAllEntriesOf(Map.of(
        "type", "virtual-kubelet",
        "kubernetes.io/role", "agent",
        "kubernetes.io/hostname", name,
        "kubernetes.io/os", "linux",
        "kubernetes.io/arch", "amd64",
        "topology.kubernetes.io/region", "cn-hangzhou",
        "topology.kubernetes.io/zone", "cn-hangzhou-i"));
    assertThat(node.getMetadata().getAnnotations()).containsEntry("ecivk.io/node-agent", "eci-virtual-kubelet");
    assertThat(node.getSpec().getTaints()).extracting(Taint::getKey, Taint::getValue, Taint::getEffect)
        .contains(tuple(PROVIDER_TAINT, "alibabacloud", "NoSchedule"));
    assertThat(taintKeys(node)).doesNotContain(UNREACHABLE_TAINT);
    assertThat(node.getStatus().getCapacity()).isEqualTo(Map.of(
        "cpu", new Quantity("1000"), "memory", new Quantity("4Ti"), "pods", new Quantity("5000")));
    assertThat(node.getStatus().getAllocatable()).isEqualTo(node.getStatus().getCapacity());
    assertThat(node.getStatus().getConditions())
        .extracting(NodeCondition::getType, NodeCondition::getStatus, NodeCondition::getReason)
        .containsExactlyInAnyOrder(
            tuple("Ready", "True", "KubeletReady"),
            tuple("MemoryPressure", "False", "KubeletHasSufficientMemory"),
            tuple("DiskPressure", "False", "KubeletHasNoDiskPressure"),
            tuple("PIDPressure", "False", "KubeletHasSufficientPID"),
            tuple("NetworkUnavailable", "False", "ProviderNetworkReady"),
            tuple("ProviderReachable", "True", "ProviderReachable"));
    assertThat(node.getStatus().getAddresses()).extracting(NodeAddress::getType, NodeAddress::getAddress)
        .containsExactly(tuple("InternalIP", "127.0.0.1"), tuple("Hostname", name));
    assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
    var info = node.getStatus().getNodeInfo();
    assertThat(List.of(info.getKubeletVersion(), info.getKubeProxyVersion(), info.getOperatingSystem(),
        info.getArchitecture())).containsExactly("v1.20.2-eci-vk-0.1.0", "", "linux", "amd64");

    Lease lease = client.leases().inNamespace(NodeLeases.NAMESPACE).withName(name).get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(name);
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
    assertThat(lease.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(List.of(r.getKind(), r.getName(), r.getUid()))
            .containsExactly("Node", name, node.getMetadata().getUid()));

    // The API server's admission tainted the new node not-ready; the real controller-manager lifts that taint
    // once it sees our Ready=True: the scheduler may now use the node.
    await().atMost(AWAIT).untilAsserted(() -> assertThat(taintKeys(client.nodes().withName(name).get()))
        .doesNotContain("node.kubernetes.io/not-ready"));
  }

  @Test
  void renewsTheLeaseEveryIntervalEvenWhileAPingHangs() {
    String name = KubeControlPlane.uniqueName("vk-lease");
    FakeNodeProvider provider = FakeNodeProvider.withCapacity("8", "32Gi", "110");
    NodeController nc = start(config(name).build(), provider);
    ZonedDateTime first = renewTime(name);

    await().atMost(AWAIT).until(() -> renewTime(name).isAfter(first));

    provider.blockPings();
    int pingsBefore = provider.pingCount();
    await().atMost(AWAIT).until(() -> provider.pingCount() > pingsBefore); // the ping thread is now stuck
    ZonedDateTime duringHang = renewTime(name);
    await().atMost(AWAIT).until(() -> renewTime(name).isAfter(duringHang));
    ZonedDateTime later = renewTime(name);
    await().atMost(AWAIT).until(() -> renewTime(name).isAfter(later));
    assertThat(provider.pingCount()).isEqualTo(pingsBefore + 1);
    assertThat(nc.lastLeaseRenewal()).isPresent();
    provider.unblockPings();
  }

  @Test
  void othersLabelsAnnotationsTaintsAndConditionsSurviveOurUpdatesAndARestart() {
    String name = KubeControlPlane.uniqueName("vk-merge");
    FakeNodeProvider provider = FakeNodeProvider.withCapacity("8", "32Gi", "110");
    NodeConfig config = config(name).statusUpdateInterval(Duration.ofSeconds(1)).build();
    NodeController first = start(config, provider);

    // Someone else (an admin, another controller) adds their own things.
    client.nodes().withName(name).edit(n -> new NodeBuilder(n)
        .editMetadata().addToLabels("team", "payments").addToAnnotations("example.com/owner", "ops").endMetadata()
        .editSpec().addToTaints(new TaintBuilder().withKey("dedicated").withValue("gpu").withEffect("NoSchedule")
            .build()).endSpec()
        .build());
    client.nodes().withName(name).subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), """
        {"status": {"conditions": [{"type": "ExampleHealthy", "status": "True", "reason": "Checked",
          "lastHeartbeatTime": "2026-01-01T00:00:00Z", "lastTransitionTime": "2026-01-01T00:00:00Z"}]}}""");

    // Our updates: the outage taint comes and goes, status is posted every second.
    provider.failPings(new ProviderException(ErrorCategory.TRANSIENT, "ServiceUnavailable", "down"));
    await().atMost(AWAIT).until(() -> taintKeys(client.nodes().withName(name).get()).contains(UNREACHABLE_TAINT));
    provider.recover();
    await().atMost(AWAIT).until(() -> !taintKeys(client.nodes().withName(name).get()).contains(UNREACHABLE_TAINT));
    String heartbeat = condition(client.nodes().withName(name).get(), "Ready").getLastHeartbeatTime();
    await().atMost(AWAIT).until(() -> !heartbeat.equals(
        condition(client.nodes().withName(name).get(), "Ready").getLastHeartbeatTime()));
    assertForeignThingsIntact(name);

    // A restart of the agent, with one label changed and one added: ours updated, theirs kept.
    first.close();
    NodeController second = start(config.toBuilder().label("topology.kubernetes.io/zone", "cn-hangzhou-j")
        .label("ecivk.io/pool", "b").build(), provider);
    assertThat(second.ready()).isCompleted();
    Node node = client.nodes().withName(name).get();
    assertThat(node.getMetadata().getLabels())
        .containsEntry("topology.kubernetes.io/zone", "cn-hangzhou-j").containsEntry("ecivk.io/pool", "b");
    assertForeignThingsIntact(name);
  }

  @Test
  void reRegistersANodeSomeoneDeleted() {
    String name = KubeControlPlane.uniqueName("vk-deleted");
    start(config(name).statusUpdateInterval(Duration.ofSeconds(1)).build(),
        FakeNodeProvider.withCapacity("8", "32Gi", "110"));
    String uid = client.nodes().withName(name).get().getMetadata().getUid();

    client.nodes().withName(name).delete();

    await().atMost(AWAIT).untilAsserted(() -> {
      Node node = client.nodes().withName(name).get();
      assertThat(node).isNotNull();
      assertThat(node.getMetadata().getUid()).isNotEqualTo(uid);
      assertThat(condition(node, "Ready").getStatus()).isEqualTo("True");
    });
  }

  @Test
  void refusesANodeWhoseLeaseAnotherHolderStillHolds() {
    String name = KubeControlPlane.uniqueName("vk-held");
    client.leases().inNamespace(NodeLeases.NAMESPACE).resource(new LeaseBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withHolderIdentity("other-agent-7f9c").withLeaseDurationSeconds(40)
        .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).endSpec()
        .build()).create();
    NodeController nc = controller(config(name).build(), FakeNodeProvider.withCapacity("8", "32Gi", "110"));

    assertThatThrownBy(nc::start)
        .isInstanceOf(NodeConflictException.class)
        .hasMessageStartingWith("Refusing to register virtual node " + name + ": Lease kube-node-lease/" + name
            + " is held by 'other-agent-7f9c'")
        .hasMessageContaining("kubectl delete node " + name);
    assertThat(client.nodes().withName(name).get()).isNull();
    assertThat(nc.ready()).isCompletedExceptionally();
    assertThat(client.leases().inNamespace(NodeLeases.NAMESPACE).withName(name).get().getSpec()
        .getHolderIdentity()).isEqualTo("other-agent-7f9c");
  }

  @Test
  void refusesANodeRegisteredByAnotherVirtualKubelet() {
    String name = KubeControlPlane.uniqueName("vk-foreign");
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("type", "virtual-kubelet").addToLabels("kubernetes.io/role", "agent").endMetadata().build())
        .create();
    NodeController nc = controller(config(name).build(), FakeNodeProvider.withCapacity("8", "32Gi", "110"));

    assertThatThrownBy(nc::start)
        .isInstanceOf(NodeConflictException.class)
        .hasMessageContaining("was registered by another virtual kubelet");
    Node untouched = client.nodes().withName(name).get();
    assertThat(untouched.getMetadata().getAnnotations()).doesNotContainKey("ecivk.io/node-agent");
    assertThat(untouched.getMetadata().getLabels()).doesNotContainKey("kubernetes.io/hostname");
    assertThat(client.leases().inNamespace(NodeLeases.NAMESPACE).withName(name).get()).isNull();
  }

  @Test
  void anUnreachableProviderTaintsTheNodeAtOnceKeepsItReadyAndTheSchedulerHonoursIt(KubeControlPlane cp) {
    String name = KubeControlPlane.uniqueName("vk-outage");
    String ns = cp.createNamespace("vk-outage");
    FakeNodeProvider provider = FakeNodeProvider.withCapacity("8", "32Gi", "110");
    // A long status interval: the taint and condition must follow the ping at once, not at the next interval.
    NodeController nc = start(config(name).statusUpdateInterval(Duration.ofMinutes(5)).build(), provider);
    await().atMost(AWAIT).until(() -> !taintKeys(client.nodes().withName(name).get())
        .contains("node.kubernetes.io/not-ready"));
    client.pods().inNamespace(ns).resource(podFor(name, "before")).create();
    await().atMost(AWAIT).until(() -> name.equals(client.pods().inNamespace(ns).withName("before").get()
        .getSpec().getNodeName()));

    provider.failPings(new ProviderException(ErrorCategory.AUTH, "InvalidAccessKeyId.NotFound",
        "Specified access key is not found.", "REQ-1", null, null));

    await().atMost(AWAIT).untilAsserted(() -> {
      Node node = client.nodes().withName(name).get();
      assertThat(condition(node, "ProviderReachable"))
          .extracting(NodeCondition::getStatus, NodeCondition::getReason, NodeCondition::getMessage)
          .containsExactly("False", "ProviderAuthFailed",
              "InvalidAccessKeyId.NotFound: Specified access key is not found. (request id REQ-1)");
      assertThat(node.getSpec().getTaints()).extracting(Taint::getKey, Taint::getEffect)
          .contains(tuple(UNREACHABLE_TAINT, "NoSchedule"), tuple(PROVIDER_TAINT, "NoSchedule"));
      assertThat(condition(node, "Ready").getStatus()).isEqualTo("True");
    });
    assertThat(nc.providerReachable()).isFalse();
    ZonedDateTime renewed = renewTime(name);
    await().atMost(AWAIT).until(() -> renewTime(name).isAfter(renewed));

    // No new pods while the provider is down; the one already there stays.
    client.pods().inNamespace(ns).resource(podFor(name, "during")).create();
    await().atMost(AWAIT).untilAsserted(() -> assertThat(scheduled(client.pods().inNamespace(ns)
        .withName("during").get())).hasValueSatisfying(c -> {
          assertThat(List.of(c.getStatus(), c.getReason())).containsExactly("False", "Unschedulable");
          assertThat(c.getMessage()).contains("1 node(s) had taint {" + UNREACHABLE_TAINT + ": }");
        }));
    assertThat(client.pods().inNamespace(ns).withName("before").get().getSpec().getNodeName()).isEqualTo(name);

    provider.recover();

    await().atMost(AWAIT).untilAsserted(() -> {
      Node node = client.nodes().withName(name).get();
      assertThat(condition(node, "ProviderReachable").getStatus()).isEqualTo("True");
      assertThat(taintKeys(node)).doesNotContain(UNREACHABLE_TAINT).contains(PROVIDER_TAINT);
      assertThat(condition(node, "Ready").getStatus()).isEqualTo("True");
    });
    assertThat(nc.providerReachable()).isTrue();
    // The scheduler retries unschedulable pods when a node's taints change.
    await().atMost(Duration.ofSeconds(40)).until(() -> name.equals(
        client.pods().inNamespace(ns).withName("during").get().getSpec().getNodeName()));
  }

  @Test
  void aProviderSilentAtStartIsRegisteredUnreachableUntilItsFirstPingAnswers() {
    String name = KubeControlPlane.uniqueName("vk-slow-start");
    FakeNodeProvider provider = FakeNodeProvider.withCapacity("8", "32Gi", "110");
    provider.blockPings();
    long t0 = System.nanoTime();

    NodeController nc = start(config(name).statusUpdateInterval(Duration.ofMinutes(5)).build(), provider);

    // start() waited one ping interval, raised to its 1 s minimum, not the provider's timeout.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(nc.providerReachable()).isFalse();
    Node node = client.nodes().withName(name).get();
    assertThat(condition(node, "ProviderReachable"))
        .extracting(NodeCondition::getStatus, NodeCondition::getReason, NodeCondition::getMessage)
        .containsExactly("False", "ProviderPingPending",
            "the provider has not answered its first ping within 1000 ms");
    assertThat(taintKeys(node)).contains(UNREACHABLE_TAINT);
    assertThat(condition(node, "Ready").getStatus()).isEqualTo("True");

    provider.unblockPings();

    await().atMost(AWAIT).untilAsserted(() -> {
      Node n = client.nodes().withName(name).get();
      assertThat(condition(n, "ProviderReachable").getStatus()).isEqualTo("True");
      assertThat(taintKeys(n)).doesNotContain(UNREACHABLE_TAINT);
    });
    assertThat(nc.providerReachable()).isTrue();
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void theControllerManagerKeepsARenewingNodeReadyAndMarksASilentOneUnknown() {
    // node-monitor-grace-period is 40 s (default): wait for the silent node to go Unknown, which proves the
    // controller-manager watches; by then the renewing node, whose status was posted only once, lives on its Lease.
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        assertThat(condition(client.nodes().withName(silentNode).get(), "Ready"))
            .extracting(NodeCondition::getStatus, NodeCondition::getReason)
            .containsExactly("Unknown", "NodeStatusUnknown"));

    Node node = client.nodes().withName(renewingNode).get();
    assertThat(condition(node, "Ready").getStatus()).isEqualTo("True");
    assertThat(taintKeys(node)).doesNotContain("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready");
    Instant registered = Instant.parse(condition(node, "Ready").getLastHeartbeatTime());
    assertThat(Duration.between(registered, Instant.now())).isGreaterThan(Duration.ofSeconds(40));
    assertThat(renewing.providerReachable()).isTrue();
  }

  // ---------------------------------------------------------------------------------------------------------

  private static NodeConfig.Builder config(String name) {
    return NodeConfig.builder()
        .nodeName(name)
        .label("type", "virtual-kubelet")
        .label("kubernetes.io/role", "agent")
        .label("kubernetes.io/hostname", name)
        .label("kubernetes.io/os", "linux")
        .label("kubernetes.io/arch", "amd64")
        .label("topology.kubernetes.io/region", "cn-hangzhou")
        .label("topology.kubernetes.io/zone", "cn-hangzhou-i")
        .taint(PROVIDER_TAINT, "alibabacloud", "NoSchedule")
        .internalIp("127.0.0.1")
        .kubeletVersion("v1.20.2-eci-vk-0.1.0")
        .leaseRenewInterval(Duration.ofSeconds(1))
        .pingInterval(Duration.ofMillis(200));
  }

  private NodeController controller(NodeConfig config, FakeNodeProvider provider) {
    NodeController nc = new NodeController(client, provider, config, Clock.systemUTC(), scheduler);
    controllers.add(nc);
    return nc;
  }

  private NodeController start(NodeConfig config, FakeNodeProvider provider) {
    NodeController nc = controller(config, provider);
    nc.start();
    nc.ready().orTimeout(1, TimeUnit.SECONDS).join();
    return nc;
  }

  private void assertForeignThingsIntact(String name) {
    Node node = client.nodes().withName(name).get();
    assertThat(node.getMetadata().getLabels()).containsEntry("team", "payments");
    assertThat(node.getMetadata().getAnnotations()).containsEntry("example.com/owner", "ops");
    assertThat(node.getSpec().getTaints()).extracting(Taint::getKey, Taint::getValue)
        .contains(tuple("dedicated", "gpu"), tuple(PROVIDER_TAINT, "alibabacloud"));
    assertThat(condition(node, "ExampleHealthy").getReason()).isEqualTo("Checked");
  }

  private ZonedDateTime renewTime(String name) {
    return client.leases().inNamespace(NodeLeases.NAMESPACE).withName(name).get().getSpec().getRenewTime();
  }

  private static List<String> taintKeys(Node node) {
    return node.getSpec().getTaints() == null ? List.of()
        : node.getSpec().getTaints().stream().map(Taint::getKey).toList();
  }

  private static NodeCondition condition(Node node, String type) {
    return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " on " + node.getMetadata().getName()));
  }

  private static Optional<PodCondition> scheduled(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst();
  }

  /** A pod that tolerates our provider taint and may only go to {@code node}; nothing will run it. */
  private static Pod podFor(String node, String name) {
    return new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withNodeSelector(Map.of("kubernetes.io/hostname", node))
        .addNewToleration().withKey(PROVIDER_TAINT).withOperator("Exists").withEffect("NoSchedule").endToleration()
        .addNewContainer().withName("c").withImage("registry.invalid/pause:3.2").endContainer()
        .endSpec()
        .build();
  }
}
