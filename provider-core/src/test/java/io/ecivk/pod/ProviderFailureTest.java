package io.ecivk.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProviderFailureTest {

  @Test
  void failedStatusNamesTheReasonOnThePodAndEachContainer() {
    Pod pod = new PodBuilder()
        .withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
        .withNewSpec()
        .addNewContainer().withName("a").withImage("img-a").endContainer()
        .addNewContainer().withName("b").withImage("img-b").endContainer()
        .endSpec()
        .withNewStatus().withPhase("Pending").withQosClass("BestEffort").endStatus()
        .build();

    PodStatus status = ProviderFailure.status(pod, "spec.volumes[0]: not supported", Instant.parse("2026-11-23T10:00:00Z"));

    assertThat(status.getPhase()).isEqualTo("Failed");
    assertThat(status.getReason()).isEqualTo("ProviderFailed");
    assertThat(status.getMessage()).isEqualTo("spec.volumes[0]: not supported");
    assertThat(status.getStartTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(status.getQosClass()).isEqualTo("BestEffort");
    assertThat(status.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactly("PodScheduled=True", "Ready=False", "ContainersReady=False");
    assertThat(status.getContainerStatuses()).extracting(c -> c.getName() + ":" + c.getState().getWaiting().getReason())
        .containsExactly("a:ProviderFailed", "b:ProviderFailed");
    assertThat(ProviderFailure.isShownOn(new PodBuilder(pod).withStatus(status).build(), "spec.volumes[0]: not supported"))
        .isTrue();
    assertThat(ProviderFailure.isShownOn(pod, "spec.volumes[0]: not supported")).isFalse();
  }
}
