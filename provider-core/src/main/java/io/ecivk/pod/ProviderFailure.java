package io.ecivk.pod;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;

/**
 * The status of a pod the provider refused to run (an unsupported field, an impossible size): phase
 * {@code Failed}, reason {@code ProviderFailed}, the provider's explanation as the message, as virtual-kubelet
 * and ACK's fail-fast strategy show it. Pure.
 */
public final class ProviderFailure {
  public static final String REASON = "ProviderFailed";

  private ProviderFailure() {}

  /** Whether the pod already shows this exact failure, so it is not written again. */
  public static boolean isShownOn(Pod pod, String message) {
    PodStatus status = pod.getStatus();
    return status != null
        && "Failed".equals(status.getPhase())
        && REASON.equals(status.getReason())
        && message.equals(status.getMessage());
  }

  public static PodStatus status(Pod pod, String message, Instant now) {
    String time = now.toString();
    PodStatus current = pod.getStatus();
    List<ContainerStatus> containers =
        pod.getSpec().getContainers().stream()
            .map(c -> new ContainerStatusBuilder()
                .withName(c.getName())
                .withImage(c.getImage())
                .withImageID("")
                .withReady(false)
                .withStarted(false)
                .withRestartCount(0)
                .withNewState().withNewWaiting().withReason(REASON).withMessage(message).endWaiting().endState()
                .build())
            .toList();
    return new PodStatusBuilder()
        .withPhase("Failed")
        .withReason(REASON)
        .withMessage(message)
        .withStartTime(current != null && current.getStartTime() != null ? current.getStartTime() : time)
        .withQosClass(current == null ? null : current.getQosClass())
        .withConditions(
            condition("PodScheduled", "True", null, time),
            condition("Ready", "False", REASON, time),
            condition("ContainersReady", "False", REASON, time))
        .withContainerStatuses(containers)
        .build();
  }

  private static PodCondition condition(String type, String status, String reason, String time) {
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withLastTransitionTime(time).build();
  }
}
