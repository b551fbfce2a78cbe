package io.ecivk.spi;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Objects;

/**
 * One incarnation of a pod: its key and its UID. A pod deleted and created again under the same name is a new
 * incarnation, so anything destructive (deleting a backend workload, deleting the API object) carries the UID
 * and touches only what matches it.
 */
public record PodRef(PodKey key, String uid) {
  public PodRef {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(uid, "uid");
  }

  public static PodRef of(Pod pod) {
    return new PodRef(PodKey.of(pod), pod.getMetadata().getUid());
  }

  @Override
  public String toString() {
    return key + "(" + uid + ")";
  }
}
