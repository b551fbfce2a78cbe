package io.ecivk.agent.burst;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FitCheckTest {
  private static final String NODE = "virtual-kubelet-cn-hangzhou-i";
  private static final FitCheck CHECK = new FitCheck("virtual-kubelet.io/provider", "alibabacloud");

  /** name, pod, node, pods on node, expected refusal code (null: fits), expected message (null: not checked). */
  static Stream<Arguments> cases() {
    return Stream.of(
        fits("plain pod, Ready node with the provider taint", pod(p -> p), node(n -> n), List.of()),
        refused("DaemonSet pod", pod(p -> p.editMetadata().addNewOwnerReference().withKind("DaemonSet")
            .withName("ds").withApiVersion("apps/v1").withUid("u").withController(true).endOwnerReference()
            .endMetadata()), node(n -> n), List.of(), "DaemonSet", null),
        fits("ReplicaSet pod", pod(p -> p.editMetadata().addNewOwnerReference().withKind("ReplicaSet")
            .withName("rs").withApiVersion("apps/v1").withUid("u").withController(true).endOwnerReference()
            .endMetadata()), node(n -> n), List.of()),
        refused("hostNetwork", pod(p -> p.editSpec().withHostNetwork(true).endSpec()), node(n -> n), List.of(),
            "HostNamespace", "ECI does not support hostNetwork, hostPID or hostIPC"),
        refused("hostPID", pod(p -> p.editSpec().withHostPID(true).endSpec()), node(n -> n), List.of(),
            "HostNamespace", null),
        refused("hostIPC", pod(p -> p.editSpec().withHostIPC(true).endSpec()), node(n -> n), List.of(),
            "HostNamespace", null),
        refused("hostPath volume", pod(p -> p.editSpec().addNewVolume().withName("logs").withNewHostPath()
            .withPath("/var/log").endHostPath().endVolume().endSpec()), node(n -> n), List.of(), "HostPath",
            "ECI does not support hostPath volumes (volume logs)"),
        fits("emptyDir volume", pod(p -> p.editSpec().addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir()
            .endVolume().endSpec()), node(n -> n), List.of()),
        refused("node NotReady", pod(p -> p), node(n -> n.editStatus().editFirstCondition().withStatus("Unknown")
            .endCondition().endStatus()), List.of(), "NodeNotReady", "node " + NODE + " is not Ready"),
        refused("node cordoned", pod(p -> p), node(n -> n.editSpec().withUnschedulable(true).endSpec()), List.of(),
            "NodeUnschedulable", null),
        refused("unreachable taint respected", pod(p -> p), node(n -> n.editSpec().addNewTaint()
            .withKey("virtual-kubelet.io/provider-unreachable").withEffect("NoSchedule").endTaint().endSpec()),
            List.of(), "Taint", "the pod does not tolerate taint virtual-kubelet.io/provider-unreachable:NoSchedule"
                + " of node " + NODE),
        fits("unreachable taint tolerated", pod(p -> p.editSpec().addToTolerations(
            toleration("virtual-kubelet.io/provider-unreachable", "Exists", null, "NoSchedule")).endSpec()),
            node(n -> n.editSpec().addNewTaint().withKey("virtual-kubelet.io/provider-unreachable")
                .withEffect("NoSchedule").endTaint().endSpec()), List.of()),
        refused("provider taint with another value is not ours", pod(p -> p), node(n -> n.editSpec().editFirstTaint()
            .withValue("other").endTaint().endSpec()), List.of(), "Taint", null),
        fits("PreferNoSchedule taint only scores", pod(p -> p), node(n -> n.editSpec().addNewTaint().withKey("x")
            .withEffect("PreferNoSchedule").endTaint().endSpec()), List.of()),
        fits("Equal toleration with matching value", pod(p -> p.editSpec().addToTolerations(
            toleration("dedicated", "Equal", "burst", null)).endSpec()),
            node(n -> n.editSpec().addNewTaint().withKey("dedicated").withValue("burst").withEffect("NoExecute")
                .endTaint().endSpec()), List.of()),
        refused("Equal toleration with another value", pod(p -> p.editSpec().addToTolerations(
            toleration("dedicated", "Equal", "batch", null)).endSpec()),
            node(n -> n.editSpec().addNewTaint().withKey("dedicated").withValue("burst").withEffect("NoExecute")
                .endTaint().endSpec()), List.of(), "Taint", null),
        refused("toleration for another effect", pod(p -> p.editSpec().addToTolerations(
            toleration("dedicated", "Exists", null, "NoSchedule")).endSpec()),
            node(n -> n.editSpec().addNewTaint().withKey("dedicated").withValue("burst").withEffect("NoExecute")
                .endTaint().endSpec()), List.of(), "Taint", null),
        fits("empty-key Exists tolerates everything", pod(p -> p.editSpec().addToTolerations(
            toleration(null, "Exists", null, null)).endSpec()),
            node(n -> n.editSpec().addNewTaint().withKey("dedicated").withValue("burst").withEffect("NoExecute")
                .endTaint().endSpec()), List.of()),
        fits("nodeSelector matches", pod(p -> p.editSpec().addToNodeSelector("vk-stress-test", "1").endSpec()),
            node(n -> n), List.of()),
        refused("nodeSelector disktype=ssd", pod(p -> p.editSpec().addToNodeSelector("disktype", "ssd").endSpec()),
            node(n -> n), List.of(), "NodeSelector", "node " + NODE + " does not match nodeSelector disktype=ssd"),
        fits("affinity In", affinity(req("topology.kubernetes.io/zone", "In", "cn-hangzhou-i", "cn-hangzhou-j")),
            node(n -> n), List.of()),
        refused("affinity In other zone", affinity(req("topology.kubernetes.io/zone", "In", "cn-hangzhou-k")),
            node(n -> n), List.of(), "NodeAffinity",
            "node " + NODE + " does not match the pod's required node affinity"),
        fits("affinity NotIn", affinity(req("type", "NotIn", "ecs")), node(n -> n), List.of()),
        refused("affinity NotIn virtual-kubelet", affinity(req("type", "NotIn", "virtual-kubelet")), node(n -> n),
            List.of(), "NodeAffinity", null),
        fits("affinity Exists", affinity(req("vk-stress-test", "Exists")), node(n -> n), List.of()),
        refused("affinity DoesNotExist", affinity(req("vk-stress-test", "DoesNotExist")), node(n -> n), List.of(),
            "NodeAffinity", null),
        fits("affinity Gt", affinity(req("generation", "Gt", "2")), node(n -> n), List.of()),
        refused("affinity Gt equal", affinity(req("generation", "Gt", "3")), node(n -> n), List.of(), "NodeAffinity",
            null),
        fits("affinity Lt", affinity(req("generation", "Lt", "4")), node(n -> n), List.of()),
        refused("affinity Lt on a non-number", affinity(req("type", "Lt", "4")), node(n -> n), List.of(),
            "NodeAffinity", null),
        fits("affinity matchFields metadata.name", pod(p -> p.editSpec().withNewAffinity().withNewNodeAffinity()
            .withRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelectorBuilder().addToNodeSelectorTerms(
                new NodeSelectorTermBuilder().addToMatchFields(req("metadata.name", "In", NODE)).build()).build())
            .endNodeAffinity().endAffinity().endSpec()), node(n -> n), List.of()),
        refused("affinity matchFields other node", pod(p -> p.editSpec().withNewAffinity().withNewNodeAffinity()
            .withRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelectorBuilder().addToNodeSelectorTerms(
                new NodeSelectorTermBuilder().addToMatchFields(req("metadata.name", "In", "ecs-1")).build()).build())
            .endNodeAffinity().endAffinity().endSpec()), node(n -> n), List.of(), "NodeAffinity", null),
        fits("affinity terms are ORed", pod(p -> p.editSpec().withNewAffinity().withNewNodeAffinity()
            .withRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelectorBuilder()
                .addToNodeSelectorTerms(new NodeSelectorTermBuilder().addToMatchExpressions(req("type", "In", "ecs"))
                    .build())
                .addToNodeSelectorTerms(new NodeSelectorTermBuilder().addToMatchExpressions(
                    req("type", "In", "virtual-kubelet")).build())
                .build())
            .endNodeAffinity().endAffinity().endSpec()), node(n -> n), List.of()),
        refused("expressions in a term are ANDed", affinity(req("type", "In", "virtual-kubelet"),
            req("disktype", "Exists")), node(n -> n), List.of(), "NodeAffinity", null),
        refused("empty term matches nothing", pod(p -> p.editSpec().withNewAffinity().withNewNodeAffinity()
            .withRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelectorBuilder()
                .addToNodeSelectorTerms(new NodeSelectorTermBuilder().build()).build())
            .endNodeAffinity().endAffinity().endSpec()), node(n -> n), List.of(), "NodeAffinity", null),
        fits("resources: 1 CPU/1Gi on a node with 2 CPU/2Gi free",
            pod(p -> p), node(n -> n), List.of(bound("a", "1", "1Gi", "Running"))),
        refused("resources: cpu exhausted", pod(p -> p), node(n -> n),
            List.of(bound("a", "1", "1Gi", "Running"), bound("b", "1500m", "1Gi", "Pending")), "Resources",
            "insufficient cpu on node " + NODE + ": requested 1, free 0.5"),
        refused("resources: memory exhausted", pod(p -> p), node(n -> n),
            List.of(bound("a", "100m", "2560Mi", "Running")), "Resources",
            "insufficient memory on node " + NODE + ": requested 1073741824, free 536870912"),
        fits("resources: finished pods do not count", pod(p -> p), node(n -> n),
            List.of(bound("a", "3", "3Gi", "Succeeded"), bound("b", "3", "3Gi", "Failed"))),
        refused("resources: pod count", pod(p -> p), node(n -> n.editStatus().addToAllocatable("pods",
            new Quantity("2")).endStatus()), List.of(bound("a", "0", "0", "Running"), bound("b", "0", "0", "Running")),
            "Resources", "node " + NODE + " has no room for another pod (2 of 2 pods)"),
        refused("resources: init container larger than the app", pod(p -> p.editSpec().addNewInitContainer()
            .withName("init").withNewResources().addToRequests("cpu", new Quantity("4")).endResources()
            .endInitContainer().endSpec()), node(n -> n), List.of(), "Resources",
            "insufficient cpu on node " + NODE + ": requested 4, free 3"),
        refused("resources: limit without request counts", pod(p -> p.editSpec().editFirstContainer()
            .editResources().withRequests(Map.of()).addToLimits("memory", new Quantity("8Gi")).endResources()
            .endContainer().endSpec()), node(n -> n), List.of(), "Resources", null),
        refused("resources: extended resource the node lacks", pod(p -> p.editSpec().editFirstContainer()
            .editResources().addToLimits("nvidia.com/gpu", new Quantity("1")).endResources().endContainer()
            .endSpec()), node(n -> n), List.of(), "Resources", "node " + NODE + " has no nvidia.com/gpu"),
        refused("anti-affinity hostname against a pod on the node", antiAffinity("kubernetes.io/hostname"),
            node(n -> n), List.of(bound("web-1", "0", "0", "Running")), "PodAntiAffinity",
            "the pod's required pod anti-affinity excludes pod burst/web-1 on the node"),
        fits("anti-affinity hostname, no matching pod", antiAffinity("kubernetes.io/hostname"), node(n -> n),
            List.of(labelled(bound("db-1", "0", "0", "Running"), "app", "db"))),
        fits("anti-affinity hostname, same labels in another namespace", antiAffinity("kubernetes.io/hostname"),
            node(n -> n), List.of(inNamespace(bound("web-1", "0", "0", "Running"), "other"))),
        refused("anti-affinity on zone cannot be evaluated", antiAffinity("topology.kubernetes.io/zone"),
            node(n -> n), List.of(), "PodAntiAffinity", "cannot evaluate required pod anti-affinity with topologyKey"
                + " topology.kubernetes.io/zone (only kubernetes.io/hostname is evaluated on the virtual node)"),
        refused("a pod on the node whose anti-affinity excludes ours", pod(p -> p),
            node(n -> n), List.of(withAntiAffinity(labelled(bound("db-1", "0", "0", "Running"), "app", "db"))),
            "PodAntiAffinity", "pod burst/db-1 on the node has a required anti-affinity that excludes this pod"),
        fits("pod affinity hostname with a matching pod", podAffinity("kubernetes.io/hostname"), node(n -> n),
            List.of(bound("web-1", "0", "0", "Running"))),
        refused("pod affinity hostname without a matching pod", podAffinity("kubernetes.io/hostname"), node(n -> n),
            List.of(), "PodAffinity", "no pod on the node matches the pod's required pod affinity"),
        refused("hard topology spread cannot be evaluated", pod(p -> p.editSpec().addToTopologySpreadConstraints(
            new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("DoNotSchedule").build()).endSpec()), node(n -> n), List.of(),
            "TopologySpread", null),
        fits("soft topology spread only scores", pod(p -> p.editSpec().addToTopologySpreadConstraints(
            new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("ScheduleAnyway").build()).endSpec()), node(n -> n), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void check(String name, Pod pod, Node node, List<Pod> onNode, String code, String message) {
    Fit fit = CHECK.check(pod, node, onNode);

    assertThat(fit.code()).isEqualTo(code);
    if (message != null) {
      assertThat(fit.message()).isEqualTo(message);
    }
  }

  private static Arguments fits(String name, Pod pod, Node node, List<Pod> onNode) {
    return Arguments.of(name, pod, node, onNode, null, null);
  }

  private static Arguments refused(String name, Pod pod, Node node, List<Pod> onNode, String code, String message) {
    return Arguments.of(name, pod, node, onNode, code, message);
  }

  /** An nginx pod of the users' scenario: 1 CPU / 1Gi, app=web, in namespace burst. */
  private static Pod pod(UnaryOperator<PodBuilder> edit) {
    return edit.apply(new PodBuilder()
        .withNewMetadata().withName("web-x").withNamespace("burst").withUid("uid-x").addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer().withName("nginx").withImage("nginx:1.15.4")
        .withNewResources().addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("1Gi"))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus().withPhase("Pending").endStatus()).build();
  }

  /** The virtual node: 3 CPU, 3Gi, 10 pods, Ready, with the provider taint. */
  private static Node node(UnaryOperator<NodeBuilder> edit) {
    return edit.apply(new NodeBuilder()
        .withNewMetadata().withName(NODE)
        .addToLabels("type", "virtual-kubelet").addToLabels("kubernetes.io/hostname", NODE)
        .addToLabels("topology.kubernetes.io/zone", "cn-hangzhou-i").addToLabels("vk-stress-test", "1")
        .addToLabels("generation", "3")
        .endMetadata()
        .withNewSpec().addNewTaint().withKey("virtual-kubelet.io/provider").withValue("alibabacloud")
        .withEffect("NoSchedule").endTaint().endSpec()
        .withNewStatus()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addToAllocatable("cpu", new Quantity("3")).addToAllocatable("memory", new Quantity("3Gi"))
        .addToAllocatable("pods", new Quantity("10"))
        .endStatus()).build();
  }

  private static Pod bound(String name, String cpu, String memory, String phase) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("burst").withUid("uid-" + name).addToLabels("app", "web")
        .endMetadata()
        .withNewSpec().withNodeName(NODE)
        .addNewContainer().withName("c").withNewResources().addToRequests("cpu", new Quantity(cpu))
        .addToRequests("memory", new Quantity(memory)).endResources().endContainer()
        .endSpec()
        .withNewStatus().withPhase(phase).endStatus()
        .build();
  }

  private static Pod labelled(Pod pod, String key, String value) {
    return new PodBuilder(pod).editMetadata().addToLabels(key, value).endMetadata().build();
  }

  private static Pod inNamespace(Pod pod, String namespace) {
    return new PodBuilder(pod).editMetadata().withNamespace(namespace).endMetadata().build();
  }

  /** A pod with a hostname anti-affinity against app=web pods. */
  private static Pod withAntiAffinity(Pod pod) {
    return new PodBuilder(pod).editSpec().withNewAffinity().withNewPodAntiAffinity()
        .addNewRequiredDuringSchedulingIgnoredDuringExecution().withTopologyKey("kubernetes.io/hostname")
        .withLabelSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("app").withOperator("In")
            .withValues("web").endMatchExpression().build())
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity().endAffinity().endSpec().build();
  }

  private static Pod antiAffinity(String topologyKey) {
    return pod(p -> p.editSpec().withNewAffinity().withNewPodAntiAffinity()
        .addToRequiredDuringSchedulingIgnoredDuringExecution(new PodAffinityTermBuilder()
            .withTopologyKey(topologyKey).withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "web")
                .build()).build())
        .endPodAntiAffinity().endAffinity().endSpec());
  }

  private static Pod podAffinity(String topologyKey) {
    return pod(p -> p.editSpec().withNewAffinity().withNewPodAffinity()
        .addToRequiredDuringSchedulingIgnoredDuringExecution(new PodAffinityTermBuilder()
            .withTopologyKey(topologyKey).withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "web")
                .build()).build())
        .endPodAffinity().endAffinity().endSpec());
  }

  private static Pod affinity(NodeSelectorRequirement... requirements) {
    return pod(p -> p.editSpec().withNewAffinity().withNewNodeAffinity()
        .withRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelectorBuilder().addToNodeSelectorTerms(
            new NodeSelectorTermBuilder().addToMatchExpressions(requirements).build()).build())
        .endNodeAffinity().endAffinity().endSpec());
  }

  private static NodeSelectorRequirement req(String key, String operator, String... values) {
    return new NodeSelectorRequirement(key, operator, List.of(values));
  }

  private static Toleration toleration(String key, String operator, String value, String effect) {
    return new TolerationBuilder().withKey(key).withOperator(operator).withValue(value).withEffect(effect).build();
  }
}
