package io.ecivk.eci.client.model;

import java.util.Map;
import java.util.Objects;

/** An HTTP header of a lifecycle hook's HTTP GET. */
public record HttpHeader(String name, String value) {
  public HttpHeader {
    Objects.requireNonNull(name, "name");
  }

  Map<String, Object> toParams() {
    return new ParamMap().put("Name", name).put("Value", value).build();
  }
}
