package io.ecivk.eci.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EciCredentialsTest {

  @Test
  void toStringNeverShowsTheSecretTheTokenOrTheWholeKeyId() {
    EciCredentials sts = EciCredentials.sts("STS.NUxyzFAKEFAKE42", "s3cr3t-value", "tok3n-value");
    EciCredentials ak = EciCredentials.accessKey("LTAI5tFAKEFAKEFAKE", "s3cr3t-value");
    EciClientConfig config = EciClientConfig.of(URI.create("http://127.0.0.1:1"), "cn-hangzhou", ak);

    assertThat(sts.toString()).isEqualTo("StsToken[STS.****42]");
    assertThat(ak.toString()).isEqualTo("AccessKey[LTAI****KE]");
    assertThat(config.toString()).doesNotContain("s3cr3t", "LTAI5tFAKEFAKEFAKE").contains("AccessKey[LTAI****KE]");
    assertThat(EciCredentials.defaultChain().toString()).isEqualTo("DefaultCredentialsChain");
  }

  @Test
  void blankKeysAreRefused() {
    assertThatThrownBy(() -> EciCredentials.accessKey(" ", "x")).hasMessage("accessKeyId must not be blank");
    assertThatThrownBy(() -> EciCredentials.accessKey("id", "")).hasMessage("accessKeySecret must not be blank");
  }

  @Test
  void configValidatesEndpointAndAppliesTimeoutDefaults() {
    EciCredentials ak = EciCredentials.accessKey("LTAI5tFAKE", "secret");

    EciClientConfig config = EciClientConfig.of(URI.create("http://127.0.0.1:18080"), "cn-hangzhou", ak);

    assertThat(config.hostAndPort()).isEqualTo("127.0.0.1:18080");
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(EciClientConfig.publicEndpoint("cn-shanghai")).hasToString("https://eci.cn-shanghai.aliyuncs.com");
    assertThat(EciClientConfig.of(EciClientConfig.publicEndpoint("cn-hangzhou"), "cn-hangzhou", ak).hostAndPort())
        .isEqualTo("eci.cn-hangzhou.aliyuncs.com");
    assertThatThrownBy(() -> EciClientConfig.of(URI.create("ftp://x"), "cn-hangzhou", ak))
        .hasMessageContaining("must be http:// or https://");
    assertThatThrownBy(() -> EciClientConfig.of(URI.create("http://x/api"), "cn-hangzhou", ak))
        .hasMessageContaining("must not have a path");
    assertThatThrownBy(() -> new EciClientConfig(URI.create("http://x"), "r", ak, Duration.ZERO, null))
        .hasMessageContaining("connectTimeout must be positive");
  }
}
