package io.ecivk.eci.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerResourcesGpuTest {

  @Test
  void limitElseRequestAndZeroIsNone() {
    assertThat(ContainerResources.gpus(gpu("2", null), "spec.containers[0]")).isEqualTo(Optional.of(2));
    assertThat(ContainerResources.gpus(gpu(null, "1"), "spec.containers[0]")).isEqualTo(Optional.of(1));
    assertThat(ContainerResources.gpus(gpu("0", null), "spec.containers[0]")).isEmpty();
    assertThat(ContainerResources.gpus(new Container(), "spec.containers[0]")).isEmpty();
  }

  @Test
  void fractionalGpuIsRefused() {
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> ContainerResources.gpus(gpu("500m", null), "spec.containers[1]"));

    assertThat(e.code()).isEqualTo("InvalidPodField");
    assertThat(e.getMessage())
        .isEqualTo("spec.containers[1].resources.limits.nvidia.com/gpu: \"500m\" is not a whole number of GPUs");
  }

  private static Container gpu(String limit, String request) {
    ContainerBuilder b = new ContainerBuilder().withName("c").withImage("i").withNewResources().endResources();
    if (limit != null) {
      b.editResources().addToLimits("nvidia.com/gpu", new Quantity(limit)).endResources();
    }
    if (request != null) {
      b.editResources().addToRequests("nvidia.com/gpu", new Quantity(request)).endResources();
    }
    return b.build();
  }
}
