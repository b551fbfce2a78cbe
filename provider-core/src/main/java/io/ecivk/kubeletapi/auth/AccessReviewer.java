package io.ecivk.kubeletapi.auth;

/**
 * Asks whether a user may do what a request asks (a SubjectAccessReview). Blocking: called only on the server's
 * auth executor. Throws on a failed call, which the server answers with 500 without caching.
 */
@FunctionalInterface
public interface AccessReviewer {
  boolean allowed(UserInfo user, RequestAttributes attributes) throws Exception;
}
