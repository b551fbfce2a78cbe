package io.ecivk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two shipped jars as separate processes, started with the command lines of the README: the simulator, and
 * the agent against the real control plane. A pod goes Running and is removed again; SIGTERM stops the agent.
 */
@ExtendWith(KubeControlPlaneExtension.class)
class AgentProcessIT {
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void jarsStartedAsDocumentedRunAPod(KubeControlPlane controlPlane) throws Exception {
    KubernetesClient client = controlPlane.client();
    String namespace = controlPlane.createNamespace("procs");
    String zone = "cn-hangzhou-p" + UUID.randomUUID().toString().substring(0, 6);
    String nodeName = "virtual-kubelet-" + zone;
    int port = freePort();
    Path logs = Files.createTempDirectory("agent-process-it");

    Process simulator = start(logs.resolve("simulator.log"), Map.of(), List.of(
        java(), "-jar", jar("eci-mock", "eci-mock.jar"), "--port", String.valueOf(port),
        "--access-key-id", "LTAI5tPROCESSIT", "--access-key-secret", "FAKEsecretPROCESSIT",
        "--region", "cn-hangzhou", "--vswitch", "vsw-a=" + zone + ":10.224.0.0/16"));
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(logs.resolve("simulator.log")).contains("listening"));
    Process agent = start(logs.resolve("agent.log"),
        Map.of("ECI_ACCESS_KEY", "LTAI5tPROCESSIT", "ECI_SECRET_KEY", "FAKEsecretPROCESSIT"),
        List.of(java(), "-jar", jar("node-agent", "node-agent.jar"), "run",
            "--kubeconfig", controlPlane.kubeconfig().toString(), "--region", "cn-hangzhou", "--zone", zone,
            "--vswitch", "vsw-a", "--security-group", "sg-a", "--eci-endpoint", "http://127.0.0.1:" + port,
            "--node-ip", "127.0.0.1", "--status-interval", "PT0.5S"));

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(agent.isAlive()).as(Files.readString(logs.resolve("agent.log"))).isTrue();
      Node node = client.nodes().withName(nodeName).get();
      assertThat(node).as(Files.readString(logs.resolve("agent.log"))).isNotNull();
    });
    client.pods().inNamespace(namespace).resource(pod(nodeName)).create();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Pod pod = client.pods().inNamespace(namespace).withName("web").get();
      assertThat(pod.getStatus().getPhase()).as(Files.readString(logs.resolve("agent.log"))).isEqualTo("Running");
      assertThat(pod.getStatus().getPodIP()).startsWith("10.224.");
    });
    client.pods().inNamespace(namespace).withName("web").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.pods().inNamespace(namespace).withName("web").get() == null);

    agent.destroy(); // SIGTERM
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("agent exits on SIGTERM").isTrue();
    assertThat(Files.readString(logs.resolve("agent.log"))).contains("agent stopped").doesNotContain("FAKEsecretPROCESSIT");
    assertThat(simulator.isAlive()).isTrue();
    client.nodes().withName(nodeName).delete();
  }

  private Process start(Path log, Map<String, String> env, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    builder.environment().remove("ALIBABA_CLOUD_ACCESS_KEY_ID");
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private static Pod pod(String nodeName) {
    return new PodBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec()
        .withNodeName(nodeName)
        .withAutomountServiceAccountToken(false)
        .addNewContainer().withName("app").withImage("nginx:1.25")
        .withNewResources().addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("2Gi"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  /** The jars of this build: node-agent's integration tests run after both modules were packaged. */
  private static String jar(String module, String name) {
    Path here = Path.of("").toAbsolutePath();
    Path root = here.getFileName().toString().equals("node-agent") ? here.getParent() : here;
    Path jar = root.resolve(module).resolve("target").resolve(name);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run the tests through 'mvn verify'");
    }
    return jar.toString();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
