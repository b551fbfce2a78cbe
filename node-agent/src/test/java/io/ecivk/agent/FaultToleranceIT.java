package io.ecivk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerGroup;
import io.ecivk.eci.client.model.Tag;
import io.ecivk.eci.mapping.EciTags;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.eci.mock.bench.FailureRates;
import io.ecivk.eci.mock.bench.StockOutMode;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 5's fault test. The real control plane, the ECI simulator embedded here (two zones, one of them out of
 * stock, 10% 5xx, 5% connection resets and the published per-action rate limits on every action) and the agent
 * as a separate process (the shaded jar), killed with SIGKILL twice while 500 pods are being created and started
 * again each time. In the end every pod is Running on exactly one container group (no duplicate, no orphan, by
 * the groups' tags), and deleting every pod leaves no group at all.
 */
@ExtendWith(KubeControlPlaneExtension.class)
class FaultToleranceIT {
  private static final Logger LOG = LoggerFactory.getLogger(FaultToleranceIT.class);
  private static final String AK = "LTAI5tFAULTIT";
  private static final String SECRET = "FAKEsecretFAULTIT";
  private static final String CLUSTER = "cluster-fault-it";
  private static final int PODS = 500;

  private final List<Process> processes = new ArrayList<>();
  private EciSimulator simulator;

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void fiveHundredPodsSurviveFaultsAndTwoKills(KubeControlPlane controlPlane) throws Exception {
    long began = System.nanoTime();
    KubernetesClient client = controlPlane.client();
    String namespace = controlPlane.createNamespace("faults");
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    String zoneA = "cn-hangzhou-x" + suffix;
    String zoneB = "cn-hangzhou-y" + suffix;
    String nodeName = "virtual-kubelet-" + zoneA;
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", zoneA, "10.224.0.0/16").vswitch("vsw-b", zoneB, "10.225.0.0/16")
        .schedulingDuration(Duration.ofMillis(500)).pendingDuration(Duration.ofSeconds(1))
        .terminatingDuration(Duration.ofMillis(500))
        .publishedRateLimits()
        .failureRates("*", 0.05, 0.05, 0.05)
        .faultSeed(5)
        .outOfStock(zoneA, null, StockOutMode.PENDING)
        .build();
    simulator.start();
    Path logs = Files.createTempDirectory("fault-it");
    List<String> agentCommand = List.of(java(), "-Xmx512m", "-jar", agentJar(),
        "run", "--kubeconfig", controlPlane.kubeconfig().toString(), "--region", "cn-hangzhou", "--zone", zoneA,
        "--vswitch", "vsw-a,vsw-b", "--security-group", "sg-a", "--cluster-id", CLUSTER,
        "--eci-endpoint", "http://127.0.0.1:" + simulator.port(), "--node-ip", "127.0.0.1", "--kubelet-port", "0",
        "--status-interval", "PT1S", "--workers", "16");

    Process agent = startAgent(logs, 1, agentCommand);
    Path firstLog = logs.resolve("agent-1.log");
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(agent.isAlive()).as(Files.readString(firstLog)).isTrue();
      assertThat(client.nodes().withName(nodeName).get()).isNotNull();
    });

    // Bound at once, as a burst would be (several writers: one at a time would pace the agent, not the faults).
    ExecutorService creators = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> creates = new ArrayList<>();
      for (int i = 0; i < PODS; i++) {
        Pod pod = pod(nodeName, i);
        creates.add(creators.submit(() -> client.pods().inNamespace(namespace).resource(pod).create()));
      }
      for (Future<?> create : creates) {
        create.get();
      }
    } finally {
      creators.shutdownNow();
    }
    Set<String> uids = client.pods().inNamespace(namespace).list().getItems().stream()
        .map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    assertThat(uids).hasSize(PODS);
    LOG.info("pods created seconds={}", seconds(began));

    // Killed while creates are in flight: once a third of the groups exist, and again once the restarted agent
    // has created another sixth (so the second run did work before it dies too).
    Process current = agent;
    int run = 1;
    int threshold = PODS / 3;
    for (int kill = 0; kill < 2; kill++) {
      int atLeast = threshold;
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
          .until(() -> simulator.containerGroupCount() >= atLeast);
      threshold = Math.min(PODS - 50, simulator.containerGroupCount() + PODS / 6);
      current.destroyForcibly(); // SIGKILL: no shutdown hook, nothing cleaned up
      assertThat(current.waitFor(30, TimeUnit.SECONDS)).isTrue();
      LOG.info("agent killed run={} groups={} seconds={}", run, simulator.containerGroupCount(), seconds(began));
      run++;
      current = startAgent(logs, run, agentCommand);
    }
    Process last = current;
    Path lastLog = logs.resolve("agent-" + run + ".log");

    await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      assertThat(last.isAlive()).as(tail(lastLog)).isTrue();
      List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
      Map<String, Long> phases = pods.stream().collect(Collectors.groupingBy(
          p -> p.getStatus() == null || p.getStatus().getPhase() == null ? "none" : p.getStatus().getPhase(),
          Collectors.counting()));
      assertThat(phases).as("pod phases").isEqualTo(Map.of("Running", (long) PODS));
    });
    LOG.info("all pods running seconds={} calls={}", seconds(began), simulator.callCounts());

    TeaEciClient eci = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(10)));
    // Each group belongs to exactly one live pod, and each pod has exactly one group; all placed in the zone with
    // stock. Read while the faults stay on (a failed page is read again).
    await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> {
      List<ContainerGroup> groups = groups(eci, nodeName);
      Map<String, Integer> perUid = new HashMap<>();
      groups.forEach(g -> perUid.merge(tag(g, EciTags.POD_UID), 1, Integer::sum));
      assertThat(groups).hasSize(PODS);
      assertThat(perUid.keySet()).isEqualTo(uids);
      assertThat(perUid.values()).allMatch(n -> n == 1);
      assertThat(groups).allMatch(g -> "Running".equals(g.status()) && zoneB.equals(g.zoneId()));
      assertThat(simulator.containerGroupCount()).isEqualTo(PODS);
    });
    for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
      assertThat(pod.getStatus().getPodIP()).startsWith("10.225.");
    }

    client.pods().inNamespace(namespace).delete();
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      assertThat(last.isAlive()).as(tail(lastLog)).isTrue();
      assertThat(client.pods().inNamespace(namespace).list().getItems()).isEmpty();
      assertThat(simulator.containerGroupCount()).isZero();
    });
    LOG.info("done seconds={} calls={}", seconds(began), simulator.callCounts());
    String agentLogs = Files.readString(firstLog);
    assertThat(agentLogs).doesNotContain(SECRET);
    client.nodes().withName(nodeName).delete();
  }

  private static List<ContainerGroup> groups(TeaEciClient eci, String nodeName) {
    List<ContainerGroup> all = new ArrayList<>();
    var request = DescribeContainerGroupsRequest.byTags(
        List.of(new Tag(EciTags.CLUSTER_ID, CLUSTER), new Tag(EciTags.NODE_NAME, nodeName)),
        DescribeContainerGroupsRequest.MAX_LIMIT);
    while (true) {
      var page = eci.describeContainerGroups(request);
      all.addAll(page.containerGroups());
      if (!page.hasNextPage()) {
        return all;
      }
      request = request.withNextToken(page.nextToken());
    }
  }

  private static String tag(ContainerGroup group, String key) {
    return group.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst().orElse(null);
  }

  private Process startAgent(Path logs, int run, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logs.resolve("agent-" + run + ".log").toFile());
    builder.environment().put("ECI_ACCESS_KEY", AK);
    builder.environment().put("ECI_SECRET_KEY", SECRET);
    builder.environment().put("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    builder.environment().remove("ALIBABA_CLOUD_ACCESS_KEY_ID");
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private static Pod pod(String nodeName, int i) {
    return new PodBuilder()
        .withNewMetadata().withName("p-" + i).endMetadata()
        .withNewSpec()
        .withNodeName(nodeName)
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .addNewContainer().withName("app").withImage("nginx:1.25")
        .withNewResources().addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("2Gi"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  private static String tail(Path log) throws IOException {
    String text = Files.readString(log);
    return text.length() <= 8000 ? text : text.substring(text.length() - 8000);
  }

  private static long seconds(long startNanos) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
  }

  /** The shaded jar of this build: node-agent's integration tests run after the module was packaged. */
  private static String agentJar() {
    Path here = Path.of("").toAbsolutePath();
    Path module = here.getFileName().toString().equals("node-agent") ? here : here.resolve("node-agent");
    Path jar = module.resolve("target").resolve("node-agent.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run the tests through 'mvn verify'");
    }
    return jar.toString();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
