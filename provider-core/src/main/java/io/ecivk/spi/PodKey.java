package io.ecivk.spi;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Objects;

/** A pod's name within its namespace: what work queues key on. Names are reused; see {@link PodRef}. */
public record PodKey(String namespace, String name) implements Comparable<PodKey> {
  public PodKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  public static PodKey of(Pod pod) {
    return new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  @Override
  public int compareTo(PodKey other) {
    int c = namespace.compareTo(other.namespace);
    return c != 0 ? c : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
