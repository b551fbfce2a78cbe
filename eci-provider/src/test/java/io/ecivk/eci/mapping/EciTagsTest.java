package io.ecivk.eci.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.model.Tag;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class EciTagsTest {

  @Test
  void selectorIsClusterAndNode() {
    assertThat(EciTags.selector("c-8f3a1", "virtual-kubelet-cn-hangzhou-j"))
        .containsExactly(
            new Tag("ecivk.io/cluster-id", "c-8f3a1"),
            new Tag("ecivk.io/node-name", "virtual-kubelet-cn-hangzhou-j"));
  }

  @Test
  void podTagsNameTheIncarnation() {
    var pod =
        new PodBuilder()
            .withNewMetadata().withNamespace("shop").withName("web-1").withUid("6f1c2a9e-0c47").endMetadata()
            .build();

    assertThat(EciTags.forPod("c-8f3a1", "vk-1", pod))
        .containsExactly(
            new Tag("ecivk.io/cluster-id", "c-8f3a1"),
            new Tag("ecivk.io/node-name", "vk-1"),
            new Tag("ecivk.io/pod-namespace", "shop"),
            new Tag("ecivk.io/pod-name", "web-1"),
            new Tag("ecivk.io/pod-uid", "6f1c2a9e-0c47"));
  }

  @Test
  void valuesAreCutToEciLimit() {
    var pod =
        new PodBuilder()
            .withNewMetadata().withNamespace("ns").withName("p".repeat(253)).withUid("u").endMetadata()
            .build();

    assertThat(EciTags.forPod("c", "n", pod).get(3)).isEqualTo(new Tag("ecivk.io/pod-name", "p".repeat(128)));
    assertThat(EciTags.selector("c".repeat(200), "n").get(0))
        .isEqualTo(new Tag("ecivk.io/cluster-id", "c".repeat(128)));
  }
}
