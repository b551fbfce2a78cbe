package io.ecivk.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pure functions from a {@link NodeConfig}, the provider's capacity and health to the Node object and patches the
 * controller sends. No client, no clock (callers pass {@code now}), so every output is checked with literal
 * values in {@code NodeTemplateTest}.
 *
 * <p>Ownership rule: the controller owns the label keys in {@link NodeConfig#labels()}, the annotation
 * {@value #AGENT_ANNOTATION}, the taint keys in {@link NodeConfig#ownedTaintKeys()}, and in status its six
 * condition types, capacity/allocatable keys, the InternalIP and Hostname addresses, the daemon endpoint and
 * nodeInfo. Everything else on the Node belongs to someone else and is never sent back, so it cannot be
 * overwritten.
 */
final class NodeTemplate {

  /** Marks a Node as registered by this agent; a Node without it that shows another agent's marks is refused. */
  static final String AGENT_ANNOTATION = "ecivk.io/node-agent";
  static final String AGENT_NAME = "eci-virtual-kubelet";

  static final String READY = "Ready";
  static final String MEMORY_PRESSURE = "MemoryPressure";
  static final String DISK_PRESSURE = "DiskPressure";
  static final String PID_PRESSURE = "PIDPressure";
  static final String NETWORK_UNAVAILABLE = "NetworkUnavailable";
  static final String PROVIDER_REACHABLE = "ProviderReachable";

  private NodeTemplate() {}

  /** The Node to create: our labels, annotation and taints; status is set right after through /status. */
  static Node newNode(NodeConfig config, ProviderHealth health) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(config.nodeName())
        .withLabels(new TreeMap<>(config.labels()))
        .withAnnotations(Map.of(AGENT_ANNOTATION, AGENT_NAME))
        .endMetadata()
        .withNewSpec()
        .withTaints(ownedTaints(config, health))
        .endSpec()
        .build();
  }

  /** The taints we want: the configured ones, plus the provider-unreachable one while the provider is down. */
  static List<Taint> ownedTaints(NodeConfig config, ProviderHealth health) {
    List<Taint> taints = new ArrayList<>();
    config.taints().forEach(t -> taints.add(new TaintBuilder(t).build()));
    if (!health.reachable()) {
      taints.add(new TaintBuilder().withKey(config.providerTaintKey()).withEffect("NoSchedule").build());
    }
    return taints;
  }

  /**
   * {@code current}'s taints with every taint whose key we own replaced by {@code ours}: the others keep their
   * place and order, ours follow.
   */
  static List<Taint> mergeTaints(List<Taint> current, List<Taint> ours, Set<String> ownedKeys) {
    List<Taint> merged = new ArrayList<>();
    for (Taint t : current) {
      if (!ownedKeys.contains(t.getKey())) {
        merged.add(t);
      }
    }
    merged.addAll(ours);
    return merged;
  }

  /**
   * The JSON merge patch that brings {@code current}'s metadata and taints to what we own, or empty when they
   * already are. It carries {@code current}'s resourceVersion, so the API server rejects it with 409 if the Node
   * changed since it was read (the taint list has no merge key: it is sent whole, and must not overwrite a
   * concurrent change); the caller re-reads and recomputes. Labels and annotations are sent only for our keys
   * whose value differs, so keys others own are never touched.
   */
  static Optional<Map<String, Object>> metadataPatch(NodeConfig config, ProviderHealth health, Node current) {
    Map<String, String> currentLabels = orEmpty(current.getMetadata().getLabels());
    Map<String, String> labels = new TreeMap<>();
    config.labels().forEach((k, v) -> {
      if (!v.equals(currentLabels.get(k))) {
        labels.put(k, v);
      }
    });
    Map<String, String> annotations = new TreeMap<>();
    if (!AGENT_NAME.equals(orEmpty(current.getMetadata().getAnnotations()).get(AGENT_ANNOTATION))) {
      annotations.put(AGENT_ANNOTATION, AGENT_NAME);
    }
    List<Taint> currentTaints = current.getSpec() == null || current.getSpec().getTaints() == null
        ? List.of() : current.getSpec().getTaints();
    List<Taint> taints = mergeTaints(currentTaints, ownedTaints(config, health), config.ownedTaintKeys());
    boolean taintsChanged = !sameTaints(currentTaints, taints);

    if (labels.isEmpty() && annotations.isEmpty() && !taintsChanged) {
      return Optional.empty();
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("resourceVersion", current.getMetadata().getResourceVersion());
    if (!labels.isEmpty()) {
      metadata.put("labels", labels);
    }
    if (!annotations.isEmpty()) {
      metadata.put("annotations", annotations);
    }
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", metadata);
    if (taintsChanged) {
      List<Map<String, Object>> list = new ArrayList<>();
      taints.forEach(t -> list.add(taintJson(t)));
      patch.put("spec", Map.of("taints", list));
    }
    return Optional.of(patch);
  }

  /**
   * The JSON merge patch for {@code /status}. A merge patch replaces lists wholesale, so the conditions list
   * carries the conditions others added (types we do not own) after ours; capacity and allocatable merge by key.
   * Every condition of ours gets {@code now} as heartbeat; its transition time stays as in {@code current} while
   * its status is unchanged. A plain merge patch rather than a strategic one, so the same request works on any
   * server (the demo's in-process one has no strategic merge); the caller adds the resourceVersion it read, so
   * a concurrent writer causes a 409 and a re-read, never a lost condition.
   */
  static Map<String, Object> statusPatch(
      NodeConfig config,
      Map<String, Quantity> capacity,
      ProviderHealth health,
      List<NodeCondition> current,
      Instant now) {
    Map<String, Object> status = new LinkedHashMap<>();
    Map<String, Object> resources = new TreeMap<>();
    capacity.forEach((k, q) -> resources.put(k, q.toString()));
    status.put("capacity", resources);
    status.put("allocatable", resources);

    List<Map<String, Object>> conditions = new ArrayList<>();
    conditions.add(condition(READY, "True", "KubeletReady", "virtual kubelet is posting ready status", current,
        now));
    conditions.add(condition(MEMORY_PRESSURE, "False", "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available", current, now));
    conditions.add(condition(DISK_PRESSURE, "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
        current, now));
    conditions.add(condition(PID_PRESSURE, "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available",
        current, now));
    conditions.add(condition(NETWORK_UNAVAILABLE, "False", "ProviderNetworkReady",
        "pod networking is set up by the provider", current, now));
    conditions.add(condition(PROVIDER_REACHABLE, health.conditionStatus(), health.reason(), health.message(),
        current, now));
    Set<Object> ours = new HashSet<>();
    conditions.forEach(c -> ours.add(c.get("type")));
    for (NodeCondition other : current) {
      if (!ours.contains(other.getType())) {
        conditions.add(asMap(other));
      }
    }
    status.put("conditions", conditions);

    status.put("addresses", List.of(
        address("InternalIP", config.internalIp()),
        address("Hostname", config.nodeName())));
    // Capital P: the API's field name (DaemonEndpoint.Port has no lower-case JSON tag).
    status.put("daemonEndpoints", Map.of("kubeletEndpoint", Map.of("Port", config.kubeletPort())));

    Map<String, Object> nodeInfo = new LinkedHashMap<>();
    // No machine behind a virtual node: the identity fields stay empty rather than invented.
    nodeInfo.put("machineID", "");
    nodeInfo.put("systemUUID", "");
    nodeInfo.put("bootID", "");
    nodeInfo.put("kernelVersion", "");
    nodeInfo.put("osImage", "");
    nodeInfo.put("containerRuntimeVersion", "");
    nodeInfo.put("kubeletVersion", config.kubeletVersion());
    nodeInfo.put("kubeProxyVersion", "");
    nodeInfo.put("operatingSystem", config.operatingSystem());
    nodeInfo.put("architecture", config.architecture());
    status.put("nodeInfo", nodeInfo);

    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("status", status);
    return patch;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(NodeCondition condition) {
    return Serialization.jsonMapper().convertValue(condition, Map.class);
  }

  /** RFC 3339 with whole seconds, the API's {@code metav1.Time} format. */
  static String time(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  private static Map<String, Object> condition(
      String type, String status, String reason, String message, List<NodeCondition> current, Instant now) {
    String transition = time(now);
    for (NodeCondition c : current) {
      if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
        transition = c.getLastTransitionTime();
      }
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("type", type);
    c.put("status", status);
    c.put("lastHeartbeatTime", time(now));
    c.put("lastTransitionTime", transition);
    c.put("reason", reason);
    c.put("message", message);
    return c;
  }

  private static Map<String, Object> address(String type, String address) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("type", type);
    a.put("address", address);
    return a;
  }

  private static Map<String, Object> taintJson(Taint t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", t.getKey());
    if (t.getValue() != null && !t.getValue().isEmpty()) {
      m.put("value", t.getValue());
    }
    m.put("effect", t.getEffect());
    if (t.getTimeAdded() != null) {
      m.put("timeAdded", t.getTimeAdded());
    }
    return m;
  }

  /** Same taints as sets of (key, value, effect): order and timeAdded do not matter. */
  static boolean sameTaints(List<Taint> a, List<Taint> b) {
    return a.size() == b.size() && identities(a).equals(identities(b));
  }

  private static Set<List<String>> identities(List<Taint> taints) {
    Set<List<String>> ids = new HashSet<>();
    for (Taint t : taints) {
      ids.add(List.of(t.getKey(), Objects.requireNonNullElse(t.getValue(), ""),
          Objects.requireNonNullElse(t.getEffect(), "")));
    }
    return ids;
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
