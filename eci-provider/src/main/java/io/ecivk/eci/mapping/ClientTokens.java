package io.ecivk.eci.mapping;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code ClientToken} of a pod's CreateContainerGroup: {@code <pod uid>-<create attempt>}, e.g. {@code
 * 6f1c2a9e-0c47-4b8e-9d3a-1f0e8c7b5a21-0}.
 *
 * <p>ECI treats a second create with the same token and the same parameters as a replay and answers with the
 * group the first one made; that is what makes a retried create (after a timeout, a lost answer, a restart of
 * the provider) safe. But ECI refuses the same token with <em>different</em> parameters ({@code
 * IdempotentParameterMismatch}). When the provider deliberately creates the pod's group again, e.g. after the
 * first group failed or with another spec, it must not be refused as a replay: it increments the pod annotation
 * {@value #CREATE_ATTEMPT_ANNOTATION}, which gives the new create a new token. Retries of one attempt keep it.
 */
public final class ClientTokens {

  /** The pod annotation holding the create attempt, a non-negative integer; absent means 0. */
  public static final String CREATE_ATTEMPT_ANNOTATION = "ecivk.io/create-attempt";

  /** ECI's limit on a client token (ASCII characters). */
  public static final int MAX_LENGTH = 64;

  private static final Pattern ATTEMPT = Pattern.compile("0|[1-9][0-9]{0,8}");

  /** A UID short and plain enough to go into the token as it is (Kubernetes UIDs are 36-character UUIDs). */
  private static final Pattern PLAIN_UID = Pattern.compile("[A-Za-z0-9-]{1,48}");

  private ClientTokens() {}

  /**
   * The token of {@code pod}'s current create attempt.
   *
   * @throws ProviderException {@code INVALID_REQUEST} when the pod has no UID or the attempt annotation is not a
   *     non-negative integer
   */
  public static String of(Pod pod) {
    String uid = ModelValues.uid(pod);
    // Anything unusual in a UID is hashed so the token stays short ASCII whatever the UID is.
    String base = PLAIN_UID.matcher(uid).matches() ? uid : Hashes.sha256Hex(uid).substring(0, 48);
    return base + "-" + attempt(pod.getMetadata());
  }

  /** The create attempt recorded on the pod, 0 when not recorded. */
  public static int attempt(Pod pod) {
    return attempt(pod.getMetadata());
  }

  private static int attempt(ObjectMeta meta) {
    Map<String, String> annotations = meta == null ? null : meta.getAnnotations();
    String value = annotations == null ? null : annotations.get(CREATE_ATTEMPT_ANNOTATION);
    if (value == null) {
      return 0;
    }
    if (!ATTEMPT.matcher(value).matches()) {
      throw new ProviderException(
          ErrorCategory.INVALID_REQUEST,
          PodMapper.INVALID_POD_FIELD,
          "metadata.annotations[" + CREATE_ATTEMPT_ANNOTATION + "]: \"" + value
              + "\" is not a create attempt (a non-negative integer)");
    }
    return Integer.parseInt(value);
  }
}
