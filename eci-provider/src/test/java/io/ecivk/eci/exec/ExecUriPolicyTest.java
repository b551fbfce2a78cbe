package io.ecivk.eci.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import org.junit.jupiter.api.Test;

class ExecUriPolicyTest {

  @Test
  void wssIsAlwaysAccepted() {
    assertThat(EciContainerExec.checkedUri("wss://eci-cn-hangzhou.aliyun.com/exec/?s=abc").getHost())
        .isEqualTo("eci-cn-hangzhou.aliyun.com");
  }

  @Test
  void plainWsOnlyOnLoopback() {
    assertThat(EciContainerExec.checkedUri("ws://127.0.0.1:4711/exec/?s=abc").getPort()).isEqualTo(4711);
    assertThat(EciContainerExec.checkedUri("ws://localhost:4711/exec/?s=abc").getHost()).isEqualTo("localhost");
    assertThat(EciContainerExec.checkedUri("ws://[::1]:4711/exec/?s=abc").getHost()).isEqualTo("[::1]");
    for (String uri : new String[] {"ws://10.0.0.1/exec/?s=secret", "ws://eci-cn-hangzhou.aliyun.com/exec/?s=secret",
        "ws://127.0.0.1.evil.example/exec/?s=secret", "ws://128.0.0.1/exec/?s=secret"}) {
      assertThatThrownBy(() -> EciContainerExec.checkedUri(uri))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
            assertThat(e.code()).isEqualTo(EciContainerExec.INSECURE_URI);
            assertThat(e.getMessage()).doesNotContain("secret");
          });
    }
  }

  @Test
  void otherAnswersAreMalformed() {
    for (String uri : new String[] {null, "", "http://127.0.0.1/exec", "wss:///exec", "::not a uri"}) {
      assertThatThrownBy(() -> EciContainerExec.checkedUri(uri))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.category()).isEqualTo(ErrorCategory.TRANSIENT);
            assertThat(e.code()).isEqualTo("MalformedResponse");
          });
    }
  }
}
