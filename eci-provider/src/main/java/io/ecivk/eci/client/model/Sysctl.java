package io.ecivk.eci.client.model;

import java.util.Map;
import java.util.Objects;

/** A (safe) sysctl of the pod, rendered as {@code SecurityContext.Sysctl.N.{Name,Value}}. */
public record Sysctl(String name, String value) {
  public Sysctl {
    Objects.requireNonNull(name, "name");
  }

  Map<String, Object> toParams() {
    return new ParamMap().put("Name", name).put("Value", value).build();
  }
}
