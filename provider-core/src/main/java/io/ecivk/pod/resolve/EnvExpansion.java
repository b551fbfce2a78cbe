package io.ecivk.pod.resolve;

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
