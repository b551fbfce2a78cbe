package io.ecivk.node;

import static io.ecivk.node.Json.assertJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeTemplateTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00.750Z");
  private static final ProviderHealth DOWN = ProviderHealth.failed(
      new ProviderException(ErrorCategory.TRANSIENT, "ServiceUnavailable", "connection refused"));

  private static final NodeConfig CONFIG = NodeConfig.builder()
      .nodeName("virtual-kubelet-cn-hangzhou-i")
      .label("type", "virtual-kubelet")
      .label("kubernetes.io/role", "agent")
      .label("kubernetes.io/hostname", "virtual-kubelet-cn-hangzhou-i")
      .label("topology.kubernetes.io/zone", "cn-hangzhou-i")
      .taint("virtual-kubelet.io/provider", "alibabacloud", "NoSchedule")
      .internalIp("10.0.0.7")
      .kubeletVersion("v1.20.2-eci-vk-0.1.0")
      .build();

  @Test
  void newNodeCarriesOurLabelsAnnotationAndTaints() {
    assertJson(NodeTemplate.newNode(CONFIG, ProviderHealth.ok()), """
        {"apiVersion": "v1", "kind": "Node",
         "metadata": {"name": "virtual-kubelet-cn-hangzhou-i",
           "labels": {"kubernetes.io/hostname": "virtual-kubelet-cn-hangzhou-i", "kubernetes.io/role": "agent",
                      "topology.kubernetes.io/zone": "cn-hangzhou-i", "type": "virtual-kubelet"},
           "annotations": {"ecivk.io/node-agent": "eci-virtual-kubelet"}},
         "spec": {"taints": [{"key": "virtual-kubelet.io/provider", "value": "alibabacloud", "effect": "NoSchedule"}]}}
        """);
  }

  @Test
  void newNodeOfAnUnreachableProviderAlsoCarriesTheProviderTaint() {
    assertThat(NodeTemplate.newNode(CONFIG, DOWN).getSpec().getTaints())
        .extracting(Taint::getKey, Taint::getValue, Taint::getEffect)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("virtual-kubelet.io/provider", "alibabacloud", "NoSchedule"),
            org.assertj.core.groups.Tuple.tuple("virtual-kubelet.io/provider-unreachable", null, "NoSchedule"));
  }

  @Test
  void metadataPatchAddsOnlyOurMissingKeysAndKeepsOthersTaintsInPlace() {
    Node current = new NodeBuilder()
        .withNewMetadata()
        .withName("virtual-kubelet-cn-hangzhou-i")
        .withResourceVersion("42")
        .withLabels(Map.of("type", "virtual-kubelet", "kubernetes.io/role", "master", "team", "payments"))
        .withAnnotations(Map.of("node.alpha.kubernetes.io/ttl", "0"))
        .endMetadata()
        .withNewSpec()
        .withTaints(
            taint("dedicated", "gpu", "NoSchedule"),
            taint("virtual-kubelet.io/provider", "someone-edited", "NoExecute"),
            taint("node.kubernetes.io/not-ready", null, "NoSchedule"))
        .endSpec()
        .build();

    assertJson(NodeTemplate.metadataPatch(CONFIG, DOWN, current).orElseThrow(), """
        {"metadata": {"resourceVersion": "42",
           "labels": {"kubernetes.io/hostname": "virtual-kubelet-cn-hangzhou-i", "kubernetes.io/role": "agent",
                      "topology.kubernetes.io/zone": "cn-hangzhou-i"},
           "annotations": {"ecivk.io/node-agent": "eci-virtual-kubelet"}},
         "spec": {"taints": [
           {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
           {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"},
           {"key": "virtual-kubelet.io/provider", "value": "alibabacloud", "effect": "NoSchedule"},
           {"key": "virtual-kubelet.io/provider-unreachable", "effect": "NoSchedule"}]}}
        """);
  }

  @Test
  void metadataPatchRemovesTheProviderTaintOnRecoveryAndSendsNothingElse() {
    Node current = ours("7", List.of(
        taint("virtual-kubelet.io/provider", "alibabacloud", "NoSchedule"),
        taint("dedicated", "gpu", "NoSchedule"),
        taint("virtual-kubelet.io/provider-unreachable", null, "NoSchedule")));

    assertJson(NodeTemplate.metadataPatch(CONFIG, ProviderHealth.ok(), current).orElseThrow(), """
        {"metadata": {"resourceVersion": "7"},
         "spec": {"taints": [
           {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
           {"key": "virtual-kubelet.io/provider", "value": "alibabacloud", "effect": "NoSchedule"}]}}
        """);
  }

  @Test
  void metadataPatchIsEmptyWhenEverythingWeOwnIsInPlaceWhateverTheOrderAndOthersAdded() {
    Node current = ours("9", List.of(
        taint("virtual-kubelet.io/provider-unreachable", null, "NoSchedule"),
        taint("dedicated", "gpu", "NoSchedule"),
        taint("virtual-kubelet.io/provider", "alibabacloud", "NoSchedule")));

    assertThat(NodeTemplate.metadataPatch(CONFIG, DOWN, current)).isEmpty();
    assertThat(NodeTemplate.metadataPatch(CONFIG, ProviderHealth.ok(), current)).isPresent();
  }

  @Test
  void mergeTaintsReplacesOwnedKeysWhateverTheirEffect() {
    List<Taint> merged = NodeTemplate.mergeTaints(
        List.of(taint("a", "1", "NoSchedule"), taint("ours", "old", "NoExecute"), taint("b", null, "NoExecute")),
        List.of(taint("ours", "new", "NoSchedule")),
        Set.of("ours", "ours-too"));

    assertThat(merged).extracting(Taint::getKey, Taint::getValue, Taint::getEffect).containsExactly(
        org.assertj.core.groups.Tuple.tuple("a", "1", "NoSchedule"),
        org.assertj.core.groups.Tuple.tuple("b", null, "NoExecute"),
        org.assertj.core.groups.Tuple.tuple("ours", "new", "NoSchedule"));
  }

  @Test
  void sameTaintsIgnoresOrderAndTreatsAnAbsentValueAsEmpty() {
    assertThat(NodeTemplate.sameTaints(
        List.of(taint("a", null, "NoSchedule"), taint("b", "x", "NoExecute")),
        List.of(taint("b", "x", "NoExecute"), taint("a", "", "NoSchedule")))).isTrue();
    assertThat(NodeTemplate.sameTaints(
        List.of(taint("a", "1", "NoSchedule")), List.of(taint("a", "1", "NoExecute")))).isFalse();
    assertThat(NodeTemplate.sameTaints(
        List.of(taint("a", "1", "NoSchedule")), List.of(taint("a", "1", "NoSchedule"), taint("a", "1",
            "NoSchedule")))).isFalse();
  }

  @Test
  void statusPatchOfAFreshNode() {
    Map<String, Quantity> capacity = Map.of("cpu", new Quantity("1000"), "memory", new Quantity("4Ti"),
        "pods", new Quantity("5000"), "nvidia.com/gpu", new Quantity("8"));

    assertJson(NodeTemplate.statusPatch(CONFIG, capacity, ProviderHealth.ok(), List.of(), NOW), """
        {"status": {
          "capacity": {"cpu": "1000", "memory": "4Ti", "nvidia.com/gpu": "8", "pods": "5000"},
          "allocatable": {"cpu": "1000", "memory": "4Ti", "nvidia.com/gpu": "8", "pods": "5000"},
          "conditions": [
            {"type": "Ready", "status": "True", "lastHeartbeatTime": "2026-11-23T10:00:00Z",
             "lastTransitionTime": "2026-11-23T10:00:00Z", "reason": "KubeletReady",
             "message": "virtual kubelet is posting ready status"},
            {"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": "2026-11-23T10:00:00Z",
             "lastTransitionTime": "2026-11-23T10:00:00Z", "reason": "KubeletHasSufficientMemory",
             "message": "kubelet has sufficient memory available"},
            {"type": "DiskPressure", "status": "False", "lastHeartbeatTime": "2026-11-23T10:00:00Z",
             "lastTransitionTime": "2026-11-23T10:00:00Z", "reason": "KubeletHasNoDiskPressure",
             "message": "kubelet has no disk pressure"},
            {"type": "PIDPressure", "status": "False", "lastHeartbeatTime": "2026-11-23T10:00:00Z",
             "lastTransitionTime": "2026-11-23T10:00:00Z", "reason": "KubeletHasSufficientPID",
             "message": "kubelet has sufficient PID available"},
            {"type": "NetworkUnavailable", "status": "False", "lastHeartbeatTime": "2026-11-23T10:00:00Z",
             "lastTransitionTime": "2026-11-23T10:00:00Z", "reason": "ProviderNetworkReady",
             "message": "pod networking is set up by the provider"},
            {"type": "ProviderReachable", "status": "True", "lastHeartbeatTime": "2026-11-23T10:00:00Z",
             "lastTransitionTime": "2026-11-23T10:00:00Z", "reason": "ProviderReachable",
             "message": "the provider answered its last ping"}],
          "addresses": [{"type": "InternalIP", "address": "10.0.0.7"},
                        {"type": "Hostname", "address": "virtual-kubelet-cn-hangzhou-i"}],
          "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
          "nodeInfo": {"machineID": "", "systemUUID": "", "bootID": "", "kernelVersion": "", "osImage": "",
            "containerRuntimeVersion": "", "kubeletVersion": "v1.20.2-eci-vk-0.1.0", "kubeProxyVersion": "",
            "operatingSystem": "linux", "architecture": "amd64"}}}
        """);
  }

  @Test
  void statusPatchKeepsTransitionTimesOfUnchangedConditionsAndStampsChangedOnes() {
    List<NodeCondition> current = List.of(
        condition("Ready", "True", "2026-11-01T08:00:00Z"),
        condition("ProviderReachable", "True", "2026-11-01T08:00:00Z"),
        condition("SomeoneElses", "True", "2026-11-01T08:00:00Z"));

    @SuppressWarnings("unchecked")
    var conditions = (List<Map<String, Object>>) ((Map<String, Object>) NodeTemplate
        .statusPatch(CONFIG, Map.of(), DOWN, current, NOW).get("status")).get("conditions");

    assertThat(conditions).extracting(c -> c.get("type"), c -> c.get("status"), c -> c.get("lastTransitionTime"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Ready", "True", "2026-11-01T08:00:00Z"),
            org.assertj.core.groups.Tuple.tuple("MemoryPressure", "False", "2026-11-23T10:00:00Z"),
            org.assertj.core.groups.Tuple.tuple("DiskPressure", "False", "2026-11-23T10:00:00Z"),
            org.assertj.core.groups.Tuple.tuple("PIDPressure", "False", "2026-11-23T10:00:00Z"),
            org.assertj.core.groups.Tuple.tuple("NetworkUnavailable", "False", "2026-11-23T10:00:00Z"),
            org.assertj.core.groups.Tuple.tuple("ProviderReachable", "False", "2026-11-23T10:00:00Z"),
            // A merge patch replaces the list: conditions others added are carried along unchanged.
            org.assertj.core.groups.Tuple.tuple("SomeoneElses", "True", "2026-11-01T08:00:00Z"));
    assertThat(conditions.get(5)).containsEntry("reason", "ProviderUnavailable")
        .containsEntry("message", "ServiceUnavailable: connection refused")
        .containsEntry("lastHeartbeatTime", "2026-11-23T10:00:00Z");
  }

  private static Node ours(String resourceVersion, List<Taint> taints) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName("virtual-kubelet-cn-hangzhou-i")
        .withResourceVersion(resourceVersion)
        .withLabels(Map.of("type", "virtual-kubelet", "kubernetes.io/role", "agent", "kubernetes.io/hostname",
            "virtual-kubelet-cn-hangzhou-i", "topology.kubernetes.io/zone", "cn-hangzhou-i", "team", "payments"))
        .withAnnotations(Map.of("ecivk.io/node-agent", "eci-virtual-kubelet", "other", "x"))
        .endMetadata()
        .withNewSpec().withTaints(taints).endSpec()
        .build();
  }

  private static Taint taint(String key, String value, String effect) {
    return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
  }

  private static NodeCondition condition(String type, String status, String transition) {
    return new NodeConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(transition)
        .withLastHeartbeatTime(transition).build();
  }
}
