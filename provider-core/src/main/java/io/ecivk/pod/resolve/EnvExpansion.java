package io.ecivk.pod.resolve;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The kubelet's {@code $(VAR)} expansion of environment values, commands and arguments. Pure.
 *
 * <p>{@code $(NAME)} is replaced by the first context map that defines {@code NAME}; an undefined reference is
 * kept as written. {@code $$} is an escaped {@code $}; a {@code $} followed by anything else, and an unclosed
 * {@code $(}, are kept as written.
 */
public final class EnvExpansion {
  private EnvExpansion() {}

  /** A mapping over the given contexts, looked up in order; unknown names map to {@code $(NAME)}. */
  public static UnaryOperator<String> mappingFor(List<Map<String, String>> contexts) {
    return name -> {
      for (Map<String, String> vars : contexts) {
        String value = vars.get(name);
        if (value != null) {
          return value;
        }
      }
      return "$(" + name + ")";
    };
  }

  /**
   * A container's {@code command} or {@code args} expanded against its resolved environment, as the kubelet does
   * before it starts the container (the backend does not expand them). Variables that still carry a
   * {@code valueFrom} (the pod's and host's addresses, known only to the backend) are not defined here, so
   * references to them are kept as written.
   *
   * @param items the container's command or args; null gives an empty list
   * @param env the container's environment from {@link io.ecivk.spi.ResolvedPod#envOf}
   */
  public static List<String> expandAll(List<String> items, List<EnvVar> env) {
    if (items == null || items.isEmpty()) {
      return List.of();
    }
    Map<String, String> vars = new HashMap<>();
    for (EnvVar var : env) {
      if (var.getValueFrom() == null) {
        vars.put(var.getName(), var.getValue() == null ? "" : var.getValue());
      }
    }
    UnaryOperator<String> mapping = mappingFor(List.of(vars));
    return items.stream().map(item -> expand(item, mapping)).toList();
  }

  /** Expands every reference in {@code input} through {@code mapping}. */
  public static String expand(String input, UnaryOperator<String> mapping) {
    StringBuilder out = new StringBuilder(input.length());
    int checkpoint = 0;
    for (int cursor = 0; cursor < input.length(); cursor++) {
      if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
        continue;
      }
      out.append(input, checkpoint, cursor);
      char next = input.charAt(cursor + 1);
      int advance = 1;
      if (next == '$') {
        out.append('$'); // escaped operator
      } else if (next == '(') {
        int close = input.indexOf(')', cursor + 2);
        if (close >= 0) {
          out.append(mapping.apply(input.substring(cursor + 2, close)));
          advance = close - cursor;
        } else {
          out.append("$("); // incomplete reference: kept
        }
      } else {
        out.append('$').append(next);
      }
      cursor += advance;
      checkpoint = cursor + 1;
    }
    return out.append(input, Math.min(checkpoint, input.length()), input.length()).toString();
  }
}
