package io.ecivk.spi;

import java.util.Objects;

/**
 * Something a provider wants recorded as a Kubernetes Event on the pod, e.g. that the backend rounded the
 * pod's size up ({@code AutoInstanceTypeMatch}). {@code reason} is a short UpperCamelCase word, as Kubernetes
 * reasons are; {@code message} is for people.
 */
public record ProviderEvent(Type type, String reason, String message) {
  public ProviderEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  public static ProviderEvent normal(String reason, String message) {
    return new ProviderEvent(Type.NORMAL, reason, message);
  }

  public static ProviderEvent warning(String reason, String message) {
    return new ProviderEvent(Type.WARNING, reason, message);
  }

  /** The two Kubernetes event types. */
  public enum Type {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String kubernetesName;

    Type(String kubernetesName) {
      this.kubernetesName = kubernetesName;
    }

    public String kubernetesName() {
      return kubernetesName;
    }
  }
}
