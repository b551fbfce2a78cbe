package io.ecivk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.agent.burst.BurstBinder;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The users' scenario (seed 002: an nginx Deployment on an ECS node, scaled past its room, the extra replicas
 * burst to ECI) on the real control plane: the real scheduler fills a registered "ECS" Node and marks the rest
 * Unschedulable, the binder moves those to the virtual node, the ECI simulator runs them.
 */
@ExtendWith(KubeControlPlaneExtension.class)
class BurstBinderIT {
  private static final String AK = "LTAI5tBURSTIT";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";
  private static final String TEST_KEY = "ecivk.io/test";

  private KubernetesClient client;
  private String namespace;
  private String testLabel;
  private String zone;
  private String virtualNode;
  private String ecsNode;
  private EciSimulator simulator;
  private Agent agent;
  private ScheduledExecutorService heartbeat;

  @BeforeEach
  void start(KubeControlPlane controlPlane, TestInfo test) throws Exception {
    client = controlPlane.client();
    namespace = controlPlane.createNamespace("burst");
    testLabel = UUID.randomUUID().toString().substring(0, 8);
    zone = "cn-hangzhou-" + testLabel;
    virtualNode = AgentConfig.defaultNodeName(zone);
    ecsNode = KubeControlPlane.uniqueName("ecs");
    registerEcsNode();
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", zone, "10.224.0.0/16").build();
    simulator.start();
    AgentConfig config = TestAgentConfigs.onSimulator(zone, URI.create("http://127.0.0.1:" + simulator.port()), AK, SECRET)
        .nodeName(virtualNode)
        .extraNodeLabels(Map.of(TEST_KEY, testLabel))
        // A 3-CPU virtual node for the capacity test, to fill it.
        .capacity(Map.of("cpu", new Quantity(method(test).startsWith("parallel") ? "3" : "100"), "memory",
            new Quantity("400Gi"), "pods", new Quantity("100")))
        // An hour's delay in the direct-route test: what is bound there was not waited for.
        .burst(method(test).startsWith("eciOnly") ? new AgentConfig.Burst(true, Duration.ofHours(1)) : AgentConfig.Burst.defaults())
        .build();
    agent = Agent.start(config, Config.fromKubeconfig(Files.readString(controlPlane.kubeconfig())));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (heartbeat != null) {
      heartbeat.shutdownNow();
    }
    if (simulator != null) {
      simulator.close();
    }
    client.apps().deployments().inNamespace(namespace).withName("nginx-deployment").delete();
    // Pods on the kubelet-less ECS node would wait forever for a graceful stop.
    client.pods().inNamespace(namespace).withGracePeriod(0).delete();
    client.nodes().withName(ecsNode).delete();
    client.nodes().withName(virtualNode).delete();
    client.leases().inNamespace("kube-node-lease").withName(ecsNode).delete();
  }

