package io.ecivk.eci.mapping;

import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Locale;

/**
 * The name of a pod's container group: {@code <namespace>-<name>-<hash>}, where {@code hash} is the first 10 hex
 * digits of the SHA-256 of the pod's UID.
 *
 * <p>The name is deterministic (a retried create names the same group) and differs between two incarnations of a
 * pod with the same namespace and name, so a re-created pod never collides with its predecessor's group that
 * ECI may still be deleting. The readable part is only for people: it is sanitized to what ECI accepts
 * (lowercase letters, digits and single {@code -}) and cut to fit ECI's 128 characters, so two pods may share it;
 * the hash tells them apart.
 */
public final class ContainerGroupNames {

  /** ECI's limits on a container group name. */
  public static final int MIN_LENGTH = 2;

  public static final int MAX_LENGTH = 128;

  private static final int HASH_LENGTH = 10;

  private ContainerGroupNames() {}

  /**
   * The group name of {@code pod}.
   *
   * @throws ProviderException {@code INVALID_REQUEST} when the pod has no UID
   */
  public static String of(Pod pod) {
    String uid = ModelValues.uid(pod);
    String hash = Hashes.sha256Hex(uid).substring(0, HASH_LENGTH);
    String readable = sanitize(pod.getMetadata().getNamespace() + "-" + pod.getMetadata().getName());
    int room = MAX_LENGTH - HASH_LENGTH - 1;
    if (readable.length() > room) {
      readable = trimDashes(readable.substring(0, room));
    }
    return readable.isEmpty() ? hash : readable + "-" + hash;
  }

  /** Lowercase; anything but a-z and 0-9 becomes '-'; runs of '-' collapse; no '-' at either end. */
  static String sanitize(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (allowed) {
        out.append(c);
      } else if (out.length() > 0 && out.charAt(out.length() - 1) != '-') {
        out.append('-');
      }
    }
    return trimDashes(out.toString());
  }

  private static String trimDashes(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && text.charAt(start) == '-') {
      start++;
    }
    while (end > start && text.charAt(end - 1) == '-') {
      end--;
    }
    return text.substring(start, end);
  }
}
