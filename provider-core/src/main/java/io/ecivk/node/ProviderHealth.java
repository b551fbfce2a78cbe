package io.ecivk.node;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import java.time.Duration;
import java.util.Objects;

/**
 * What the last {@code NodeProvider.ping()} said, as the {@code ProviderReachable} node condition shows it.
 *
 * @param reachable whether the provider answered
 * @param reason the condition's reason, a CamelCase word derived from the error category
 * @param message the condition's message: for a failure the provider's error code, message and request id
 */
record ProviderHealth(boolean reachable, String reason, String message) {

  static final String REASON_REACHABLE = "ProviderReachable";
  /** Used until the first ping has answered, when it takes longer than start() waits. */
  static final String REASON_PING_PENDING = "ProviderPingPending";
  /** A ping that failed with something other than a ProviderException (a provider bug). */
  static final String REASON_PING_FAILED = "ProviderPingFailed";

  ProviderHealth {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  static ProviderHealth ok() {
    return new ProviderHealth(true, REASON_REACHABLE, "the provider answered its last ping");
  }

  static ProviderHealth pending(Duration waited) {
    return new ProviderHealth(false, REASON_PING_PENDING,
        "the provider has not answered its first ping within " + waited.toMillis() + " ms");
  }

  /**
   * The health after a ping: {@code failure} is null when the ping answered. A throttled ping is no evidence of an
   * outage (the backend answered with a throttle, or a client-side limit chose not to call it), so it keeps what
   * was known, and counts as reachable when nothing was known yet; tainting the node for it would turn a busy
   * minute into refused pods.
   */
  static ProviderHealth afterPing(ProviderHealth previous, RuntimeException failure) {
    if (failure == null) {
      return ok();
    }
    if (failure instanceof ProviderException pe && pe.category() == ErrorCategory.THROTTLED) {
      return previous != null ? previous : ok();
    }
    return failed(failure);
  }

  /** The condition for a failed ping; never contains more than the exception's own (credential-free) text. */
  static ProviderHealth failed(RuntimeException e) {
    if (e instanceof ProviderException pe) {
      String reason = switch (pe.category()) {
        case THROTTLED -> "ProviderThrottled";
        case TRANSIENT -> "ProviderUnavailable";
        case NOT_FOUND -> "ProviderNotFound";
        case INVALID_REQUEST -> "ProviderRequestInvalid";
        case AUTH -> "ProviderAuthFailed";
      };
      StringBuilder message = new StringBuilder(pe.code()).append(": ").append(pe.getMessage());
      pe.requestId().ifPresent(id -> message.append(" (request id ").append(id).append(')'));
      return new ProviderHealth(false, reason, message.toString());
    }
    return new ProviderHealth(false, REASON_PING_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  /** The node condition status, {@code True} or {@code False}. */
  String conditionStatus() {
    return reachable ? "True" : "False";
  }
}
