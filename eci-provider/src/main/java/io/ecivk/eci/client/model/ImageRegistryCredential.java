package io.ecivk.eci.client.model;

import java.util.Map;
import java.util.Objects;

/**
 * Credentials for a private image registry, rendered as {@code ImageRegistryCredential.N.{Server,UserName,Password}}.
 * {@link #toString} masks the password, so a request that ends up in a log by mistake does not leak it.
 */
public record ImageRegistryCredential(String server, String userName, String password) {
  public ImageRegistryCredential {
    Objects.requireNonNull(server, "server");
  }

  Map<String, Object> toParams() {
    return new ParamMap().put("Server", server).put("UserName", userName).put("Password", password).build();
  }

  @Override
  public String toString() {
    return "ImageRegistryCredential[server=" + server + ", userName=" + userName + ", password="
        + (password == null ? "null" : "***") + "]";
  }
}
