package io.ecivk.agent.demo;

import io.ecivk.agent.Agent;
import io.ecivk.agent.AgentConfig;
import io.ecivk.agent.demo.kube.DemoKubeApiServer;
import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.mock.EciSimulator;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's moving parts, all in this process and on loopback: a Kubernetes API server, the ECI simulator and
 * the agent between them. The pods of the users' scenario are bound to the virtual node, as the scheduler binds
 * pods that tolerate its taint, and everything is printed as {@code kubectl} would show it.
 */
final class AgentDemo implements AutoCloseable {
  static final String REGION = "cn-hangzhou";
  static final String ZONE = "cn-hangzhou-i";
  static final String NODE = AgentConfig.defaultNodeName(ZONE);
  private static final String NAMESPACE = "default";
  private static final Duration POLL = Duration.ofMillis(500);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrintStream out;
  private final Duration timeout;
  private final DemoKubeApiServer kube;
  private final EciSimulator simulator;
  private final EciClient eci;
  private final Agent agent;
  private final KubernetesClient client;
  private final Instant started = Instant.now();

  AgentDemo(PrintStream out, int simulatorPort, Duration timeout) throws Exception {
    this.out = out;
    this.timeout = timeout;
    // A fresh key pair per run: the agent and the simulator share nothing but the wire.
    String accessKeyId = "LTAI5tDEMO" + HexFormat.of().formatHex(bytes(4)).toUpperCase();
    String accessKeySecret = HexFormat.of().formatHex(bytes(16));
    this.kube = DemoKubeApiServer.start();
    this.simulator = EciSimulator.builder().port(simulatorPort).region(REGION)
        .accessKey(accessKeyId, accessKeySecret).vswitch("vsw-demo-" + ZONE, ZONE, "10.224.0.0/16").build();
    simulator.start();
    URI endpoint = URI.create("http://127.0.0.1:" + simulator.port());
    EciCredentials credentials = EciCredentials.accessKey(accessKeyId, accessKeySecret);
    this.eci = new TeaEciClient(EciClientConfig.of(endpoint, REGION, credentials));
    out.printf("Kubernetes API server (in-process) at %s%n", kube.url());
    out.printf("ECI simulator at %s (region %s, zone %s)%n", endpoint, REGION, ZONE);
    AgentConfig config = AgentConfig.builder()
        .nodeName(NODE).region(REGION).zone(ZONE)
        .vSwitchIds(List.of("vsw-demo-" + ZONE)).securityGroupId("sg-demo")
        .eciEndpoint(endpoint).credentials(credentials)
        .nodeIp("127.0.0.1").kubeletPort(0)
        .statusInterval(Duration.ofSeconds(1)).pingInterval(Duration.ofSeconds(5))
        // The in-process API server has no scheduler (the demo binds its pods itself): nothing to burst.
        .burst(new AgentConfig.Burst(false, Duration.ZERO))
        .build();
    // As in kubeadm and ACK clusters, the cluster DNS is the kube-system/kube-dns Service; the agent looks it up.
    try (KubernetesClient admin = kube.newClient()) {
      admin.services().inNamespace("kube-system").resource(new ServiceBuilder()
          .withNewMetadata().withName("kube-dns").withNamespace("kube-system").endMetadata()
          .withNewSpec().withClusterIP("10.96.0.10").addNewPort().withName("dns").withPort(53).withProtocol("UDP")
          .endPort().endSpec().build()).create();
    }
    this.agent = Agent.start(config, kube.clientConfig());
    this.client = kube.newClient();
  }

  /** Shows the node, creates the pods and prints them until all are Running; false if the timeout passed. */
  boolean runUntilAllRunning(int replicas) throws InterruptedException {
    printNode();
    String template = "nginx-deployment-" + randomName(10);
    out.printf("%nCreating %d pod(s) of deployment nginx-deployment (nginx:1.15.4, 1 CPU / 1Gi), bound to %s%n",
        replicas, NODE);
    for (int i = 0; i < replicas; i++) {
      client.pods().inNamespace(NAMESPACE).resource(nginx(template + "-" + randomName(5))).create();
    }
    out.println();
    out.printf("%-36s %-6s %-18s %-9s %-5s %-14s %s%n", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE");
    Map<String, String> shown = new LinkedHashMap<>();
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      List<Pod> pods = demoPods();
      boolean allRunning = pods.size() == replicas;
      for (Pod pod : pods) {
        String state = status(pod) + " " + ready(pod) + " " + ip(pod);
        if (!state.equals(shown.put(pod.getMetadata().getName(), state))) {
          out.println(row(pod));
        }
        allRunning &= "Running".equals(status(pod)) && ready(pod).startsWith("1/");
      }
      out.flush();
      if (allRunning) {
        printEvents(pods);
        return true;
      }
      if (Instant.now().isAfter(deadline)) {
        out.printf("Not all pods were Running after %s.%n", timeout);
        return false;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Deletes the pods as kubectl does (gracefully) and waits until the agent removed them and their groups. */
  void deleteAll() throws InterruptedException {
    out.printf("%nDeleting the pods (graceful, as kubectl delete does)...%n");
    client.pods().inNamespace(NAMESPACE).withLabel("app", "nginx").delete();
    Instant deadline = Instant.now().plus(timeout);
    while ((!demoPods().isEmpty() || simulator.containerGroupCount() > 0) && Instant.now().isBefore(deadline)) {
      Thread.sleep(POLL.toMillis());
    }
    out.printf("%d pod(s) and %d container group(s) left.%n", demoPods().size(), simulator.containerGroupCount());
    out.flush();
  }

  @Override
  public void close() {
    client.close();
    agent.close();
    simulator.close();
    kube.close();
  }

  private void printNode() {
    Node node = client.nodes().withName(NODE).get();
    String ready = node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
        .map(NodeCondition::getStatus).findFirst().orElse("Unknown");
    out.printf("%n%-32s %-8s %-7s %-5s %s%n", "NAME", "STATUS", "ROLES", "AGE", "VERSION");
    out.printf("%-32s %-8s %-7s %-5s %s%n", NODE, "True".equals(ready) ? "Ready" : "NotReady", "agent", age(node.getMetadata().getCreationTimestamp()),
        node.getStatus().getNodeInfo().getKubeletVersion());
    out.printf("  Taints: %s%n", node.getSpec().getTaints().stream()
        .map(t -> t.getKey() + "=" + t.getValue() + ":" + t.getEffect()).collect(Collectors.joining(", ")));
    out.printf("  Labels: %s%n", node.getMetadata().getLabels().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(", ")));
    out.printf("  InternalIP: %s, kubelet port %d, capacity cpu=%s memory=%s pods=%s%n",
        node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType())).findFirst()
            .map(a -> a.getAddress()).orElse("-"),
        node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort(),
        node.getStatus().getCapacity().get("cpu"), node.getStatus().getCapacity().get("memory"),
        node.getStatus().getCapacity().get("pods"));
  }

