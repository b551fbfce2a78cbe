package io.ecivk.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeConfigTest {

  private static NodeConfig.Builder minimal() {
    return NodeConfig.builder().nodeName("virtual-kubelet-cn-hangzhou-i").internalIp("10.0.0.7")
        .kubeletVersion("v1.20.2-eci-vk-0.1.0");
  }

  @Test
  void defaults() {
    NodeConfig c = minimal().build();

    assertThat(c.labels()).isEmpty();
    assertThat(c.taints()).isEmpty();
    assertThat(c.kubeletPort()).isEqualTo(10250);
    assertThat(c.operatingSystem()).isEqualTo("linux");
    assertThat(c.architecture()).isEqualTo("amd64");
    assertThat(c.leaseRenewInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(40));
    assertThat(c.statusUpdateInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.providerTaintKey()).isEqualTo("virtual-kubelet.io/provider-unreachable");
    assertThat(c.ownedTaintKeys()).containsExactly("virtual-kubelet.io/provider-unreachable");
  }

  @Test
  void isImmutableAndRoundTripsThroughItsBuilder() {
    Map<String, String> labels = new HashMap<>(Map.of("type", "virtual-kubelet"));
    NodeConfig c = minimal().labels(labels).taint("virtual-kubelet.io/provider", "alibabacloud", "NoSchedule")
        .build();
    labels.put("late", "x");

    assertThat(c.labels()).containsOnlyKeys("type");
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c.ownedTaintKeys())
        .containsExactly("virtual-kubelet.io/provider", "virtual-kubelet.io/provider-unreachable");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of((UnaryOperator<NodeConfig.Builder>) b -> b.nodeName("Virtual_Kubelet"),
            "nodeName must be a lower-case DNS subdomain: 'Virtual_Kubelet'"),
        Arguments.of((UnaryOperator<NodeConfig.Builder>) b -> b.internalIp(" "), "internalIp must not be blank"),
        Arguments.of((UnaryOperator<NodeConfig.Builder>) b -> b.kubeletVersion(null),
            "kubeletVersion must not be blank"),
        Arguments.of((UnaryOperator<NodeConfig.Builder>) b -> b.kubeletPort(0), "kubeletPort must be 1..65535: 0"),
        Arguments.of((UnaryOperator<NodeConfig.Builder>) b -> b.leaseRenewInterval(Duration.ofSeconds(40)),
            "leaseRenewInterval (PT40S) must be shorter than leaseDuration (PT40S)"),
        Arguments.of((UnaryOperator<NodeConfig.Builder>) b -> b.leaseDuration(Duration.ofMillis(40500)),
            "leaseDuration must be whole seconds: PT40.5S"),
        Arguments.of((UnaryOperator<NodeConfig.Builder>) b -> b.pingInterval(Duration.ZERO),
            "pingInterval must be positive: PT0S"),
        Arguments.of((UnaryOperator<NodeConfig.Builder>) b -> b.taint("k", "v", "NoWay"),
            "taint k has effect 'NoWay', expected one of"),
        Arguments.of((UnaryOperator<NodeConfig.Builder>) b -> b.taint("virtual-kubelet.io/provider-unreachable",
            null, "NoSchedule"), "providerTaintKey virtual-kubelet.io/provider-unreachable is also the key of a "
            + "configured taint; the two must differ"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejects(UnaryOperator<NodeConfig.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(minimal()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
