package io.ecivk.agent.demo;

import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.client.model.Container;
import io.ecivk.eci.client.model.ContainerPort;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.DeleteContainerGroupRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse.ContainerGroupStatus;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerGroup;
import io.ecivk.eci.client.model.Tag;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's moving parts: an embedded simulator on loopback, a typed client signed with a throw-away key, and
 * the nginx container groups of the seed scenario, printed the way {@code kubectl get pods -o wide} would.
 */
final class SimulatorDemo implements AutoCloseable {
  static final String REGION = "cn-hangzhou";
  static final String ZONE = "cn-hangzhou-i";
  static final String VSWITCH = "vsw-demo-" + ZONE;
  private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Tag DEMO_TAG = new Tag("ecivk.io/demo", "nginx-deployment");

  private final PrintStream out;
  private final int replicas;
  private final Duration timeout;
  private final EciSimulator simulator;
  private final EciClient client;
  private final Map<String, String> namesById = new LinkedHashMap<>();
  private final Instant started = Instant.now();

  SimulatorDemo(PrintStream out, int port, int replicas, Duration timeout) {
    this.out = out;
    this.replicas = replicas;
    this.timeout = timeout;
    // A fresh key pair per run: the simulator and the client share nothing but the wire.
    String accessKeyId = "LTAI5tDEMO" + HexFormat.of().formatHex(randomBytes(4)).toUpperCase();
    String accessKeySecret = HexFormat.of().formatHex(randomBytes(16));
    this.simulator =
        EciSimulator.builder()
            .port(port)
            .region(REGION)
            .accessKey(accessKeyId, accessKeySecret)
            .vswitch(VSWITCH, ZONE, "10.224.0.0/16")
            .build();
    simulator.start();
    this.client =
        new TeaEciClient(
            EciClientConfig.of(endpoint(), REGION, EciCredentials.accessKey(accessKeyId, accessKeySecret)));
    out.printf("ECI simulator listening on %s (region %s, zone %s, vSwitch %s)%n", endpoint(), REGION, ZONE, VSWITCH);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + simulator.port());
  }

  /** Creates the groups and prints their status until all are Running; false if the timeout passed first. */
  boolean runUntilAllRunning() throws InterruptedException {
    // Named like a Deployment's pods: <deployment>-<pod-template-hash>-<random suffix>.
    String template = "nginx-deployment-" + randomName(10);
    out.printf("Creating %d container group(s) for pods of deployment nginx-deployment (nginx:1.15.4, 1 CPU / 1Gi)%n",
        replicas);
    for (int i = 0; i < replicas; i++) {
      String name = template + "-" + randomName(5);
      String id = client.createContainerGroup(nginx(name)).containerGroupId();
      namesById.put(id, name);
      out.printf("  CreateContainerGroup %s -> %s%n", name, id);
    }
    out.println();
    out.printf("%-36s %-7s %-12s %-6s %-15s %-30s %s%n", "NAME", "READY", "STATUS", "AGE", "IP", "NODE", "CONTAINER GROUP");
    Map<String, String> lastState = new LinkedHashMap<>();
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      List<ContainerGroupStatus> statuses = statuses();
      boolean allRunning = statuses.size() == replicas;
      for (ContainerGroupStatus s : statuses) {
        // Print a row when the group changed, not when only its age did.
        String state = s.status() + " " + (s.podStatus() == null ? "" : s.podStatus().podIp() + " " + readyCount(s));
        if (!state.equals(lastState.put(s.containerGroupId(), state))) {
          out.println(row(s));
        }
        allRunning &= "Running".equals(s.status());
      }
      out.flush();
      if (allRunning) {
        printEvents();
        return true;
      }
      if (Instant.now().isAfter(deadline)) {
        out.printf("Not all container groups were Running after %s.%n", timeout);
        return false;
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }

  /** Deletes every group this demo created and waits until ECI no longer lists them. */
  void deleteAll() {
    out.println();
    for (Map.Entry<String, String> group : namesById.entrySet()) {
      try {
        client.deleteContainerGroup(DeleteContainerGroupRequest.of(group.getKey()));
        out.printf("  DeleteContainerGroup %s (%s)%n", group.getKey(), group.getValue());
      } catch (ProviderException e) {
        if (e.category() != ErrorCategory.NOT_FOUND) {
          throw e;
        }
      }
    }
    Instant deadline = Instant.now().plus(timeout);
    while (!remaining().isEmpty() && Instant.now().isBefore(deadline)) {
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    out.printf("%d container group(s) left.%n", remaining().size());
    out.flush();
  }

  @Override
  public void close() {
    simulator.close();
  }

  private List<ContainerGroupStatus> statuses() {
    List<ContainerGroupStatus> all = new ArrayList<>();
    var request = DescribeContainerGroupStatusRequest.byTags(List.of(DEMO_TAG), null, 200);
    while (true) {
      var page = client.describeContainerGroupStatus(request);
      all.addAll(page.data());
      if (!page.hasNextPage()) {
        return all;
      }
      request = request.withNextToken(page.nextToken());
    }
  }

  private List<String> remaining() {
    return client.describeContainerGroups(DescribeContainerGroupsRequest.byTags(List.of(DEMO_TAG), 20))
        .containerGroups().stream().map(ContainerGroup::containerGroupId).toList();
  }

  private void printEvents() {
    out.println();
    for (String id : namesById.keySet()) {
      ContainerGroup group =
          client.describeContainerGroups(DescribeContainerGroupsRequest.byIds(List.of(id))).containerGroups().get(0);
      out.printf("Events of %s (%s, %s-%sGi in %s):%n", namesById.get(id), id, group.cpu(), group.memory(),
          group.zoneId());
      out.printf("  %-8s %-22s %s%n", "TYPE", "REASON", "MESSAGE");
      group.events().forEach(e -> out.printf("  %-8s %-22s %s%n", e.type(), e.reason(), e.message()));
    }
    out.flush();
  }

  private String row(ContainerGroupStatus s) {
    var pod = s.podStatus();
    String ip = pod == null || pod.podIp() == null || pod.podIp().isEmpty() ? "<none>" : pod.podIp();
    long age = Duration.between(started, Instant.now()).toSeconds();
    return String.format("%-36s %-7s %-12s %-6s %-15s %-30s %s",
        namesById.getOrDefault(s.containerGroupId(), s.name()), readyCount(s), s.status(),
        age + "s", ip, "virtual-kubelet-" + ZONE, s.containerGroupId());
  }

  private static String readyCount(ContainerGroupStatus s) {
    var pod = s.podStatus();
    long ready = pod == null ? 0 : pod.containerStatuses().stream().filter(c -> Boolean.TRUE.equals(c.ready())).count();
    int total = pod == null ? 0 : pod.containerStatuses().size();
    return ready + "/" + Math.max(total, 1);
  }

  private static CreateContainerGroupRequest nginx(String name) {
    return CreateContainerGroupRequest.builder(name)
        .securityGroupId("sg-demo")
        .vSwitchIds(List.of(VSWITCH))
        .restartPolicy("Always")
        .clientToken(name)
        .tags(List.of(DEMO_TAG, new Tag("PodName", name), new Tag("PodNamespace", "default")))
        .containers(List.of(
            Container.builder("nginx", "nginx:1.15.4")
                .cpu(1.0f)
                .memory(1.0f)
                .ports(List.of(new ContainerPort(80, "TCP")))
                .build()))
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

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
