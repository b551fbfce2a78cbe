package io.ecivk.agent.webhook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the webhook does to a pod being created, as an RFC 6902 JSON Patch. Pure: the pod, its namespace's labels
 * and the eci-profile in, patch out.
 *
 * <ol>
 *   <li>eci-profile: the first matching selector's annotations and labels are added. A key the pod already sets is
 *       left alone: the workload's own word wins over a cluster-wide default.
 *   <li>Routing, on the result: a pod annotated {@code alibabacloud.com/burst-resource: eci_only}, or labelled
 *       {@code alibabacloud.com/eci: "true"} (itself or its namespace), gets the toleration of the virtual node's
 *       taint ({@code virtual-kubelet.io/provider=alibabacloud:NoSchedule}) and the node selector
 *       {@code type=virtual-kubelet}, so the default scheduler places it on the virtual node and nowhere else.
 *       Nothing is duplicated: an existing toleration of the taint, or the selector already present, is kept.
 * </ol>
 *
 * <p>Pods annotated {@code burst-resource: eci} are deliberately <em>not</em> routed, even in a labelled
 * namespace: the annotation means "owned nodes first, ECI only when they are full". A pod that tolerated the taint
 * would be a candidate for the virtual node at once, and the scheduler's scoring (least allocated: the virtual
 * node advertises huge, almost empty capacity) would put it there while owned nodes still have room. Such pods are
 * left as they are; the burst binder moves them to the virtual node only after the scheduler has found no room.
 *
 * <p>A pod whose node selector already asks for another {@code type} is not rerouted (that would silently
 * override the workload); the result carries a warning the API server passes to the client.
 */
public final class PodMutator {
  public static final String BURST_ANNOTATION = "alibabacloud.com/burst-resource";
  public static final String BURST_ECI_ONLY = "eci_only";
  public static final String BURST_ECI = "eci";
  public static final String ECI_LABEL = "alibabacloud.com/eci";
  public static final String TAINT_KEY = "virtual-kubelet.io/provider";
  public static final String TAINT_VALUE = "alibabacloud";
  public static final String TAINT_EFFECT = "NoSchedule";
  public static final String NODE_SELECTOR_KEY = "type";
  public static final String NODE_SELECTOR_VALUE = "virtual-kubelet";

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PodMutator() {}

  /**
   * The outcome for one pod.
   *
   * @param patch the JSON Patch (an array; empty when nothing changes)
   * @param profileSelector the eci-profile selector applied, if any
   * @param routed whether the pod is routed to the virtual node (toleration and node selector now present)
   * @param warnings for the client (AdmissionResponse {@code warnings})
   */
  public record Result(ArrayNode patch, Optional<String> profileSelector, boolean routed, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }

    public boolean changed() {
      return !patch.isEmpty();
    }

