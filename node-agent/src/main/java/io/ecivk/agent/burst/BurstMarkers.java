package io.ecivk.agent.burst;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/**
 * The markers ACK users already put on their workloads to send pods to ECI, and the route each one asks for.
 */
public final class BurstMarkers {
  /** ACK's annotation: {@code eci} bursts to ECI when owned nodes are full, {@code eci_only} always uses ECI. */
  public static final String BURST_ANNOTATION = "alibabacloud.com/burst-resource";
  public static final String BURST = "eci";
  public static final String ECI_ONLY = "eci_only";
  /** ACK's label, on a pod or its namespace: the pod runs on ECI. */
  public static final String ECI_LABEL = "alibabacloud.com/eci";

  private BurstMarkers() {}

  /** What the binder does with an unbound pod. */
  public enum Route {
    /** Not ours: left to the scheduler. */
    NONE,
    /** To ECI once the scheduler found no room (and the configured delay passed). */
    BURST,
    /** To ECI at once ({@code eci_only}, or the ECI label on the pod or its namespace). */
    DIRECT
  }

  /** The route of {@code pod}; {@code namespace} may be null when it is not (yet) known. */
  public static Route route(Pod pod, Namespace namespace) {
    String annotation = annotations(pod).get(BURST_ANNOTATION);
    if (ECI_ONLY.equals(annotation) || labelled(pod) || (namespace != null && labelled(namespace))) {
      return Route.DIRECT;
    }
    return BURST.equals(annotation) ? Route.BURST : Route.NONE;
  }

  /** Whether the pod carries a marker itself (used to filter informer events before any lookup). */
  public static boolean markedItself(Pod pod) {
    String annotation = annotations(pod).get(BURST_ANNOTATION);
    return BURST.equals(annotation) || ECI_ONLY.equals(annotation) || labelled(pod);
  }

  public static boolean labelled(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels != null && "true".equals(labels.get(ECI_LABEL));
  }

  private static Map<String, String> annotations(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }
}
