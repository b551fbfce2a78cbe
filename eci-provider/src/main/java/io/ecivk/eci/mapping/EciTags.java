package io.ecivk.eci.mapping;

import io.ecivk.eci.client.model.Tag;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Objects;

/**
 * The tags every container group we create carries. They are how the provider finds its groups again after a
 * restart (list by {@link #selector}) and tells which pod a group belongs to. The pod UID is the authoritative
 * link: namespace and name are for people and may be cut to ECI's tag value limit.
 */
public final class EciTags {

  /** The cluster the group's pod belongs to, as configured for the node. */
  public static final String CLUSTER_ID = "ecivk.io/cluster-id";

  /** The virtual node that created the group. */
  public static final String NODE_NAME = "ecivk.io/node-name";

  /** The pod's namespace. */
  public static final String POD_NAMESPACE = "ecivk.io/pod-namespace";

  /** The pod's name. */
  public static final String POD_NAME = "ecivk.io/pod-name";

  /** The pod's UID: which incarnation of the pod the group runs. */
  public static final String POD_UID = "ecivk.io/pod-uid";

  /** ECI's limit on the length of a tag value. */
  public static final int MAX_VALUE_LENGTH = 128;

  private EciTags() {}

  /** The tags that select every group of node {@code nodeName} in cluster {@code clusterId}. */
  public static List<Tag> selector(String clusterId, String nodeName) {
    return List.of(
        new Tag(CLUSTER_ID, value(Objects.requireNonNull(clusterId, "clusterId"))),
        new Tag(NODE_NAME, value(Objects.requireNonNull(nodeName, "nodeName"))));
  }

  /** The tags of {@code pod}'s group: cluster, node, namespace, name and UID, in that order. */
  public static List<Tag> forPod(String clusterId, String nodeName, Pod pod) {
    ObjectMeta meta = pod.getMetadata();
    return List.of(
        new Tag(CLUSTER_ID, value(Objects.requireNonNull(clusterId, "clusterId"))),
        new Tag(NODE_NAME, value(Objects.requireNonNull(nodeName, "nodeName"))),
        new Tag(POD_NAMESPACE, value(meta.getNamespace())),
        new Tag(POD_NAME, value(meta.getName())),
        new Tag(POD_UID, value(meta.getUid())));
  }

  /** {@code value} cut to {@link #MAX_VALUE_LENGTH} characters; null becomes empty. */
  public static String value(String value) {
    if (value == null) {
      return "";
    }
    return value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH);
  }
}
