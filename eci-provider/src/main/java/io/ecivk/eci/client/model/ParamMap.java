package io.ecivk.eci.client.model;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds a request's parameter map, leaving out what is absent: the SDK omits null fields and empty lists
 * rather than sending empty values, and the service treats an empty value differently from a missing one.
 */
final class ParamMap {
  private final Map<String, Object> params = new LinkedHashMap<>();

  ParamMap put(String name, Object value) {
    if (value != null) {
      params.put(name, value);
    }
    return this;
  }

  ParamMap putList(String name, Collection<?> values) {
    if (values != null && !values.isEmpty()) {
      params.put(name, List.copyOf(values));
    }
    return this;
  }

  <T> ParamMap putList(String name, Collection<T> values, Function<T, Map<String, Object>> render) {
    if (values != null && !values.isEmpty()) {
      params.put(name, values.stream().map(render).toList());
    }
    return this;
  }

  ParamMap putMap(String name, Map<String, Object> nested) {
    if (nested != null && !nested.isEmpty()) {
      params.put(name, nested);
    }
    return this;
  }

  Map<String, Object> build() {
    return params;
  }

  /** A list as the one comma-separated value some parameters take ({@code VSwitchId}); null when empty. */
  static String joined(List<String> values) {
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }

  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
