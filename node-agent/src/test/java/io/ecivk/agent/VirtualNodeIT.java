package io.ecivk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The virtual node end to end on a real control plane (API server, scheduler, controller-manager) with the ECI
 * simulator: registration, Lease, a pod scheduled onto the node by the real scheduler running on (simulated)
 * ECI, deletion, and an ECI outage.
 */
@ExtendWith(KubeControlPlaneExtension.class)
class VirtualNodeIT {
  private static final String AK = "LTAI5tNODEIT";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private KubernetesClient client;
  private String namespace;
  private String zone;
  private String testLabel;
  private EciSimulator simulator;
  private int simulatorPort;
  private Agent agent;

  @BeforeEach
  void start(KubeControlPlane controlPlane) throws Exception {
    client = controlPlane.client();
    namespace = controlPlane.createNamespace("vnode");
    testLabel = UUID.randomUUID().toString().substring(0, 8);
    zone = "cn-hangzhou-" + testLabel;
    simulator = simulator(0);
    simulatorPort = simulator.port();
    AgentConfig config = TestAgentConfigs.onSimulator(zone, URI.create("http://127.0.0.1:" + simulatorPort), AK, SECRET)
        .extraNodeLabels(Map.of("ecivk.io/test", testLabel)).build();
    agent = Agent.start(config, Config.fromKubeconfig(Files.readString(controlPlane.kubeconfig())));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    simulator.close();
    client.nodes().withName(AgentConfig.defaultNodeName(zone)).delete();
  }

  @Test
  void nodeIsReadyTaintedLabelledAndRenewsItsLease() {
    String nodeName = "virtual-kubelet-" + zone;
    Node node = client.nodes().withName(nodeName).get();

    assertThat(node.getSpec().getTaints()).extracting(Taint::getKey, Taint::getValue, Taint::getEffect)
        .contains(org.assertj.core.groups.Tuple.tuple("virtual-kubelet.io/provider", "alibabacloud", "NoSchedule"));
    assertThat(node.getMetadata().getLabels())
        .containsEntry("type", "virtual-kubelet")
        .containsEntry("kubernetes.io/role", "agent")
        .containsEntry("kubernetes.io/hostname", nodeName)
        .containsEntry("kubernetes.io/os", "linux")
        .containsEntry("topology.kubernetes.io/region", "cn-hangzhou")
        .containsEntry("topology.kubernetes.io/zone", zone)
        .containsEntry("ecivk.io/test", testLabel);
    assertThat(condition(node, "Ready")).isEqualTo("True");
    assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).matches("v1\\.20\\.2-eci-vk-.+");
    assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(agent.kubeletPort());
    assertThat(node.getStatus().getAddresses()).anySatisfy(a -> {
      assertThat(a.getType()).isEqualTo("InternalIP");
      assertThat(a.getAddress()).isEqualTo("127.0.0.1");
    });
    String firstRenew = lease(nodeName).getSpec().getRenewTime().toString();
    await().atMost(Duration.ofSeconds(10)).until(() -> !lease(nodeName).getSpec().getRenewTime().toString().equals(firstRenew));
  }

  @Test
  void podScheduledToTheNodeRunsOnEciAndIsRemovedWithItsGroup() {
    Pod pod = client.pods().inNamespace(namespace).resource(pod("web", "1500m", "3Gi")).create();

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Pod current = client.pods().inNamespace(namespace).withName("web").get();
      assertThat(current.getSpec().getNodeName()).isEqualTo("virtual-kubelet-" + zone);
      assertThat(current.getStatus().getPhase()).isEqualTo("Running");
      assertThat(current.getStatus().getPodIP()).startsWith("10.224.");
      assertThat(current.getStatus().getContainerStatuses()).allSatisfy(c -> assertThat(c.getReady()).isTrue());
    });
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(events("web")).anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Normal");
          assertThat(e.getReason()).isEqualTo("AutoInstanceTypeMatch");
          assertThat(e.getMessage()).isEqualTo("The most-matched instanceType for current eci instance is 2.0-4.0Gi");
          assertThat(e.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
        }));
    assertThat(simulator.containerGroupCount()).isEqualTo(1);

    client.pods().inNamespace(namespace).withName("web").delete();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(client.pods().inNamespace(namespace).withName("web").get()).isNull();
      assertThat(simulator.containerGroupCount()).isZero();
    });
  }

  @Test
  void eciOutageTaintsTheNodeButKeepsItsPodsAndRecovers() {
    String nodeName = "virtual-kubelet-" + zone;
    client.pods().inNamespace(namespace).resource(pod("steady", "1", "2Gi")).create();
    await().atMost(Duration.ofSeconds(60)).until(() ->
        "Running".equals(client.pods().inNamespace(namespace).withName("steady").get().getStatus().getPhase()));

    simulator.close();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Node node = client.nodes().withName(nodeName).get();
      assertThat(condition(node, "ProviderReachable")).isEqualTo("False");
      assertThat(condition(node, "Ready")).isEqualTo("True");
      assertThat(node.getSpec().getTaints()).anySatisfy(t -> {
        assertThat(t.getKey()).isEqualTo(Agent.UNREACHABLE_TAINT_KEY);
        assertThat(t.getEffect()).isEqualTo("NoSchedule");
      });
    });
    Pod steady = client.pods().inNamespace(namespace).withName("steady").get();
    assertThat(steady.getStatus().getPhase()).isEqualTo("Running");
    assertThat(steady.getMetadata().getDeletionTimestamp()).isNull();

    simulator = simulator(simulatorPort);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Node node = client.nodes().withName(nodeName).get();
      assertThat(condition(node, "ProviderReachable")).isEqualTo("True");
      assertThat(node.getSpec().getTaints()).noneSatisfy(t -> assertThat(t.getKey()).isEqualTo(Agent.UNREACHABLE_TAINT_KEY));
    });
  }

  private EciSimulator simulator(int port) {
    EciSimulator sim = EciSimulator.builder().port(port).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", zone, "10.224.0.0/16").build();
    sim.start();
    return sim;
  }

  private Pod pod(String name, String cpu, String memory) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .addToNodeSelector("type", "virtual-kubelet")
        .addToNodeSelector("ecivk.io/test", testLabel)
        .addNewToleration().withKey("virtual-kubelet.io/provider").withOperator("Exists").withEffect("NoSchedule")
        .endToleration()
        .addNewContainer().withName("app").withImage("nginx:1.25")
        .withNewResources()
        .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  private List<Event> events(String podName) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> podName.equals(e.getInvolvedObject().getName())).toList();
  }

  private Lease lease(String nodeName) {
    return client.leases().inNamespace("kube-node-lease").withName(nodeName).get();
  }

  private static String condition(Node node, String type) {
    return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
        .map(NodeCondition::getStatus).findFirst().orElse(null);
  }
}
