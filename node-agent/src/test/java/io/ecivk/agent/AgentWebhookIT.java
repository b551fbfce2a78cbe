package io.ecivk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent with {@code --webhook --webhook-url}: it registers its MutatingWebhookConfiguration, and pods that ask
 * for ECI ({@code eci_only}, the namespace label) are routed by the webhook, placed on the virtual node by the real
 * scheduler, and run on (simulated) ECI without carrying any toleration or node selector of their own.
 */
@ExtendWith(KubeControlPlaneExtension.class)
class AgentWebhookIT {
  private static final String AK = "LTAI5tHOOKIT";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private KubernetesClient client;
  private String namespace;
  private String eciNamespace;
  private String zone;
  private String testLabel;
  private EciSimulator simulator;
  private Agent agent;

  @BeforeEach
  void start(KubeControlPlane controlPlane) throws Exception {
    client = controlPlane.client();
    namespace = controlPlane.createNamespace("agent-hook");
    eciNamespace = controlPlane.createNamespace("agent-hook-eci");
    client.namespaces().withName(eciNamespace).edit(n -> new NamespaceBuilder(n).editMetadata()
        .addToLabels("alibabacloud.com/eci", "true").endMetadata().build());
    testLabel = UUID.randomUUID().toString().substring(0, 8);
    zone = "cn-hangzhou-" + testLabel;
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", zone, "10.224.0.0/16").build();
    simulator.start();
    int webhookPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      webhookPort = free.getLocalPort();
    }
    AgentConfig config = TestAgentConfigs.onSimulator(zone, URI.create("http://127.0.0.1:" + simulator.port()), AK, SECRET)
        .extraNodeLabels(Map.of("ecivk.io/test", testLabel))
        .webhook(new AgentConfig.Webhook(true, "127.0.0.1", webhookPort, null, null,
            URI.create("https://127.0.0.1:" + webhookPort + "/mutate-pods"), null, null))
        // The webhook alone places these pods; the binder would bind eci_only pods itself.
        .burst(new AgentConfig.Burst(false, Duration.ZERO))
        .build();
    agent = Agent.start(config, Config.fromKubeconfig(Files.readString(controlPlane.kubeconfig())));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    simulator.close();
    client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName(AgentConfig.COMPONENT + "-" + AgentConfig.defaultNodeName(zone)).delete();
    client.nodes().withName(AgentConfig.defaultNodeName(zone)).delete();
  }

  /** Only selects this test's node (by its extra label); no toleration, no {@code type} selector. */
  private Pod pod(String name, Map<String, String> annotations) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .addToNodeSelector("ecivk.io/test", testLabel)
        .addNewContainer().withName("app").withImage("nginx:1.25")
        .withNewResources()
        .addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("1Gi"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void eciOnlyAndNamespaceLabelledPodsAreRoutedToTheVirtualNodeAndRun() {
    assertThat(agent.webhookPort()).isPresent();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      // The API server loads the configuration asynchronously: retry with a fresh pod until it is called.
      Pod probe = client.pods().inNamespace(namespace).resource(
          pod(KubeControlPlane.uniqueName("probe"), Map.of("alibabacloud.com/burst-resource", "eci_only"))).create();
      return probe.getSpec().getNodeSelector().containsKey("type");
    });

    client.pods().inNamespace(namespace).resource(
        pod("eci-only", Map.of("alibabacloud.com/burst-resource", "eci_only"))).create();
    client.pods().inNamespace(eciNamespace).resource(pod("ns-labelled", Map.of())).create();
    Pod burst = client.pods().inNamespace(namespace).resource(
        pod("burst", Map.of("alibabacloud.com/burst-resource", "eci"))).create();

    for (String[] p : new String[][] {{namespace, "eci-only"}, {eciNamespace, "ns-labelled"}}) {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Pod current = client.pods().inNamespace(p[0]).withName(p[1]).get();
        assertThat(current.getSpec().getNodeSelector()).containsEntry("type", "virtual-kubelet")
            .containsEntry("ecivk.io/test", testLabel);
        assertThat(current.getSpec().getNodeName()).isEqualTo(AgentConfig.defaultNodeName(zone));
        assertThat(current.getStatus().getPhase()).isEqualTo("Running");
      });
    }
    // Burst pods are the binder's business: the webhook leaves them as they were created.
    assertThat(burst.getSpec().getNodeSelector()).containsOnlyKeys("ecivk.io/test");
    assertThat(burst.getSpec().getTolerations()).noneMatch(t -> "virtual-kubelet.io/provider".equals(t.getKey()));
  }
}
