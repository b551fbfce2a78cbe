package io.ecivk.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.pod.resolve.MissingDependency;
import io.ecivk.pod.resolve.ObjectRef;
import io.ecivk.pod.resolve.ObjectRef.Kind;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitingStatusTest {
  private static final Instant NOW = Instant.parse("2026-11-23T17:00:00Z");
  private static final ObjectRef CFG = new ObjectRef(Kind.CONFIG_MAP, "ns", "cfg");

  private static Pod pod(boolean withInit) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage("nginx").endContainer()
        .addNewContainer().withName("side").withImage("envoy").endContainer()
        .endSpec();
    if (withInit) {
      b.editSpec().addNewInitContainer().withName("init").withImage("busybox").endInitContainer().endSpec();
    }
    return b.build();
  }

  private static List<String> waits(List<ContainerStatus> statuses) {
    return statuses.stream().map(c -> c.getName() + ":" + c.getState().getWaiting().getReason() + ":"
        + c.getState().getWaiting().getMessage()).toList();
  }

  private static List<String> conditions(PodStatus s) {
    return s.getConditions().stream().map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason()).toList();
  }

  @Test
  void containerWaitingForItsEnvironmentShowsCreateContainerConfigError() {
    PodStatus s = WaitingStatus.waiting(pod(false),
        List.of(MissingDependency.ofContainer(CFG, "side", "configmap \"cfg\" not found")), NOW);
    assertThat(s.getPhase()).isEqualTo("Pending");
    assertThat(waits(s.getContainerStatuses())).containsExactly(
        "app:ContainerCreating:null",
        "side:CreateContainerConfigError:configmap \"cfg\" not found");
    assertThat(conditions(s)).containsExactly("Initialized=True/null", "Ready=False/ContainersNotReady",
        "ContainersReady=False/ContainersNotReady", "PodScheduled=True/null");
    assertThat(s.getConditions().get(1).getMessage()).isEqualTo("containers with unready status: [app side]");
    assertThat(s.getStartTime()).isEqualTo("2026-11-23T17:00:00Z");
  }

  @Test
  void aWaitingVolumeHoldsEveryContainerInContainerCreating() {
    PodStatus s = WaitingStatus.waiting(pod(true), List.of(
        MissingDependency.ofVolume(CFG, "v", "configmap \"cfg\" not found"),
        MissingDependency.ofContainer(CFG, "app", "configmap \"cfg\" not found")), NOW);
    assertThat(waits(s.getInitContainerStatuses())).containsExactly("init:ContainerCreating:null");
    assertThat(waits(s.getContainerStatuses())).containsExactly(
        "app:PodInitializing:null", "side:PodInitializing:null");
    assertThat(conditions(s).get(0)).isEqualTo("Initialized=False/ContainersNotInitialized");
  }

  @Test
  void sameShapeIgnoresTimesAndSeesMessageChanges() {
    Pod pod = pod(false);
    PodStatus first = WaitingStatus.waiting(pod, List.of(MissingDependency.ofContainer(CFG, "app", "a")), NOW);
    PodStatus later = WaitingStatus.waiting(pod, List.of(MissingDependency.ofContainer(CFG, "app", "a")),
        NOW.plusSeconds(60));
    PodStatus other = WaitingStatus.waiting(pod, List.of(MissingDependency.ofContainer(CFG, "app", "b")), NOW);
    assertThat(WaitingStatus.sameShape(first, later)).isTrue();
    assertThat(WaitingStatus.sameShape(first, other)).isFalse();
    assertThat(WaitingStatus.sameShape(null, first)).isFalse();
  }

  @Test
  void conditionsKeepTheirTransitionTimeWhileUnchanged() {
    Pod pod = pod(false);
    pod.setStatus(WaitingStatus.waiting(pod, List.of(MissingDependency.ofContainer(CFG, "app", "a")), NOW));
    PodStatus again = WaitingStatus.waiting(pod, List.of(MissingDependency.ofContainer(CFG, "app", "b")),
        NOW.plusSeconds(90));
    assertThat(again.getConditions()).extracting(PodCondition::getLastTransitionTime)
        .containsOnly("2026-11-23T17:00:00Z");
  }

  @Test
  void daemonSetPodsArePendingWithTheReasonNeverFailed() {
    Pod pod = new PodBuilder(pod(false)).editMetadata().addToOwnerReferences(new OwnerReferenceBuilder()
        .withApiVersion("apps/v1").withKind("DaemonSet").withName("ds").withUid("ds-uid").withController(true)
        .build()).endMetadata().build();
    assertThat(PodController.isDaemonSetPod(pod)).isTrue();
    assertThat(PodController.isDaemonSetPod(pod(false))).isFalse();

    PodStatus s = WaitingStatus.daemonSetRefused(pod, "why", NOW);
    assertThat(s.getPhase()).isEqualTo("Pending");
    assertThat(s.getReason()).isEqualTo("DaemonSetPodNotSupported");
    assertThat(s.getMessage()).isEqualTo("why");
    assertThat(conditions(s)).containsExactly("Ready=False/DaemonSetPodNotSupported",
        "ContainersReady=False/DaemonSetPodNotSupported", "PodScheduled=True/null");
    assertThat(waits(s.getContainerStatuses())).containsExactly(
        "app:DaemonSetPodNotSupported:why", "side:DaemonSetPodNotSupported:why");
  }
}