  private void printEvents(List<Pod> pods) {
    for (Pod pod : pods) {
      out.printf("%nEvents of pod %s:%n", pod.getMetadata().getName());
      out.printf("  %-8s %-22s %-51s %s%n", "TYPE", "REASON", "FROM", "MESSAGE");
      client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
          .filter(e -> pod.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
          .sorted(Comparator.comparing(Event::getFirstTimestamp))
          .forEach(e -> out.printf("  %-8s %-22s %-51s %s%n", e.getType(), e.getReason(),
              e.getSource().getComponent() + ", " + e.getSource().getHost(), e.getMessage()));
      String groupId = pod.getMetadata().getAnnotations().get("k8s.aliyun.com/eci-instance-id");
      var groups = eci.describeContainerGroups(DescribeContainerGroupsRequest.byIds(List.of(groupId))).containerGroups();
      if (!groups.isEmpty()) {
        var group = groups.get(0);
        out.printf("  ECI container group %s (%s, %s-%sGi, %s), as ECI reports it:%n", groupId, group.status(),
            group.cpu(), group.memory(), group.zoneId());
        group.events().forEach(e -> out.printf("    %-8s %-22s %s%n", e.type(), e.reason(), e.message()));
      }
    }
    out.flush();
  }

  private List<Pod> demoPods() {
    List<Pod> pods = new ArrayList<>(client.pods().inNamespace(NAMESPACE).withLabel("app", "nginx").list().getItems());
    pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    return pods;
  }

  private String row(Pod pod) {
    int restarts = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? 0
        : pod.getStatus().getContainerStatuses().stream().mapToInt(ContainerStatus::getRestartCount).sum();
    return String.format("%-36s %-6s %-18s %-9d %-5s %-14s %s", pod.getMetadata().getName(), ready(pod),
        status(pod), restarts, age(pod.getMetadata().getCreationTimestamp()), ip(pod), pod.getSpec().getNodeName());
  }

  /** What kubectl shows in STATUS: a waiting container's reason, else the phase. */
  private static String status(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return "Terminating";
    }
    if (pod.getStatus() == null) {
      return "Pending";
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
        if (c.getState() != null && c.getState().getWaiting() != null && c.getState().getWaiting().getReason() != null) {
          return c.getState().getWaiting().getReason();
        }
      }
    }
    return pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
  }

  private static String ready(Pod pod) {
    int total = pod.getSpec().getContainers().size();
    long ready = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? 0
        : pod.getStatus().getContainerStatuses().stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count();
    return ready + "/" + total;
  }

  private static String ip(Pod pod) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    return ip == null || ip.isEmpty() ? "<none>" : ip;
  }

  private String age(String creationTimestamp) {
    Instant created = creationTimestamp == null ? started : Instant.parse(creationTimestamp);
    return Math.max(0, Duration.between(created, Instant.now()).toSeconds()) + "s";
  }

  private static Pod nginx(String name) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).addToLabels("app", "nginx").endMetadata()
        .withNewSpec()
        .withNodeName(NODE)
        .withAutomountServiceAccountToken(false)
        .addToNodeSelector("type", "virtual-kubelet")
        .addNewToleration().withKey("virtual-kubelet.io/provider").withOperator("Exists").withEffect("NoSchedule")
        .endToleration()
        .addNewContainer()
        .withName("nginx").withImage("nginx:1.15.4")
        .addNewPort().withContainerPort(80).endPort()
        .withNewResources()
        .addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("1024Mi"))
        .addToLimits("cpu", new Quantity("1")).addToLimits("memory", new Quantity("1024Mi"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  /** Kubernetes' alphabet for generated names: no vowels, no look-alike digits. */
  private static String randomName(int length) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < length; k++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
