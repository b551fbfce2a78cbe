package io.ecivk.eci.client.model;

import java.util.Map;

/** A port a container exposes; protocol {@code TCP} or {@code UDP}. */
public record ContainerPort(Integer port, String protocol) {
  Map<String, Object> toParams() {
    return new ParamMap().put("Port", port).put("Protocol", protocol).build();
  }
}
