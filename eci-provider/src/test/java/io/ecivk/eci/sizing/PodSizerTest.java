package io.ecivk.eci.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodSizerTest {

  static Stream<Arguments> sizes() {
    return Stream.of(
        Arguments.of("1 vCPU / 1Gi is rounded up",
            pod(List.of(limits("a", "1", "1Gi")), List.of()), 1.0f, 1.0f, "1.0-2.0Gi", true),
        Arguments.of("1.5 vCPU / 3Gi is rounded up",
            pod(List.of(limits("a", "1500m", "3Gi")), List.of()), 1.5f, 3.0f, "2.0-4.0Gi", true),
        Arguments.of("2 vCPU / 4Gi is a spec",
            pod(List.of(limits("a", "2", "4Gi")), List.of()), 2.0f, 4.0f, "2.0-4.0Gi", false),
        Arguments.of("requests only",
            pod(List.of(requests("a", "500m", "1Gi")), List.of()), 0.5f, 1.0f, "0.5-1.0Gi", false),
        Arguments.of("limits win over requests",
            pod(List.of(container("a", "1", "2Gi", "2", "4Gi")), List.of()), 2.0f, 4.0f, "2.0-4.0Gi", false),
        Arguments.of("a request counts where no limit is set, per resource",
            pod(List.of(container("a", "4", "1Gi", null, "8Gi")), List.of()), 4.0f, 8.0f, "4.0-8.0Gi", false),
        Arguments.of("app containers add up",
            pod(List.of(limits("a", "1", "1Gi"), limits("b", "1", "3Gi")), List.of()), 2.0f, 4.0f, "2.0-4.0Gi",
            false),
        Arguments.of("an init container larger than the sum of the app containers",
            pod(List.of(limits("a", "500m", "512Mi"), limits("b", "500m", "512Mi")), List.of(limits("i", "2", "4Gi"))),
            2.0f, 4.0f, "2.0-4.0Gi", false),
        Arguments.of("init containers count one at a time, per resource",
            pod(List.of(limits("a", "1", "1Gi")), List.of(limits("i1", "4", "1Gi"), limits("i2", "1", "8Gi"))),
            4.0f, 8.0f, "4.0-8.0Gi", false),
        Arguments.of("no resources anywhere: ECI's default",
            pod(List.of(new ContainerBuilder().withName("a").withImage("i").build()), List.of()), 2.0f, 4.0f,
            "2.0-4.0Gi", false),
        Arguments.of("smallest spec exactly",
            pod(List.of(limits("a", "250m", "512Mi")), List.of()), 0.25f, 0.5f, "0.25-0.5Gi", false),
        Arguments.of("largest spec exactly",
            pod(List.of(limits("a", "64", "512Gi")), List.of()), 64.0f, 512.0f, "64.0-512.0Gi", false),
        Arguments.of("memory only: 0 vCPU for fitting",
            pod(List.of(limits("a", null, "3Gi")), List.of()), 0.0f, 3.0f, "1.0-4.0Gi", true),
        Arguments.of("cpu only: 0 GiB for fitting",
            pod(List.of(limits("a", "3", null)), List.of()), 3.0f, 0.0f, "4.0-2.0Gi", true),
        Arguments.of("decimal gigabytes are less than gibibytes",
            pod(List.of(limits("a", "250m", "1G")), List.of()), 0.25f, 0.9313226f, "0.25-1.0Gi", true),
        Arguments.of("a byte over a spec takes the next one",
            pod(List.of(limits("a", "1", "2147483649")), List.of()), 1.0f, 2.0f, "1.0-4.0Gi", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sizes")
  void size(String name, Pod pod, float cpu, float memory, String spec, boolean adjusted) {
    PodSize size = PodSizer.size(pod, EciSpecTable.standard());

    assertThat(size.requestedCpu()).isEqualTo(cpu);
    assertThat(size.requestedMemoryGiB()).isEqualTo(memory);
    assertThat(size.spec().label()).isEqualTo(spec);
    assertThat(size.adjusted()).isEqualTo(adjusted);
  }

  @Test
  void customTable() {
    EciSpecTable table = new EciSpecTable(List.of(new EciSpec(1, 2), new EciSpec(4, 8)));

    PodSize size = PodSizer.size(pod(List.of(limits("a", "2", "2Gi")), List.of()), table);

    assertThat(size).isEqualTo(new PodSize(2.0f, 2.0f, new EciSpec(4, 8), true));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("65 vCPU",
            pod(List.of(limits("a", "65", "1Gi")), List.of()), "UnsupportedSpec",
            "pod needs 65.0 vCPU / 1.0 GiB, more than the largest ECI spec (64.0 vCPU / 512.0 GiB)"),
        Arguments.of("more memory than 512 GiB",
            pod(List.of(limits("a", "8", "600Gi")), List.of()), "UnsupportedSpec",
            "pod needs 8.0 vCPU / 600.0 GiB, more than the largest ECI spec (64.0 vCPU / 512.0 GiB)"),
        Arguments.of("too large only in sum",
            pod(List.of(limits("a", "40", "1Gi"), limits("b", "30", "1Gi")), List.of()), "UnsupportedSpec",
            "pod needs 70.0 vCPU / 2.0 GiB, more than the largest ECI spec (64.0 vCPU / 512.0 GiB)"),
        Arguments.of("negative cpu limit",
            pod(List.of(limits("a", "-1", "1Gi")), List.of()), "InvalidPodField",
            "spec.containers[0].resources.limits.cpu: \"-1\" is negative"),
        Arguments.of("unreadable memory request of an init container",
            pod(List.of(limits("a", "1", "1Gi")), List.of(requests("i", "1", "lots"))), "InvalidPodField",
            "spec.initContainers[0].resources.requests.memory: \"lots\" is not a quantity"),
        Arguments.of("a broken request is reported even when a limit is set",
            pod(List.of(limits("a", "1", "1Gi"), container("b", "-500m", null, "1", null)), List.of()),
            "InvalidPodField", "spec.containers[1].resources.requests.cpu: \"-500m\" is negative"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void refuses(String name, Pod pod, String code, String message) {
    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> PodSizer.size(pod, EciSpecTable.standard()));

    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.getMessage()).isEqualTo(message);
  }

  @Test
  void autoInstanceTypeMatchEvent() {
    assertThat(PodSizer.autoInstanceTypeMatchEvent(new EciSpec(2, 4)))
        .isEqualTo(
            new ProviderEvent(
                ProviderEvent.Type.NORMAL,
                "AutoInstanceTypeMatch",
                "The most-matched instanceType for current eci instance is 2.0-4.0Gi"));
  }

  static Pod pod(List<Container> containers, List<Container> initContainers) {
    return new PodBuilder()
        .withNewMetadata().withNamespace("ns").withName("p").withUid("u").endMetadata()
        .withNewSpec().withContainers(containers).withInitContainers(initContainers).endSpec()
        .build();
  }

  static Container limits(String name, String cpu, String memory) {
    return container(name, null, null, cpu, memory);
  }

  static Container requests(String name, String cpu, String memory) {
    return container(name, cpu, memory, null, null);
  }

  static Container container(String name, String requestCpu, String requestMemory, String limitCpu,
      String limitMemory) {
    return new ContainerBuilder()
        .withName(name)
        .withImage("image")
        .withNewResources()
        .withRequests(quantities(requestCpu, requestMemory))
        .withLimits(quantities(limitCpu, limitMemory))
        .endResources()
        .build();
  }

  private static Map<String, Quantity> quantities(String cpu, String memory) {
    Map<String, Quantity> map = new LinkedHashMap<>();
    if (cpu != null) {
      map.put("cpu", new Quantity(cpu));
    }
    if (memory != null) {
      map.put("memory", new Quantity(memory));
    }
    return map;
  }
}
