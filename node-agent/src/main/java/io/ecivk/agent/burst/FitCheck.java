package io.ecivk.agent.burst;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Whether a pod the default scheduler could not place may be bound to the virtual node: the scheduler's own
 * filters, re-done for one node, minus our provider taint (the binder moves pods that do not tolerate it on
 * purpose). Pure: everything comes in as arguments.
 *
 * <p>What cannot be evaluated from the virtual node and its pods alone (pod (anti-)affinity on a topology key
 * wider than the node, namespace selectors, hard topology spread constraints) is refused with a reason rather
 * than violated. Checks run in a fixed order and the first refusal is returned, so the same pod on the same
 * node always gets the same reason.
 */
public final class FitCheck {
  public static final String HOSTNAME_KEY = "kubernetes.io/hostname";

  /** The taint the binder deliberately overrides: exactly key, value and effect. */
  private final String providerTaintKey;
  private final String providerTaintValue;

  public FitCheck(String providerTaintKey, String providerTaintValue) {
    this.providerTaintKey = Objects.requireNonNull(providerTaintKey, "providerTaintKey");
    this.providerTaintValue = Objects.requireNonNull(providerTaintValue, "providerTaintValue");
  }

  /**
   * @param pod the unbound pod
   * @param node the virtual node
   * @param boundPods the pods bound to the node (terminated ones are ignored), including those the binder has
   *     just bound and the cache does not show yet
   */
  public Fit check(Pod pod, Node node, Collection<Pod> boundPods) {
    PodSpec spec = pod.getSpec();
    for (OwnerReference owner : nullToEmpty(pod.getMetadata().getOwnerReferences())) {
      if (Boolean.TRUE.equals(owner.getController()) && "DaemonSet".equals(owner.getKind())) {
        return Fit.refused("DaemonSet", "DaemonSet pods belong on their own node, not on ECI");
      }
    }
    if (Boolean.TRUE.equals(spec.getHostNetwork()) || Boolean.TRUE.equals(spec.getHostPID())
        || Boolean.TRUE.equals(spec.getHostIPC())) {
      return Fit.refused("HostNamespace", "ECI does not support hostNetwork, hostPID or hostIPC");
    }
    for (Volume volume : nullToEmpty(spec.getVolumes())) {
      if (volume.getHostPath() != null) {
        return Fit.refused("HostPath", "ECI does not support hostPath volumes (volume " + volume.getName() + ")");
      }
    }
    if (!ready(node)) {
      return Fit.refused("NodeNotReady", "node " + name(node) + " is not Ready");
    }
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return Fit.refused("NodeUnschedulable", "node " + name(node) + " is cordoned");
    }
    Fit taints = taints(spec, node);
    if (!taints.ok()) {
      return taints;
    }
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    for (Map.Entry<String, String> e : nullToEmpty(spec.getNodeSelector()).entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return Fit.refused("NodeSelector", "node " + name(node) + " does not match nodeSelector " + e.getKey()
            + "=" + e.getValue());
      }
    }
    NodeSelector required = spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null ? null
        : spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required != null && !matchesNodeSelector(required, name(node), labels)) {
      return Fit.refused("NodeAffinity", "node " + name(node) + " does not match the pod's required node affinity");
    }
    List<Pod> live = boundPods.stream().filter(FitCheck::live).toList();
    Fit podAffinity = podAffinity(pod, live);
    if (!podAffinity.ok()) {
      return podAffinity;
    }
    Fit spread = topologySpread(spec);
    if (!spread.ok()) {
      return spread;
    }
    return resources(pod, node, live);
  }

  private Fit taints(PodSpec spec, Node node) {
    List<Taint> taints = node.getSpec() == null ? List.of() : nullToEmpty(node.getSpec().getTaints());
    for (Taint taint : taints) {
      if (!"NoSchedule".equals(taint.getEffect()) && !"NoExecute".equals(taint.getEffect())) {
        continue; // PreferNoSchedule only scores
      }
      if (providerTaintKey.equals(taint.getKey()) && providerTaintValue.equals(taint.getValue())
          && "NoSchedule".equals(taint.getEffect())) {
        continue;
      }
      if (nullToEmpty(spec.getTolerations()).stream().noneMatch(t -> tolerates(t, taint))) {
        return Fit.refused("Taint", "the pod does not tolerate taint " + taint.getKey()
            + (taint.getValue() == null || taint.getValue().isEmpty() ? "" : "=" + taint.getValue())
            + ":" + taint.getEffect() + " of node " + name(node));
      }
    }
    return Fit.fits();
  }

  /** The scheduler's toleration rule: empty effect matches all, empty key with Exists matches every key. */
  static boolean tolerates(Toleration toleration, Taint taint) {
    String effect = toleration.getEffect();
    if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
      return false;
    }
    String key = toleration.getKey();
    String operator = toleration.getOperator() == null || toleration.getOperator().isEmpty()
        ? "Equal" : toleration.getOperator();
    if (key == null || key.isEmpty()) {
      return "Exists".equals(operator);
    }
    if (!key.equals(taint.getKey())) {
      return false;
    }
    return switch (operator) {
      case "Exists" -> true;
      case "Equal" -> Objects.equals(emptyToNull(toleration.getValue()), emptyToNull(taint.getValue()));
      default -> false;
    };
  }

  /** Terms are ORed; within a term, expressions and fields are ANDed; an empty term matches nothing. */
  static boolean matchesNodeSelector(NodeSelector selector, String nodeName, Map<String, String> labels) {
    for (NodeSelectorTerm term : nullToEmpty(selector.getNodeSelectorTerms())) {
      List<NodeSelectorRequirement> expressions = nullToEmpty(term.getMatchExpressions());
      List<NodeSelectorRequirement> fields = nullToEmpty(term.getMatchFields());
      if (expressions.isEmpty() && fields.isEmpty()) {
        continue;
      }
      boolean all = expressions.stream().allMatch(r -> matches(r, labels))
          && fields.stream().allMatch(r -> "metadata.name".equals(r.getKey())
              && matches(r, Map.of("metadata.name", nodeName)));
      if (all) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(NodeSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = nullToEmpty(r.getValues());
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt", "Lt" -> {
        if (value == null || values.size() != 1) {
          yield false;
        }
        try {
          long actual = Long.parseLong(value);
          long bound = Long.parseLong(values.get(0));
          yield "Gt".equals(r.getOperator()) ? actual > bound : actual < bound;
        } catch (NumberFormatException e) {
          yield false;
        }
      }
      default -> false;
    };
  }

  /**
   * Required pod affinity and anti-affinity, for the hostname topology key only (the virtual node is its own
   * topology domain), both ways: the pod's terms against the node's pods, and their anti-affinity terms against
   * the pod.
   */
  private static Fit podAffinity(Pod pod, List<Pod> live) {
    var affinity = pod.getSpec().getAffinity();
    List<PodAffinityTerm> affinityTerms = affinity == null || affinity.getPodAffinity() == null ? List.of()
        : nullToEmpty(affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
    List<PodAffinityTerm> antiTerms = affinity == null || affinity.getPodAntiAffinity() == null ? List.of()
        : nullToEmpty(affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
    for (PodAffinityTerm term : affinityTerms) {
      Fit evaluable = evaluable(term, "PodAffinity", "pod affinity");
      if (!evaluable.ok()) {
        return evaluable;
      }
      if (live.stream().noneMatch(other -> termMatches(term, pod, other))) {
        return Fit.refused("PodAffinity", "no pod on the node matches the pod's required pod affinity");
      }
    }
    for (PodAffinityTerm term : antiTerms) {
      Fit evaluable = evaluable(term, "PodAntiAffinity", "pod anti-affinity");
      if (!evaluable.ok()) {
        return evaluable;
      }
      for (Pod other : live) {
        if (termMatches(term, pod, other)) {
          return Fit.refused("PodAntiAffinity", "the pod's required pod anti-affinity excludes pod "
              + other.getMetadata().getNamespace() + "/" + other.getMetadata().getName() + " on the node");
        }
      }
    }
    for (Pod other : live) {
      var theirs = other.getSpec() == null ? null : other.getSpec().getAffinity();
      if (theirs == null || theirs.getPodAntiAffinity() == null) {
        continue;
      }
      for (PodAffinityTerm term
          : nullToEmpty(theirs.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())) {
        // Only hostname terms of theirs can exclude us from this node; wider ones would need other nodes too.
        if (HOSTNAME_KEY.equals(term.getTopologyKey()) && term.getNamespaceSelector() == null
            && termMatches(term, other, pod)) {
          return Fit.refused("PodAntiAffinity", "pod " + other.getMetadata().getNamespace() + "/"
              + other.getMetadata().getName() + " on the node has a required anti-affinity that excludes this pod");
        }
      }
    }
    return Fit.fits();
  }

  private static Fit evaluable(PodAffinityTerm term, String code, String what) {
    if (!HOSTNAME_KEY.equals(term.getTopologyKey())) {
      return Fit.refused(code, "cannot evaluate required " + what + " with topologyKey " + term.getTopologyKey()
          + " (only " + HOSTNAME_KEY + " is evaluated on the virtual node)");
    }
    if (term.getNamespaceSelector() != null) {
      return Fit.refused(code, "cannot evaluate required " + what + " with a namespaceSelector");
    }
    return Fit.fits();
  }

  /** Whether {@code other} is selected by {@code owner}'s term (namespaces default to the owner's). */
  private static boolean termMatches(PodAffinityTerm term, Pod owner, Pod other) {
    List<String> namespaces = nullToEmpty(term.getNamespaces());
    String otherNamespace = other.getMetadata().getNamespace();
    boolean inNamespace = namespaces.isEmpty()
        ? Objects.equals(owner.getMetadata().getNamespace(), otherNamespace)
        : namespaces.contains(otherNamespace);
    return inNamespace && matchesLabelSelector(term.getLabelSelector(), other.getMetadata().getLabels());
  }

  /** A null selector matches nothing (as in affinity terms), an empty one everything. */
  static boolean matchesLabelSelector(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> actual = labels == null ? Map.of() : labels;
    for (Map.Entry<String, String> e : nullToEmpty(selector.getMatchLabels()).entrySet()) {
      if (!e.getValue().equals(actual.get(e.getKey()))) {
        return false;
      }
    }
    for (LabelSelectorRequirement r : nullToEmpty(selector.getMatchExpressions())) {
      String value = actual.get(r.getKey());
      List<String> values = nullToEmpty(r.getValues());
      boolean ok = switch (r.getOperator()) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Hard spread constraints depend on how matching pods are spread over every eligible node of the cluster,
   * which the binder does not watch: refused rather than risk the skew. Soft ones (ScheduleAnyway) only score.
   */
  private static Fit topologySpread(PodSpec spec) {
    for (TopologySpreadConstraint c : nullToEmpty(spec.getTopologySpreadConstraints())) {
      if (!"ScheduleAnyway".equals(c.getWhenUnsatisfiable())) {
        return Fit.refused("TopologySpread", "cannot evaluate topologySpreadConstraint on " + c.getTopologyKey()
            + " with whenUnsatisfiable=DoNotSchedule (it depends on every node of the cluster)");
      }
    }
    return Fit.fits();
  }

  private static Fit resources(Pod pod, Node node, List<Pod> live) {
    Map<String, Quantity> allocatable = node.getStatus() == null ? null : node.getStatus().getAllocatable();
    if (allocatable == null || allocatable.isEmpty()) {
      allocatable = node.getStatus() == null ? Map.of() : nullToEmpty(node.getStatus().getCapacity());
    }
    Map<String, BigDecimal> used = new TreeMap<>();
    for (Pod other : live) {
      requests(other).forEach((k, v) -> used.merge(k, v, BigDecimal::add));
    }
    BigDecimal podSlots = amount(allocatable.get("pods"));
    if (podSlots != null && BigDecimal.valueOf(live.size() + 1L).compareTo(podSlots) > 0) {
      return Fit.refused("Resources", "node " + name(node) + " has no room for another pod (" + live.size()
          + " of " + podSlots.toPlainString() + " pods)");
    }
    for (Map.Entry<String, BigDecimal> e : requests(pod).entrySet()) {
      if (e.getValue().signum() <= 0) {
        continue;
      }
      BigDecimal available = amount(allocatable.get(e.getKey()));
      if (available == null) {
        return Fit.refused("Resources", "node " + name(node) + " has no " + e.getKey());
      }
      BigDecimal free = available.subtract(used.getOrDefault(e.getKey(), BigDecimal.ZERO));
      if (e.getValue().compareTo(free) > 0) {
        return Fit.refused("Resources", "insufficient " + e.getKey() + " on node " + name(node) + ": requested "
            + e.getValue().stripTrailingZeros().toPlainString() + ", free "
            + free.stripTrailingZeros().toPlainString());
      }
    }
    return Fit.fits();
  }

  /** As the scheduler counts: max(sum of app containers, each init container) plus the pod overhead. */
  static Map<String, BigDecimal> requests(Pod pod) {
    Map<String, BigDecimal> sum = new TreeMap<>();
    PodSpec spec = pod.getSpec();
    for (Container c : nullToEmpty(spec.getContainers())) {
      containerRequests(c).forEach((k, v) -> sum.merge(k, v, BigDecimal::add));
    }
    for (Container c : nullToEmpty(spec.getInitContainers())) {
      containerRequests(c).forEach((k, v) -> sum.merge(k, v, BigDecimal::max));
    }
    for (Map.Entry<String, Quantity> e : nullToEmpty(spec.getOverhead()).entrySet()) {
      sum.merge(e.getKey(), amount(e.getValue()), BigDecimal::add);
    }
    return sum;
  }

  /** Requests, defaulting to limits as the API server does for a resource with a limit and no request. */
  private static Map<String, BigDecimal> containerRequests(Container c) {
    Map<String, BigDecimal> out = new TreeMap<>();
    if (c.getResources() == null) {
      return out;
    }
    nullToEmpty(c.getResources().getLimits()).forEach((k, v) -> out.put(k, amount(v)));
    nullToEmpty(c.getResources().getRequests()).forEach((k, v) -> out.put(k, amount(v)));
    return out;
  }

  private static BigDecimal amount(Quantity q) {
    return q == null ? null : q.getNumericalAmount();
  }

  private static boolean live(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  private static boolean ready(Node node) {
    if (node.getStatus() == null) {
      return false;
    }
    for (NodeCondition c : nullToEmpty(node.getStatus().getConditions())) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  private static String name(Node node) {
    return node.getMetadata().getName();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static <K, V> Map<K, V> nullToEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
