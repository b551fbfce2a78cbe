package io.ecivk.kubeletapi;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Objects;

/**
 * What a streaming request is for: an exec or an attach, on one container of a pod that runs on this node.
 *
 * @param pod the pod, as the server found it among this node's pods
 * @param container the container name from the path, checked to be one of the pod's containers
 */
public record StreamTarget(Kind kind, Pod pod, String container) {
  public StreamTarget {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(container, "container");
  }

  /** The two streaming operations served through the remote-command protocol. */
  public enum Kind {
    EXEC,
    ATTACH
  }
}
