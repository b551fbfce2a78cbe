package io.ecivk.kubeletapi.auth;

import java.util.Optional;

/**
 * Asks who a bearer token belongs to (a TokenReview). Blocking: called only on the server's auth executor.
 * Implementations throw on a failed call (network, API server error), which the server answers with 401
 * without caching.
 */
@FunctionalInterface
public interface TokenReviewer {
  /** The token's user, or empty when the reviewer says the token is not authenticated. */
  Optional<UserInfo> review(String token) throws Exception;
}
