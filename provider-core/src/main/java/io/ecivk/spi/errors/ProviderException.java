package io.ecivk.spi.errors;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider call failed, classified into an {@link ErrorCategory}. Providers throw only this from their
 * operations (wrapping the backend's own exception as the cause), so callers never catch backend types.
 *
 * <p>The backend's own error code and request id are kept for events, logs and support cases; they never
 * influence control flow outside the provider. Messages must not contain credentials or request bodies.
 */
public final class ProviderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCategory category;
  private final String code;
  private final String requestId;
  private final Duration retryAfter;

  public ProviderException(
      ErrorCategory category,
      String code,
      String message,
      String requestId,
      Duration retryAfter,
      Throwable cause) {
    super(message, cause);
    this.category = Objects.requireNonNull(category, "category");
    this.code = Objects.requireNonNull(code, "code");
    this.requestId = requestId;
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
    }
    this.retryAfter = retryAfter;
  }

  public ProviderException(ErrorCategory category, String code, String message) {
    this(category, code, message, null, null, null);
  }

  public ErrorCategory category() {
    return category;
  }

  /** The backend's error code, e.g. {@code Throttling.User}; a category name where the backend gave none. */
  public String code() {
    return code;
  }

  /** The backend's id for the failed request, if it answered at all. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** The earliest time worth retrying after, when the backend said so. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public boolean isRetryable() {
    return category.isRetryable();
  }

  @Override
  public String toString() {
    return "ProviderException[" + category + " " + code + "]: " + getMessage()
        + (requestId == null ? "" : " (request id " + requestId + ")");
  }
}
