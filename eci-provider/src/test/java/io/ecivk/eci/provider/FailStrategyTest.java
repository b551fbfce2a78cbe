package io.ecivk.eci.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The eci-fail-strategy annotation: values, default, and a clear error for anything else. */
class FailStrategyTest {

  private static Pod pod(Map<String, String> annotations) {
    return new PodBuilder().withNewMetadata().withName("p").withAnnotations(annotations).endMetadata().build();
  }

  @ParameterizedTest
  @CsvSource({
    "fail-back, FAIL_BACK",
    "fail-over, FAIL_OVER",
    "fail-fast, FAIL_FAST",
    "' fail-fast ', FAIL_FAST",
  })
  void parsesTheThreeValues(String value, FailStrategy expected) {
    assertThat(FailStrategy.of(pod(Map.of(FailStrategy.ANNOTATION, value)))).isEqualTo(expected);
  }

  @Test
  void absentMeansFailBack() {
    assertThat(FailStrategy.of(pod(Map.of()))).isEqualTo(FailStrategy.FAIL_BACK);
    assertThat(FailStrategy.of(new PodBuilder().withNewMetadata().withName("p").endMetadata().build()))
        .isEqualTo(FailStrategy.FAIL_BACK);
  }

  @Test
  void anythingElseIsAnInvalidRequestNamingTheAnnotation() {
    assertThatThrownBy(() -> FailStrategy.of(pod(Map.of(FailStrategy.ANNOTATION, "FailFast"))))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
          assertThat(e.getMessage()).isEqualTo("metadata.annotations[k8s.aliyun.com/eci-fail-strategy]: "
              + "\"FailFast\" is not one of fail-back, fail-over, fail-fast");
        });
  }
}
