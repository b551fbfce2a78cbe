package io.ecivk.agent.webhook;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes label selector semantics ({@code matchLabels} and {@code matchExpressions} ANDed, operators
 * {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}), as the API server evaluates a webhook's
 * {@code objectSelector}: a null or empty selector matches everything; {@code NotIn} and {@code DoesNotExist}
 * match objects without the key.
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  /**
   * Checks a selector's shape the way the API server validates one.
   *
   * @throws IllegalArgumentException naming the offending requirement
   */
  public static void validate(LabelSelector selector) {
    if (selector == null || selector.getMatchExpressions() == null) {
      return;
    }
    for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
      if (r.getKey() == null || r.getKey().isBlank()) {
        throw new IllegalArgumentException("matchExpressions: a requirement has no key");
      }
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      String op = r.getOperator();
      if ("In".equals(op) || "NotIn".equals(op)) {
        if (values.isEmpty()) {
          throw new IllegalArgumentException("matchExpressions[key=" + r.getKey() + "]: operator " + op
              + " needs at least one value");
        }
      } else if ("Exists".equals(op) || "DoesNotExist".equals(op)) {
        if (!values.isEmpty()) {
          throw new IllegalArgumentException("matchExpressions[key=" + r.getKey() + "]: operator " + op
              + " takes no values");
        }
      } else {
        throw new IllegalArgumentException("matchExpressions[key=" + r.getKey() + "]: unknown operator '" + op
            + "' (In, NotIn, Exists, DoesNotExist)");
      }
    }
  }

  /** Whether {@code labels} (null = none) satisfy a {@linkplain #validate valid} selector. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(have.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String value = have.get(r.getKey());
        boolean ok = switch (r.getOperator()) {
          case "In" -> value != null && r.getValues().contains(value);
          case "NotIn" -> value == null || !r.getValues().contains(value);
          case "Exists" -> have.containsKey(r.getKey());
          case "DoesNotExist" -> !have.containsKey(r.getKey());
          default -> throw new IllegalArgumentException("unknown operator " + r.getOperator());
        };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }
}
