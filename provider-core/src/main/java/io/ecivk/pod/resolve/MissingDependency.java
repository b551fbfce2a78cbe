package io.ecivk.pod.resolve;

import java.util.Objects;

/**
 * Something a pod needs that the API server does not have (yet): a configMap or secret, a key in one, a claim
 * that is not bound, a PersistentVolume. The pod waits; it is resolved again when {@link #object()} changes.
 *
 * @param object the object to watch: the pod is worth another try when it is added or modified
 * @param container the container whose environment needs it, or null when a volume does
 * @param volume the pod volume that needs it, or null when a container's environment does
 * @param message the kubelet's wording, e.g. {@code configmap "x" not found} or
 *     {@code couldn't find key k in ConfigMap ns/x}
 */
public record MissingDependency(ObjectRef object, String container, String volume, String message) {
  public MissingDependency {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(message, "message");
    if ((container == null) == (volume == null)) {
      throw new IllegalArgumentException("exactly one of container and volume must be set");
    }
  }

  public static MissingDependency ofContainer(ObjectRef object, String container, String message) {
    return new MissingDependency(object, container, null, message);
  }

  public static MissingDependency ofVolume(ObjectRef object, String volume, String message) {
    return new MissingDependency(object, null, volume, message);
  }
}
