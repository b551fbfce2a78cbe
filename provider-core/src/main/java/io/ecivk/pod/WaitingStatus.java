package io.ecivk.pod;

import io.ecivk.pod.resolve.MissingDependency;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Statuses of pods that stay Pending without a workload, shown as the kubelet shows them. Pure.
 *
 * <ul>
 *   <li>Waiting for a dependency ({@link #waiting}): a container whose environment needs a missing object waits
 *       with reason {@code CreateContainerConfigError} and the kubelet's message; when a volume waits, every
 *       container waits with {@code ContainerCreating} (the kubelet mounts volumes before it starts anything).
 *   <li>Refused DaemonSet pods ({@link #daemonSetRefused}): status reason {@value #DAEMONSET_REASON} (which
 *       {@code kubectl get pods} shows as the pod's STATUS), and {@code Ready}/{@code ContainersReady} False with
 *       that reason. Never Failed: the DaemonSet controller would delete a failed pod and create another, a loop.
 * </ul>
 */
public final class WaitingStatus {
  public static final String CONFIG_ERROR = "CreateContainerConfigError";
  public static final String CREATING = "ContainerCreating";
  public static final String INITIALIZING = "PodInitializing";
  public static final String DAEMONSET_REASON = "DaemonSetPodNotSupported";

  private WaitingStatus() {}

  /** The status of a pod whose dependencies are missing (at least one). */
  public static PodStatus waiting(Pod pod, List<MissingDependency> missing, Instant now) {
    boolean volumeWaits = missing.stream().anyMatch(m -> m.volume() != null);
    Map<String, String> byContainer = new LinkedHashMap<>();
    for (MissingDependency m : missing) {
      if (m.container() != null) {
        byContainer.putIfAbsent(m.container(), m.message());
      }
    }
    boolean hasInit = !initContainers(pod).isEmpty();
    Function<Container, ContainerStatus> init = c -> volumeWaits || !byContainer.containsKey(c.getName())
        ? status(c, CREATING, null) : status(c, CONFIG_ERROR, byContainer.get(c.getName()));
    Function<Container, ContainerStatus> app = c -> !volumeWaits && byContainer.containsKey(c.getName())
        ? status(c, CONFIG_ERROR, byContainer.get(c.getName()))
        : status(c, hasInit ? INITIALIZING : CREATING, null);
    List<String> names = new ArrayList<>();
    pod.getSpec().getContainers().forEach(c -> names.add(c.getName()));
    String unready = "containers with unready status: [" + String.join(" ", names) + "]";
    String time = now.toString();
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withStartTime(startTime(pod, time))
        .withQosClass(pod.getStatus() == null ? null : pod.getStatus().getQosClass())
        .withConditions(
            condition(pod, "Initialized", hasInit ? "False" : "True", hasInit ? "ContainersNotInitialized" : null,
                null, time),
            condition(pod, "Ready", "False", "ContainersNotReady", unready, time),
            condition(pod, "ContainersReady", "False", "ContainersNotReady", unready, time),
            condition(pod, "PodScheduled", "True", null, null, time))
        .withInitContainerStatuses(initContainers(pod).stream().map(init).toList())
        .withContainerStatuses(pod.getSpec().getContainers().stream().map(app).toList())
        .build();
  }

  /** The status of a DaemonSet pod this node does not run. */
  public static PodStatus daemonSetRefused(Pod pod, String message, Instant now) {
    String time = now.toString();
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withReason(DAEMONSET_REASON)
        .withMessage(message)
        .withQosClass(pod.getStatus() == null ? null : pod.getStatus().getQosClass())
        .withConditions(
            condition(pod, "Ready", "False", DAEMONSET_REASON, message, time),
            condition(pod, "ContainersReady", "False", DAEMONSET_REASON, message, time),
            condition(pod, "PodScheduled", "True", null, null, time))
        .withContainerStatuses(pod.getSpec().getContainers().stream()
            .map(c -> status(c, DAEMONSET_REASON, message)).toList())
        .build();
  }

  /**
   * Whether {@code current} already shows what {@code desired} says, ignoring timestamps: phase, reason and
   * message, conditions' status/reason/message, and each container's waiting reason and message.
   */
  public static boolean sameShape(PodStatus current, PodStatus desired) {
    if (current == null) {
      return false;
    }
    return Objects.equals(current.getPhase(), desired.getPhase())
        && Objects.equals(current.getReason(), desired.getReason())
        && Objects.equals(current.getMessage(), desired.getMessage())
        && conditions(current).equals(conditions(desired))
        && waits(current.getContainerStatuses()).equals(waits(desired.getContainerStatuses()))
        && waits(current.getInitContainerStatuses()).equals(waits(desired.getInitContainerStatuses()));
  }

  private static List<String> conditions(PodStatus s) {
    return Optional.ofNullable(s.getConditions()).orElse(List.of()).stream()
        .map(c -> c.getType() + "|" + c.getStatus() + "|" + c.getReason() + "|" + c.getMessage())
        .sorted().toList();
  }

  private static List<String> waits(List<ContainerStatus> statuses) {
    return Optional.ofNullable(statuses).orElse(List.of()).stream()
        .map(c -> c.getName() + "|" + (c.getState() == null || c.getState().getWaiting() == null ? "-"
            : c.getState().getWaiting().getReason() + "|" + c.getState().getWaiting().getMessage()))
        .toList();
  }

  private static List<Container> initContainers(Pod pod) {
    return Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of());
  }

  private static ContainerStatus status(Container c, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withImageID("")
        .withReady(false)
        .withStarted(false)
        .withRestartCount(0)
        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
        .build();
  }

  /** A condition; keeps the pod's transition time when the condition's status is unchanged. */
  private static PodCondition condition(Pod pod, String type, String status, String reason, String message,
      String time) {
    String since = pod.getStatus() == null || pod.getStatus().getConditions() == null ? time
        : pod.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null)
            .map(PodCondition::getLastTransitionTime).findFirst().orElse(time);
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(since).build();
  }

  private static String startTime(Pod pod, String time) {
    return pod.getStatus() != null && pod.getStatus().getStartTime() != null ? pod.getStatus().getStartTime() : time;
  }
}