  @Test
  void replicasBeyondTheEcsNodeBurstToEciAndPodsThatDoNotFitStayPending() {
    BurstBinder binder = agent.burstBinder().orElseThrow();

    // The seed's Deployment, scaled to 4 on an ECS node with room for 2.
    client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
        .withNewMetadata().withName("nginx-deployment").withNamespace(namespace).endMetadata()
        .withNewSpec().withReplicas(4)
        .withNewSelector().addToMatchLabels("app", "nginx").endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", "nginx")
        .addToAnnotations("alibabacloud.com/burst-resource", "eci").endMetadata()
        .withSpec(nginxSpec(Map.of()))
        .endTemplate()
        .endSpec().build()).create();

    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      List<Pod> pods = deploymentPods();
      assertThat(pods).hasSize(4);
      assertThat(pods).filteredOn(p -> ecsNode.equals(p.getSpec().getNodeName())).hasSize(2);
      List<Pod> burst = pods.stream().filter(p -> virtualNode.equals(p.getSpec().getNodeName())).toList();
      assertThat(burst).hasSize(2).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
    });
    for (Pod pod : deploymentPods()) {
      List<Event> ours = burstEvents(pod.getMetadata().getName());
      if (virtualNode.equals(pod.getSpec().getNodeName())) {
        // The scheduler tried first: the pod was Unschedulable before the binder moved it.
        assertThat(ours).singleElement().satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Normal");
          assertThat(e.getReason()).isEqualTo("BurstToECI");
          assertThat(e.getMessage()).matches("bound to " + virtualNode + " after \\d+ s unschedulable");
          assertThat(e.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
          assertThat(e.getSource().getComponent()).isEqualTo(AgentConfig.COMPONENT);
        });
        assertThat(events(pod.getMetadata().getName())).anySatisfy(e -> assertThat(e.getReason())
            .isEqualTo("FailedScheduling"));
      } else {
        assertThat(ours).isEmpty();
      }
    }
    assertThat(simulator.containerGroupCount()).isEqualTo(2);
    assertThat(binder.bound()).isEqualTo(2);

    // A burst pod whose nodeSelector the virtual node does not match: one BurstRefused, and it stays Pending.
    client.pods().inNamespace(namespace).resource(pod("ssd", Map.of("alibabacloud.com/burst-resource", "eci"),
        Map.of(), Map.of("disktype", "ssd"))).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(burstEvents("ssd")).singleElement()
        .satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getReason()).isEqualTo("BurstRefused");
          assertThat(e.getMessage()).isEqualTo("not bound to " + virtualNode + ": node " + virtualNode
              + " does not match nodeSelector disktype=ssd");
        }));
    // Looked at again (an update of the pod), the same reason makes no second Event and no count bump.
    long refusals = binder.refusals();
    client.pods().inNamespace(namespace).withName("ssd")
        .edit(p -> new PodBuilder(p).editMetadata().addToLabels("touched", "1").endMetadata().build());
    await().atMost(Duration.ofSeconds(10)).until(() -> binder.refusals() > refusals);
    assertThat(burstEvents("ssd")).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
    assertThat(client.pods().inNamespace(namespace).withName("ssd").get().getSpec().getNodeName()).isNull();

    // A pod without any ECI marker is left to the scheduler: Pending, and nothing from us.
    client.pods().inNamespace(namespace).resource(pod("plain", Map.of(), Map.of(), Map.of())).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> unschedulable("plain"));
    assertThat(client.pods().inNamespace(namespace).withName("plain").get().getSpec().getNodeName()).isNull();
    assertThat(burstEvents("plain")).isEmpty();
  }

  @Test
  void eciOnlyAndTheNamespaceLabelGoStraightToEci(KubeControlPlane controlPlane) {
    BurstBinder binder = agent.burstBinder().orElseThrow();
    // None of these tolerate the ECS node's taint: the scheduler cannot race the binder to it.
    client.pods().inNamespace(namespace).resource(untolerated(pod("only",
        Map.of("alibabacloud.com/burst-resource", "eci_only"), Map.of(), Map.of()))).create();
    client.pods().inNamespace(namespace).resource(untolerated(pod("waits",
        Map.of("alibabacloud.com/burst-resource", "eci"), Map.of(), Map.of()))).create();
    String labelled = controlPlane.createNamespace("burst-eci");
    client.namespaces().withName(labelled).edit(n -> new io.fabric8.kubernetes.api.model.NamespaceBuilder(n)
        .editMetadata().addToLabels("alibabacloud.com/eci", "true").endMetadata().build());
    try {
      client.pods().inNamespace(labelled).resource(new PodBuilder(untolerated(pod("team", Map.of(), Map.of(),
          Map.of()))).editMetadata().withNamespace(labelled).endMetadata().build()).create();

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        for (String[] ref : new String[][] {{namespace, "only"}, {labelled, "team"}}) {
          Pod pod = client.pods().inNamespace(ref[0]).withName(ref[1]).get();
          assertThat(pod.getSpec().getNodeName()).isEqualTo(virtualNode);
          assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        }
      });
      // The burst pod waits out its (hour-long) delay after the scheduler gave up on it: not bound, no event.
      await().atMost(Duration.ofSeconds(30)).until(() -> unschedulable("waits"));
      assertThat(client.pods().inNamespace(namespace).withName("waits").get().getSpec().getNodeName()).isNull();
      assertThat(burstEvents("waits")).isEmpty();
      assertThat(binder.bound()).isEqualTo(2);
      assertThat(burstEvents("only")).singleElement().satisfies(e -> assertThat(e.getMessage()).isEqualTo(
          "bound to " + virtualNode + " directly: the pod asks for ECI (alibabacloud.com/burst-resource=eci_only)"));
      assertThat(client.v1().events().inNamespace(labelled).list().getItems()).filteredOn(
          e -> "team".equals(e.getInvolvedObject().getName()) && "BurstToECI".equals(e.getReason()))
          .singleElement().satisfies(e -> assertThat(e.getMessage()).isEqualTo("bound to " + virtualNode
              + " directly: the pod asks for ECI (label alibabacloud.com/eci=true on namespace " + labelled + ")"));
    } finally {
      client.pods().inNamespace(labelled).withGracePeriod(0).delete();
      client.namespaces().withName(labelled).delete();
    }
  }

  @Test
  void parallelBindsNeverOvercommitTheVirtualNode() {
    BurstBinder binder = agent.burstBinder().orElseThrow();
    // Five 1-CPU pods for a 3-CPU node, all at once: the two workers must count each other's fresh binds.
    for (int i = 1; i <= 5; i++) {
      client.pods().inNamespace(namespace).resource(untolerated(pod("only-" + i,
          Map.of("alibabacloud.com/burst-resource", "eci_only"), Map.of(), Map.of()))).create();
    }

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
      assertThat(pods).filteredOn(p -> virtualNode.equals(p.getSpec().getNodeName())).hasSize(3)
          .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
      List<Pod> left = pods.stream().filter(p -> p.getSpec().getNodeName() == null).toList();
      assertThat(left).hasSize(2);
      for (Pod pod : left) {
        assertThat(burstEvents(pod.getMetadata().getName())).singleElement().satisfies(e -> {
          assertThat(e.getReason()).isEqualTo("BurstRefused");
          assertThat(e.getMessage()).isEqualTo("not bound to " + virtualNode + ": insufficient cpu on node "
              + virtualNode + ": requested 1, free 0");
        });
      }
    });
    assertThat(binder.bound()).isEqualTo(3);
    assertThat(simulator.containerGroupCount()).isEqualTo(3);
  }

  private static String method(TestInfo test) {
    return test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("");
  }

  /**
   * An "ECS" node the scheduler can use: 2 CPU / 2Gi, Ready, tainted so that only this test's pods (which
   * tolerate it) land there; its Lease is renewed so the node-lifecycle controller keeps it Ready.
   */
  private void registerEcsNode() {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Node node = new NodeBuilder()
        .withNewMetadata().withName(ecsNode).addToLabels(TEST_KEY, testLabel)
        .addToLabels("kubernetes.io/hostname", ecsNode).endMetadata()
        .withNewSpec().addNewTaint().withKey(TEST_KEY).withValue(testLabel).withEffect("NoSchedule").endTaint()
        .endSpec()
        .withNewStatus()
        .addToCapacity("cpu", new Quantity("2")).addToCapacity("memory", new Quantity("2Gi"))
        .addToCapacity("pods", new Quantity("110"))
        .addToAllocatable("cpu", new Quantity("2")).addToAllocatable("memory", new Quantity("2Gi"))
        .addToAllocatable("pods", new Quantity("110"))
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
        .endStatus()
        .build();
    client.nodes().resource(node).create();
    // The node controllers may change the new node meanwhile (taints, conditions): write the status on the latest
    // version, again after a conflict.
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      Node current = client.nodes().withName(ecsNode).get();
      current.setStatus(node.getStatus());
      client.nodes().resource(current).updateStatus();
      return true;
    });
    client.leases().inNamespace("kube-node-lease").resource(new LeaseBuilder()
        .withNewMetadata().withName(ecsNode).withNamespace("kube-node-lease").endMetadata()
        .withNewSpec().withHolderIdentity(ecsNode).withLeaseDurationSeconds(40)
        .withRenewTime(ZonedDateTime.now()).endSpec().build()).create();
    heartbeat = Executors.newSingleThreadScheduledExecutor();
    heartbeat.scheduleWithFixedDelay(() -> {
      try {
        client.leases().inNamespace("kube-node-lease").withName(ecsNode)
            .edit(l -> new LeaseBuilder(l).editSpec().withRenewTime(ZonedDateTime.now()).endSpec().build());
      } catch (RuntimeException e) {
        // The next renewal tries again; the lease lasts 40 s.
      }
    }, 5, 5, TimeUnit.SECONDS);
  }

  /** The seed's nginx: 1 CPU / 1Gi, on this test's nodes only. */
  private PodSpec nginxSpec(Map<String, String> extraSelector) {
    return new PodSpecBuilder()
        .withAutomountServiceAccountToken(false)
        .addToNodeSelector(TEST_KEY, testLabel)
        .addToNodeSelector(extraSelector)
        .addNewToleration().withKey(TEST_KEY).withOperator("Exists").withEffect("NoSchedule").endToleration()
        .addNewContainer().withName("nginx").withImage("nginx:1.15.4")
        .withNewResources()
        .addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("1Gi"))
        .addToLimits("cpu", new Quantity("1")).addToLimits("memory", new Quantity("1Gi"))
        .endResources()
        .endContainer()
        .build();
  }

  private Pod pod(String name, Map<String, String> annotations, Map<String, String> labels,
      Map<String, String> extraSelector) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).addToAnnotations(annotations).addToLabels(labels)
        .endMetadata()
        .withSpec(nginxSpec(extraSelector))
        .build();
  }

  private static Pod untolerated(Pod pod) {
    return new PodBuilder(pod).editSpec().withTolerations(List.of()).endSpec().build();
  }

  private boolean unschedulable(String name) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    return pod.getStatus().getConditions().stream().anyMatch(c -> "PodScheduled".equals(c.getType())
        && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()));
  }

  private List<Pod> deploymentPods() {
    return client.pods().inNamespace(namespace).withLabel("app", "nginx").list().getItems();
  }

  private List<Event> events(String podName) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> podName.equals(e.getInvolvedObject().getName())).toList();
  }

  private List<Event> burstEvents(String podName) {
    return events(podName).stream()
        .filter(e -> e.getReason().equals(BurstBinder.REASON_BOUND) || e.getReason().equals(BurstBinder.REASON_REFUSED))
        .toList();
  }
}
