package io.ecivk.pod.resolve;

import java.util.Objects;

/**
 * An API object a pod depends on. {@code namespace} is null for cluster-scoped kinds (PersistentVolume).
 */
public record ObjectRef(Kind kind, String namespace, String name) {
  public ObjectRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  /** The kinds a pod can wait for; {@link #singular} is how the kubelet names them in messages. */
  public enum Kind {
    CONFIG_MAP("configmap"),
    SECRET("secret"),
    PERSISTENT_VOLUME_CLAIM("persistentvolumeclaim"),
    PERSISTENT_VOLUME("persistentvolume"),
    SERVICE_ACCOUNT("serviceaccount");

    private final String singular;

    Kind(String singular) {
      this.singular = singular;
    }

    public String singular() {
      return singular;
    }
  }

  /** The kubelet's message for a missing object: {@code configmap "x" not found}. */
  public String notFoundMessage() {
    return kind.singular() + " \"" + name + "\" not found";
  }

  @Override
  public String toString() {
    return kind.singular() + " " + (namespace == null ? "" : namespace + "/") + name;
  }
}
