package io.ecivk.spi.errors;

/**
 * What kind of failure a provider call met, independent of the backend that reported it. The category is the
 * whole contract between a provider and the framework's retry logic: the work queue retries {@link #THROTTLED}
 * and {@link #TRANSIENT} failures with backoff, treats {@link #NOT_FOUND} according to the operation (a delete
 * of something already gone has succeeded), fails the pod on {@link #INVALID_REQUEST}, and reports
 * {@link #AUTH} as a provider-wide condition, since retrying one pod cannot fix credentials.
 */
public enum ErrorCategory {
  /** The backend asked us to slow down. Retry later, after at least the exception's retry-after hint. */
  THROTTLED(true),
  /** A server error, a timeout or a broken connection: the same request may succeed when sent again. */
  TRANSIENT(true),
  /** The object the request names does not exist (any more). */
  NOT_FOUND(false),
  /** The request itself is wrong; sending it again cannot succeed. Terminal for the object it concerns. */
  INVALID_REQUEST(false),
  /** The credentials were refused or lack a permission. Not fixed by retrying the same object. */
  AUTH(false);

  private final boolean retryable;

  ErrorCategory(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether sending the same request again, later, can succeed without anything else changing. */
  public boolean isRetryable() {
    return retryable;
  }
}
