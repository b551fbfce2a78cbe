package io.ecivk.kubeletapi.remotecommand;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NegotiationTest {

  @Test
  void webSocketTakesTheClientsFirstSupportedProtocol() {
    assertThat(RemoteCommandHandler.negotiateWebSocket(List.of("v5.channel.k8s.io", "v4.channel.k8s.io")))
        .contains("v5.channel.k8s.io");
    assertThat(RemoteCommandHandler.negotiateWebSocket(
        List.of("v4.base64.channel.k8s.io", "v4.channel.k8s.io", "v5.channel.k8s.io")))
        .contains("v4.channel.k8s.io");
    assertThat(RemoteCommandHandler.negotiateWebSocket(List.of("base64.channel.k8s.io", "channel.k8s.io")))
        .isEmpty();
    assertThat(RemoteCommandHandler.negotiateWebSocket(List.of())).isEmpty();
  }

  @Test
  void spdyTakesTheClientsFirstSupportedVersion() {
    assertThat(SpdyProtocol.negotiate(List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io",
        "channel.k8s.io"))).contains(SpdyProtocol.V4);
    assertThat(SpdyProtocol.negotiate(List.of("v5.channel.k8s.io", "v2.channel.k8s.io", "v4.channel.k8s.io")))
        .contains(SpdyProtocol.V2);
    assertThat(SpdyProtocol.negotiate(List.of("channel.k8s.io"))).contains(SpdyProtocol.V1);
    assertThat(SpdyProtocol.negotiate(List.of("v5.channel.k8s.io"))).isEqualTo(Optional.empty());
  }

  @Test
  void versionTraits() {
    assertThat(SpdyProtocol.V4.jsonStatus()).isTrue();
    assertThat(SpdyProtocol.V3.jsonStatus()).isFalse();
    assertThat(SpdyProtocol.V3.supportsResize()).isTrue();
    assertThat(SpdyProtocol.V2.supportsResize()).isFalse();
    assertThat(SpdyProtocol.V1.header()).isEqualTo("channel.k8s.io");
  }
}
