package io.ecivk.eci.client;

import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaRetryableException;
import com.aliyun.tea.TeaUnretryableException;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.Set;

/**
 * The one place that knows Alibaba Cloud error codes: turns whatever the SDK threw into a
 * {@link ProviderException} of the right {@link ErrorCategory}. Everything above this class decides on the
 * category alone.
 *
 * <p>Rules, in order (codes from the ECI and common Alibaba Cloud error references, see
 * {@code docs/eci-simulator.md}):
 *
 * <ol>
 *   <li>No HTTP answer at all (connection refused or reset, timeout): {@code TRANSIENT}.
 *   <li>A code starting with {@code Throttling} (e.g. {@code Throttling.User}), whatever the HTTP status:
 *       {@code THROTTLED}. The service does not always send 429 for it.
 *   <li>Signature, key and permission codes, HTTP 401 and 403: {@code AUTH}.
 *   <li>Conflicts with the group's current state ({@code IncorrectStatus}, {@code OperationConflict}) and a
 *       reused signature nonce: {@code TRANSIENT}, the state moves on and a new request gets a new nonce.
 *   <li>HTTP 5xx: {@code TRANSIENT}.
 *   <li>HTTP 404, other than an unknown API action: {@code NOT_FOUND}.
 *   <li>Any other 4xx ({@code MissingParameter}, {@code InvalidParameter*}, {@code IdempotentParameterMismatch},
 *       an unknown vSwitch...): {@code INVALID_REQUEST}.
 * </ol>
 */
public final class EciErrorClassifier {

  private static final Set<String> AUTH_CODES =
      Set.of(
          "InvalidAccessKeyId.NotFound",
          "InvalidAccessKeyId.Inactive",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "IncompleteSignature",
          "InvalidSecurityToken.Expired",
          "InvalidSecurityToken.Malformed",
          "InvalidSecurityToken.MismatchWithAccessKey",
          "InvalidTimeStamp.Expired",
          "InvalidCredentials",
          "Forbidden.RAM",
          "Forbidden",
          "NoPermission",
          "Forbidden.AccessKeyDisabled");

  private static final Set<String> STATE_CONFLICT_CODES =
      Set.of("IncorrectStatus", "OperationConflict", "SignatureNonceUsed", "ServiceUnavailableTemporary");

  private EciErrorClassifier() {}

  /** Classifies a failure of {@code action}. Never returns null; an already classified exception is returned as is. */
  public static ProviderException classify(String action, Throwable failure) {
    if (failure instanceof ProviderException classified) {
      return classified;
    }
    if (isNetworkFailure(failure)) {
      return new ProviderException(
          ErrorCategory.TRANSIENT,
          failure instanceof InterruptedIOException || causedBy(failure, InterruptedIOException.class)
              ? "Timeout"
              : "ConnectionFailure",
          action + " got no answer from ECI: " + rootMessage(failure),
          null, null, failure);
    }
    if (failure instanceof TeaException tea) {
      // The SDK renders an absent code as the string "null".
      String code = tea.getCode() == null || tea.getCode().isEmpty() || "null".equals(tea.getCode())
          ? "Unknown"
          : tea.getCode();
      int status = tea.getStatusCode() == null ? 0 : tea.getStatusCode();
      String requestId = requestId(tea);
      ErrorCategory category = categorize(code, status);
      String message = action + " failed: " + code + (status > 0 ? " (HTTP " + status + ")" : "")
          + serviceMessage(tea);
      return new ProviderException(category, code, message, requestId, null, failure);
    }
    // Anything else came from inside the SDK (a response it could not parse, an I/O problem it did not wrap).
    // Sending the same request again is the only remedy, so it is retried with backoff like a network error.
    return new ProviderException(
        ErrorCategory.TRANSIENT, "ClientFailure", action + " failed in the ECI client: " + rootMessage(failure),
        null, null, failure);
  }

  static ErrorCategory categorize(String code, int httpStatus) {
    if (code.startsWith("Throttling")) {
      return ErrorCategory.THROTTLED;
    }
    if (AUTH_CODES.contains(code) || code.startsWith("Forbidden") || httpStatus == 401 || httpStatus == 403) {
      return ErrorCategory.AUTH;
    }
    if (STATE_CONFLICT_CODES.contains(code) || httpStatus >= 500) {
      return ErrorCategory.TRANSIENT;
    }
    if (httpStatus == 404 && !code.startsWith("InvalidAction")) {
      return ErrorCategory.NOT_FOUND;
    }
    if (httpStatus == 429) {
      return ErrorCategory.THROTTLED;
    }
    return ErrorCategory.INVALID_REQUEST;
  }

  private static boolean isNetworkFailure(Throwable failure) {
    return failure instanceof TeaUnretryableException
        || failure instanceof TeaRetryableException
        || failure instanceof IOException
        || causedBy(failure, IOException.class);
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String requestId(TeaException tea) {
    Map<String, Object> data = tea.getData();
    if (data == null) {
      return null;
    }
    Object id = data.get("RequestId");
    return id == null ? null : id.toString();
  }

  /** The service's own explanation, which names the offending parameter; it never contains credentials. */
  private static String serviceMessage(TeaException tea) {
    Map<String, Object> data = tea.getData();
    Object message = data == null ? null : data.get("Message");
    return message == null ? "" : ": " + message;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
