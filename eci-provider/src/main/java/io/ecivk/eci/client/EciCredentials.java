package io.ecivk.eci.client;

import java.util.Objects;

/**
 * Where the ECI client gets its signing credentials. Either a fixed AccessKey pair (optionally an STS token), or
 * the Alibaba Cloud default credentials chain (system properties, {@code ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET},
 * RRSA/OIDC, the CLI profile, the instance RAM role), which also picks up rotated credentials.
 *
 * <p>{@link #toString()} never shows a secret or a token: configurations are logged.
 */
public sealed interface EciCredentials {

  static EciCredentials accessKey(String accessKeyId, String accessKeySecret) {
    return new AccessKey(accessKeyId, accessKeySecret, null);
  }

  static EciCredentials sts(String accessKeyId, String accessKeySecret, String securityToken) {
    return new AccessKey(accessKeyId, accessKeySecret, Objects.requireNonNull(securityToken, "securityToken"));
  }

  static EciCredentials defaultChain() {
    return DefaultChain.INSTANCE;
  }

  /** A fixed AccessKey pair; with a security token it is an STS credential. */
  record AccessKey(String accessKeyId, String accessKeySecret, String securityToken) implements EciCredentials {
    public AccessKey {
      if (accessKeyId == null || accessKeyId.isBlank()) {
        throw new IllegalArgumentException("accessKeyId must not be blank");
      }
      if (accessKeySecret == null || accessKeySecret.isBlank()) {
        throw new IllegalArgumentException("accessKeySecret must not be blank");
      }
    }

    @Override
    public String toString() {
      return (securityToken == null ? "AccessKey[" : "StsToken[") + maskedId(accessKeyId) + "]";
    }
  }

  /** The Alibaba Cloud default credentials chain, resolved on every request. */
  enum DefaultChain implements EciCredentials {
    INSTANCE;

    @Override
    public String toString() {
      return "DefaultCredentialsChain";
    }
  }

  /** Shows enough of an AccessKey id to tell keys apart in logs, never the whole id. */
  static String maskedId(String accessKeyId) {
    return accessKeyId.length() <= 8 ? "****" : accessKeyId.substring(0, 4) + "****" + accessKeyId.substring(accessKeyId.length() - 2);
  }
}
