package io.ecivk.eci.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QosClassesTest {

  static Stream<Arguments> classes() {
    return Stream.of(
        Arguments.of("nothing set", List.of(c(null, null)), List.of(), "BestEffort"),
        Arguments.of("zero requests count as unset", List.of(c("cpu=0,memory=0", null)), List.of(), "BestEffort"),
        Arguments.of("only other resources", List.of(c("ephemeral-storage=1Gi", "ephemeral-storage=1Gi")), List.of(),
            "BestEffort"),
        Arguments.of("limits only (requests default to them)", List.of(c(null, "cpu=1,memory=1Gi")), List.of(),
            "Guaranteed"),
        Arguments.of("requests equal limits", List.of(c("cpu=500m,memory=1Gi", "cpu=500m,memory=1Gi")), List.of(),
            "Guaranteed"),
        Arguments.of("equal in other units", List.of(c("cpu=2,memory=1Gi", "cpu=2000m,memory=1024Mi")), List.of(),
            "Guaranteed"),
        Arguments.of("requests below limits", List.of(c("cpu=500m,memory=1Gi", "cpu=1,memory=1Gi")), List.of(),
            "Burstable"),
        Arguments.of("requests only", List.of(c("cpu=1,memory=1Gi", null)), List.of(), "Burstable"),
        Arguments.of("only a cpu limit", List.of(c(null, "cpu=1")), List.of(), "Burstable"),
        Arguments.of("one container without limits", List.of(c(null, "cpu=1,memory=1Gi"), c(null, null)), List.of(),
            "Burstable"),
        Arguments.of("init container without limits", List.of(c(null, "cpu=1,memory=1Gi")), List.of(c(null, null)),
            "Burstable"),
        Arguments.of("init container guaranteed too", List.of(c(null, "cpu=1,memory=1Gi")),
            List.of(c(null, "cpu=2,memory=2Gi")), "Guaranteed"));
  }

  @ParameterizedTest(name = "{0} -> {3}")
  @MethodSource("classes")
  void qosClass(String name, List<Container> containers, List<Container> initContainers, String expected) {
    Pod pod =
        new PodBuilder().withNewSpec().withContainers(containers).withInitContainers(initContainers).endSpec().build();

    assertThat(QosClasses.of(pod)).isEqualTo(expected);
  }

  private static int count;

  private static Container c(String requests, String limits) {
    return new ContainerBuilder()
        .withName("c" + count++)
        .withImage("i")
        .withNewResources().withRequests(quantities(requests)).withLimits(quantities(limits)).endResources()
        .build();
  }

  private static Map<String, Quantity> quantities(String spec) {
    Map<String, Quantity> map = new LinkedHashMap<>();
    if (spec != null) {
      for (String pair : spec.split(",")) {
        String[] kv = pair.split("=");
        map.put(kv[0], new Quantity(kv[1]));
      }
    }
    return map;
  }
}