    public String patchJson() {
      return JSON.writeValueAsString(patch);
    }
  }

  /**
   * Mutates a pod given as the API server sent it (raw JSON: absent fields must be told from empty ones, which
   * a typed model that defaults collections to empty cannot do).
   */
  public static Result mutate(JsonNode pod, Map<String, String> namespaceLabels, EciProfile profile) {
    ArrayNode patch = NODES.arrayNode();
    List<String> warnings = new ArrayList<>();
    Map<String, String> nsLabels = namespaceLabels == null ? Map.of() : namespaceLabels;
    JsonNode metadata = pod.path("metadata");
    JsonNode spec = pod.path("spec");
    Map<String, String> labels = stringMap(metadata.get("labels"));
    Map<String, String> annotations = stringMap(metadata.get("annotations"));

    Optional<EciProfile.Selector> match = profile.firstMatch(nsLabels, labels);
    if (match.isPresent()) {
      annotations = addAll(patch, "/metadata/annotations", annotations, isAbsent(metadata.get("annotations")),
          match.get().annotations());
      labels = addAll(patch, "/metadata/labels", labels, isAbsent(metadata.get("labels")), match.get().labels());
    }

    boolean routed = false;
    if (wantsEci(annotations, labels, nsLabels)) {
      JsonNode nodeSelector = spec.get("nodeSelector");
      JsonNode typeNode = isAbsent(nodeSelector) ? null : nodeSelector.get(NODE_SELECTOR_KEY);
      String type = typeNode == null || !typeNode.isString() ? null : typeNode.asString();
      if (type != null && !type.equals(NODE_SELECTOR_VALUE)) {
        warnings.add("pod selects nodeSelector " + NODE_SELECTOR_KEY + "=" + type + ": not routed to the ECI"
            + " virtual node although it asks for ECI");
      } else {
        routed = true;
        JsonNode tolerations = spec.get("tolerations");
        if (isAbsent(tolerations) || !tolerations.isArray()) {
          patch.add(op("/spec/tolerations", NODES.arrayNode().add(toleration())));
        } else if (!anyToleratesProviderTaint(tolerations)) {
          patch.add(op("/spec/tolerations/-", toleration()));
        }
        if (isAbsent(nodeSelector) || !nodeSelector.isObject()) {
          patch.add(op("/spec/nodeSelector", NODES.objectNode().put(NODE_SELECTOR_KEY, NODE_SELECTOR_VALUE)));
        } else if (type == null) {
          patch.add(op("/spec/nodeSelector/" + escape(NODE_SELECTOR_KEY), NODES.stringNode(NODE_SELECTOR_VALUE)));
        }
      }
    }
    return new Result(patch, match.map(EciProfile.Selector::name), routed, warnings);
  }

  /**
   * {@code eci_only}, or the ECI label on the pod or its namespace; {@code burst-resource: eci} on the pod
   * overrides both labels (burst means "owned nodes first").
   */
  static boolean wantsEci(Map<String, String> annotations, Map<String, String> labels,
      Map<String, String> namespaceLabels) {
    String burst = annotations.get(BURST_ANNOTATION);
    if (BURST_ECI_ONLY.equals(burst)) {
      return true;
    }
    if (BURST_ECI.equals(burst)) {
      return false;
    }
    return "true".equals(labels.get(ECI_LABEL)) || "true".equals(namespaceLabels.get(ECI_LABEL));
  }

  private static boolean anyToleratesProviderTaint(JsonNode tolerations) {
    for (JsonNode t : tolerations) {
      if (toleratesProviderTaint(t.path("key").asString(""), t.path("operator").asString(""),
          t.path("value").asString(""), t.path("effect").asString(""))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Kubernetes' toleration rule, restricted to our taint: an empty effect matches every effect, an empty key with
   * {@code Exists} tolerates every taint, an empty operator means {@code Equal}.
   */
  static boolean toleratesProviderTaint(String key, String operator, String value, String effect) {
    if (!effect.isEmpty() && !TAINT_EFFECT.equals(effect)) {
      return false;
    }
    boolean exists = "Exists".equals(operator);
    if (key.isEmpty()) {
      return exists;
    }
    if (!key.equals(TAINT_KEY)) {
      return false;
    }
    return exists || TAINT_VALUE.equals(value);
  }

  /** RFC 6901: {@code ~} becomes {@code ~0}, {@code /} becomes {@code ~1}. */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static Map<String, String> addAll(ArrayNode patch, String path, Map<String, String> existing,
      boolean absent, Map<String, String> toAdd) {
    Map<String, String> result = new LinkedHashMap<>(existing);
    Map<String, String> added = new LinkedHashMap<>();
    toAdd.forEach((k, v) -> {
      if (!result.containsKey(k)) {
        result.put(k, v);
        added.put(k, v);
      }
    });
    if (added.isEmpty()) {
      return result;
    }
    if (absent) {
      ObjectNode all = NODES.objectNode();
      added.forEach(all::put);
      patch.add(op(path, all));
    } else {
      added.forEach((k, v) -> patch.add(op(path + "/" + escape(k), NODES.stringNode(v))));
    }
    return result;
  }

  private static ObjectNode toleration() {
    return NODES.objectNode()
        .put("key", TAINT_KEY)
        .put("operator", "Equal")
        .put("value", TAINT_VALUE)
        .put("effect", TAINT_EFFECT);
  }

  private static ObjectNode op(String path, JsonNode value) {
    ObjectNode o = NODES.objectNode().put("op", "add").put("path", path);
    o.set("value", value);
    return o;
  }

  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /** A labels or annotations object; non-string values (invalid in Kubernetes) are read as text. */
  private static Map<String, String> stringMap(JsonNode node) {
    if (isAbsent(node) || !node.isObject()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString("")));
    return out;
  }
}
