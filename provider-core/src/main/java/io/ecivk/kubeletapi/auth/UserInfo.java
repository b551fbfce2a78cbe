package io.ecivk.kubeletapi.auth;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who made a request, as an authenticator established it (the fields of a TokenReview's {@code status.user}).
 *
 * @param uid empty when unknown (x509 certificates carry none)
 * @param extra extra attributes a token authenticator returned; passed on to SubjectAccessReview as they came
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
  /** The user the kubelet gives requests without credentials when anonymous access is enabled. */
  public static final UserInfo ANONYMOUS =
      new UserInfo("system:anonymous", "", List.of("system:unauthenticated"), Map.of());

  public UserInfo {
    Objects.requireNonNull(name, "name");
    uid = uid == null ? "" : uid;
    groups = List.copyOf(groups);
    extra = Map.copyOf(extra);
  }

  public static UserInfo of(String name, List<String> groups) {
    return new UserInfo(name, "", groups, Map.of());
  }
}
