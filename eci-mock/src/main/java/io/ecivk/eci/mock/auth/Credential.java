package io.ecivk.eci.mock.auth;

import java.util.Objects;

/**
 * An AccessKey pair the simulator accepts; with a non-null {@code securityToken} it is an STS credential and every
 * request signed with it must carry exactly that token. {@link #toString()} never reveals the secret or the token.
 */
public record Credential(String accessKeyId, String accessKeySecret, String securityToken) {

    public Credential {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(accessKeySecret, "accessKeySecret");
        if (accessKeyId.isBlank() || accessKeySecret.isEmpty()) {
            throw new IllegalArgumentException("AccessKey id and secret must not be empty");
        }
        if (securityToken != null && securityToken.isEmpty()) {
            throw new IllegalArgumentException("an STS security token must not be empty");
        }
    }

    public boolean isSts() {
        return securityToken != null;
    }

    @Override
    public String toString() {
        return "Credential[" + accessKeyId + (isSts() ? ", sts" : "") + "]";
    }
}
