package io.ecivk.pod.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DownwardApiTest {
  private static final Pod POD = new PodBuilder()
      .withNewMetadata().withName("web-0").withNamespace("shop").withUid("0b1e-42")
      .addToLabels("app", "web").addToLabels("tier", "front")
      .addToAnnotations("note", "say \"hi\"\nbye").endMetadata()
      .withNewSpec().withNodeName("vk-1").withServiceAccountName("builder").endSpec()
      .build();

  static Stream<Arguments> fields() {
    return Stream.of(
        Arguments.of("metadata.name", "web-0"),
        Arguments.of("metadata.namespace", "shop"),
        Arguments.of("metadata.uid", "0b1e-42"),
        Arguments.of("metadata.labels['app']", "web"),
        Arguments.of("metadata.labels['missing']", ""),
        Arguments.of("metadata.annotations['note']", "say \"hi\"\nbye"),
        Arguments.of("metadata.labels", "app=\"web\"\ntier=\"front\""),
        Arguments.of("metadata.annotations", "note=\"say \\\"hi\\\"\\nbye\""),
        Arguments.of("spec.nodeName", "vk-1"),
        Arguments.of("spec.serviceAccountName", "builder"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fields")
  void fieldValues(String path, String expected) {
    assertThat(DownwardApi.fieldValue(POD, path)).isEqualTo(expected);
  }

  @Test
  void unsupportedAndBackendFieldsAreRefused() {
    assertThatThrownBy(() -> DownwardApi.fieldValue(POD, "spec.hostname"))
        .hasMessage("unsupported fieldRef fieldPath: spec.hostname");
    assertThatThrownBy(() -> DownwardApi.fieldValue(POD, "status.podIP"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(DownwardApi.isBackendField("status.podIPs")).isTrue();
    assertThat(DownwardApi.isBackendField("status.hostIP")).isTrue();
    assertThat(DownwardApi.isBackendField("metadata.name")).isFalse();
  }

  private static final Container SIZED = new ContainerBuilder().withName("app")
      .withNewResources()
      .addToLimits("cpu", new Quantity("1500m")).addToLimits("memory", new Quantity("1Gi"))
      .addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("300M"))
      .endResources().build();
  private static final Container UNSIZED = new ContainerBuilder().withName("bare").build();
  private static final Map<String, Quantity> NODE = Map.of(
      "cpu", new Quantity("64"), "memory", new Quantity("256Gi"), "ephemeral-storage", new Quantity("500Gi"));

  static Stream<Arguments> resources() {
    return Stream.of(
        Arguments.of("cpu limit in cores rounds up", SIZED, "limits.cpu", null, "2"),
        Arguments.of("cpu limit in millicores", SIZED, "limits.cpu", "1m", "1500"),
        Arguments.of("cpu request in cores", SIZED, "requests.cpu", null, "1"),
        Arguments.of("cpu request per 100m", SIZED, "requests.cpu", "100m", "3"),
        Arguments.of("memory limit in bytes", SIZED, "limits.memory", null, "1073741824"),
        Arguments.of("memory limit in Mi", SIZED, "limits.memory", "1Mi", "1024"),
        Arguments.of("memory request in Mi rounds up", SIZED, "requests.memory", "1Mi", "287"),
        Arguments.of("memory request in M", SIZED, "requests.memory", "1M", "300"),
        Arguments.of("unset cpu limit is allocatable", UNSIZED, "limits.cpu", null, "64"),
        Arguments.of("unset memory limit is allocatable", UNSIZED, "limits.memory", "1Gi", "256"),
        Arguments.of("unset ephemeral limit is allocatable", UNSIZED, "limits.ephemeral-storage", "1Gi", "500"),
        Arguments.of("unset cpu request is 0", UNSIZED, "requests.cpu", null, "0"),
        Arguments.of("unset memory request is 0", UNSIZED, "requests.memory", null, "0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resources")
  void resourceValues(String name, Container c, String resource, String divisor, String expected) {
    ResourceFieldSelector selector = new ResourceFieldSelector(null, divisor == null ? null : new Quantity(divisor),
        resource);
    assertThat(DownwardApi.resourceValue(c, selector, NODE)).isEqualTo(expected);
  }

  @Test
  void unsupportedResourceIsRefused() {
    assertThatThrownBy(() -> DownwardApi.resourceValue(SIZED,
        new ResourceFieldSelector(null, null, "limits.hugepages-2Mi"), NODE))
        .hasMessage("unsupported resourceFieldRef resource: limits.hugepages-2Mi");
    assertThatThrownBy(() -> DownwardApi.resourceValue(SIZED, new ResourceFieldSelector(null, null, "cpu"), NODE))
        .hasMessage("unsupported resourceFieldRef resource: cpu");
  }

  static Stream<Arguments> quoting() {
    return Stream.of(
        Arguments.of("plain", "\"plain\""),
        Arguments.of("tab\there", "\"tab\\there\""),
        Arguments.of("back\\slash", "\"back\\\\slash\""),
        Arguments.of("bell\u0007", "\"bell\\a\""),
        Arguments.of("nul\u0000", "\"nul\\x00\""),
        Arguments.of("del\u007f", "\"del\\x7f\""),
        Arguments.of("äöü 日本", "\"äöü 日本\""),
        Arguments.of("nbsp\u00a0", "\"nbsp\\u00a0\""),
        Arguments.of("zwsp\u200b", "\"zwsp\\u200b\""),
        Arguments.of("emoji😀", "\"emoji😀\""));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("quoting")
  void quotesLikeGo(String value, String expected) {
    assertThat(DownwardApi.goQuote(value)).isEqualTo(expected);
  }

  @Test
  void formatMapSortsKeysAndHasNoTrailingNewline() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("b", "2");
    m.put("a.io/x", "1");
    assertThat(DownwardApi.formatMap(m)).isEqualTo("a.io/x=\"1\"\nb=\"2\"");
    assertThat(DownwardApi.formatMap(Map.of())).isEmpty();
    assertThat(DownwardApi.formatMap(null)).isEmpty();
  }
}
