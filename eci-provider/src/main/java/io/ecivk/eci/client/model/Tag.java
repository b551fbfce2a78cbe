package io.ecivk.eci.client.model;

import java.util.Map;
import java.util.Objects;

/** A resource tag. ECI allows at most 20 per container group; keys are unique within a group. */
public record Tag(String key, String value) {
  public Tag {
    Objects.requireNonNull(key, "key");
    value = value == null ? "" : value;
  }

  Map<String, Object> toParams() {
    return new ParamMap().put("Key", key).put("Value", value).build();
  }
}
