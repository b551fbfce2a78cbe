package io.ecivk.agent.webhook;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code selectors} of the {@code kube-system/eci-profile} ConfigMap, ACK's format: a JSON list of
 * {@code {name, namespaceSelector, objectSelector, effect: {annotations, labels}}}.
 *
 * <p>Matching: a selector matches a pod when its {@code namespaceSelector} matches the pod's namespace labels
 * and its {@code objectSelector} matches the pod's labels (an absent selector matches everything). When several
 * selectors match, the <em>first</em> one in list order wins and only its effect is applied: ACK documents the
 * list as ordered rules, and first-match keeps the outcome predictable when an administrator appends a broad rule
 * after specific ones (with "apply all", a later broad rule would silently add to every specific one).
 *
 * <p>Parsing is strict (unknown operators, non-string values, missing names fail), so a typo is reported rather
 * than silently matching nothing or everything. An empty or blank value means "no selectors", as ACK ships it.
 */
public record EciProfile(List<Selector> selectors) {
  public static final String NAMESPACE = "kube-system";
  public static final String CONFIG_MAP = "eci-profile";
  public static final String KEY = "selectors";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public EciProfile {
    selectors = List.copyOf(selectors);
  }

  public static EciProfile empty() {
    return new EciProfile(List.of());
  }

  /** One rule: which pods, and the annotations and labels they get. */
  public record Selector(String name, LabelSelector namespaceSelector, LabelSelector objectSelector,
      Map<String, String> annotations, Map<String, String> labels) {
    public Selector {
      Objects.requireNonNull(name, "name");
      annotations = unmodifiableCopy(annotations);
      labels = unmodifiableCopy(labels);
    }

    public boolean matches(Map<String, String> namespaceLabels, Map<String, String> podLabels) {
      return LabelSelectors.matches(namespaceSelector, namespaceLabels)
          && LabelSelectors.matches(objectSelector, podLabels);
    }
  }

  /** The first selector matching a pod, if any. */
  public Optional<Selector> firstMatch(Map<String, String> namespaceLabels, Map<String, String> podLabels) {
    return selectors.stream().filter(s -> s.matches(namespaceLabels, podLabels)).findFirst();
  }

  /**
   * Parses the {@code selectors} value.
   *
   * @throws IllegalArgumentException with a message saying where the value is malformed
   */
  public static EciProfile parse(String selectorsJson) {
    if (selectorsJson == null || selectorsJson.isBlank()) {
      return empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(selectorsJson);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("selectors is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException("selectors must be a JSON list, got " + root.getNodeType());
    }
    List<Selector> out = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode s = root.get(i);
      String where = "selectors[" + i + "]";
      if (!s.isObject()) {
        throw new IllegalArgumentException(where + " must be an object");
      }
      JsonNode name = s.get("name");
      if (name == null || !name.isString() || name.asString().isBlank()) {
        throw new IllegalArgumentException(where + ".name is missing");
      }
      where = "selectors[" + i + "] (" + name.asString() + ")";
      if (!names.add(name.asString())) {
        throw new IllegalArgumentException(where + ": duplicate name");
      }
      LabelSelector ns = labelSelector(s.get("namespaceSelector"), where + ".namespaceSelector");
      LabelSelector obj = labelSelector(s.get("objectSelector"), where + ".objectSelector");
      JsonNode effect = s.get("effect");
      Map<String, String> annotations = Map.of();
      Map<String, String> labels = Map.of();
      if (effect != null && !effect.isNull()) {
        if (!effect.isObject()) {
          throw new IllegalArgumentException(where + ".effect must be an object");
        }
        annotations = stringMap(effect.get("annotations"), where + ".effect.annotations");
        labels = stringMap(effect.get("labels"), where + ".effect.labels");
      }
      out.add(new Selector(name.asString(), ns, obj, annotations, labels));
    }
    return new EciProfile(out);
  }

  private static LabelSelector labelSelector(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be an object");
    }
    for (String field : node.propertyNames()) {
      if (!field.equals("matchLabels") && !field.equals("matchExpressions")) {
        throw new IllegalArgumentException(where + ": unknown field '" + field + "'");
      }
    }
    Map<String, String> matchLabels = stringMap(node.get("matchLabels"), where + ".matchLabels");
    List<LabelSelectorRequirement> expressions = new ArrayList<>();
    JsonNode exprs = node.get("matchExpressions");
    if (exprs != null && !exprs.isNull()) {
      if (!exprs.isArray()) {
        throw new IllegalArgumentException(where + ".matchExpressions must be a list");
      }
      for (int i = 0; i < exprs.size(); i++) {
        JsonNode e = exprs.get(i);
        String w = where + ".matchExpressions[" + i + "]";
        if (!e.isObject()) {
          throw new IllegalArgumentException(w + " must be an object");
        }
        List<String> values = new ArrayList<>();
        JsonNode v = e.get("values");
        if (v != null && !v.isNull()) {
          if (!v.isArray()) {
            throw new IllegalArgumentException(w + ".values must be a list of strings");
          }
          for (JsonNode value : v) {
            if (!value.isString()) {
              throw new IllegalArgumentException(w + ".values must be a list of strings");
            }
            values.add(value.asString());
          }
        }
        expressions.add(new LabelSelectorRequirement(text(e.get("key")), text(e.get("operator")), values));
      }
    }
    LabelSelector selector = new LabelSelector(expressions, matchLabels);
    try {
      LabelSelectors.validate(selector);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "." + e.getMessage(), e);
    }
    return selector;
  }

  private static String text(JsonNode node) {
    return node == null || !node.isString() ? null : node.asString();
  }

  private static Map<String, String> stringMap(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : node.properties()) {
      if (!e.getValue().isString()) {
        throw new IllegalArgumentException(where + "." + e.getKey() + " must be a string (quote numbers and"
            + " booleans)");
      }
      out.put(e.getKey(), e.getValue().asString());
    }
    return out;
  }

  private static Map<String, String> unmodifiableCopy(Map<String, String> m) {
    return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
