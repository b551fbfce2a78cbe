package io.ecivk.eci.client.model;

import java.util.Map;
import java.util.Objects;

/**
 * A container environment variable: a literal {@code value}, or a {@code fieldPath} that ECI resolves itself
 * (it supports {@code status.podIP}). {@link #toString} masks the value: it may come from a Secret.
 */
public record EnvironmentVar(String key, String value, String fieldPath) {
  public EnvironmentVar {
    Objects.requireNonNull(key, "key");
    if (value != null && fieldPath != null) {
      throw new IllegalArgumentException("environment variable " + key + " has both a value and a fieldPath");
    }
  }

  public static EnvironmentVar literal(String key, String value) {
    return new EnvironmentVar(key, value == null ? "" : value, null);
  }

  public static EnvironmentVar fieldRef(String key, String fieldPath) {
    return new EnvironmentVar(key, null, Objects.requireNonNull(fieldPath, "fieldPath"));
  }

  Map<String, Object> toParams() {
    ParamMap p = new ParamMap().put("Key", key).put("Value", value);
    if (fieldPath != null) {
      p.putMap("FieldRef", new ParamMap().put("FieldPath", fieldPath).build());
    }
    return p.build();
  }

  @Override
  public String toString() {
    return "EnvironmentVar[key=" + key + ", value=" + (value == null ? "null" : "***") + ", fieldPath=" + fieldPath
        + "]";
  }
}
