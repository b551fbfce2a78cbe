package io.ecivk.kubeletapi.auth;

import java.util.Objects;

/**
 * What a kubelet API request asks to do, in the terms of a SubjectAccessReview: always resource {@code nodes}
 * (API group "", version v1) named after this node, with a verb and a subresource derived from the request.
 *
 * @param verb the API verb, empty for HTTP methods the kubelet does not map (no RBAC rule grants an empty verb)
 * @param subresource {@code stats}, {@code metrics}, {@code log} or {@code proxy}
 * @param nodeName this node's name
 * @param path the request path (without the query)
 */
public record RequestAttributes(String verb, String subresource, String nodeName, String path) {
  public static final String RESOURCE = "nodes";

  public RequestAttributes {
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(subresource, "subresource");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(path, "path");
  }

  /**
   * Maps a request like the kubelet does: the verb from the HTTP method (POST create, GET get, PUT update,
   * PATCH patch, DELETE delete; HEAD get as well, since the API server treats HEAD as a read while the kubelet
   * leaves it unmapped and so always forbidden), the subresource from the path ({@code /stats} and below to
   * {@code stats}, {@code /metrics} and below to {@code metrics}, {@code /logs} and below to {@code log},
   * everything else, including {@code /containerLogs}, {@code /exec}, {@code /attach}, {@code /portForward},
   * {@code /pods} and {@code /run}, to {@code proxy}).
   */
  public static RequestAttributes of(String method, String path, String nodeName) {
    String verb = switch (method) {
      case "GET", "HEAD" -> "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> "";
    };
    String subresource;
    if (isSubpath(path, "/stats")) {
      subresource = "stats";
    } else if (isSubpath(path, "/metrics")) {
      subresource = "metrics";
    } else if (isSubpath(path, "/logs")) {
      subresource = "log";
    } else {
      subresource = "proxy";
    }
    return new RequestAttributes(verb, subresource, nodeName, path);
  }

  /** {@code path} is {@code prefix} itself or below it ({@code /statsfoo} is not below {@code /stats}). */
  static boolean isSubpath(String path, String prefix) {
    return path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/');
  }

  /** The kubelet's 403 body for this request. */
  public String forbiddenMessage(UserInfo user) {
    return "Forbidden (user=" + user.name() + ", verb=" + verb + ", resource=" + RESOURCE + ", subresource="
        + subresource + ")";
  }

  /** The kubelet's 500 body when the authorizer itself failed. */
  public String authorizationErrorMessage(UserInfo user) {
    return "Authorization error (user=" + user.name() + ", verb=" + verb + ", resource=" + RESOURCE
        + ", subresource=" + subresource + ")";
  }
}
