package io.ecivk.pod.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.spi.ResolvedPod.RegistryCredential;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DockerConfigTest {
  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, byte[]> json(String key, String content) {
    return Map.of(key, content.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("dockerconfigjson username and password",
            json(".dockerconfigjson", "{\"auths\":{\"registry.cn-hangzhou.aliyuncs.com\":"
                + "{\"username\":\"alice\",\"password\":\"s3cret\"}}}"),
            List.of(new RegistryCredential("registry.cn-hangzhou.aliyuncs.com", "alice", "s3cret"))),
        Arguments.of("auth wins over username and password",
            json(".dockerconfigjson", "{\"auths\":{\"r.example.com\":{\"username\":\"x\",\"password\":\"y\","
                + "\"auth\":\"" + b64("bob:pa:ss") + "\",\"email\":\"b@example.com\"}}}"),
            List.of(new RegistryCredential("r.example.com", "bob", "pa:ss"))),
        Arguments.of("several servers in document order",
            json(".dockerconfigjson", "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("u1:p1")
                + "\"},\"a.example.com:5000\":{\"auth\":\"" + b64("u2:p2") + "\"}}}"),
            List.of(new RegistryCredential("https://index.docker.io/v1/", "u1", "p1"),
                new RegistryCredential("a.example.com:5000", "u2", "p2"))),
        Arguments.of("legacy dockercfg",
            json(".dockercfg", "{\"old.example.com\":{\"auth\":\"" + b64("carol:pw") + "\",\"email\":\"c@x\"}}"),
            List.of(new RegistryCredential("old.example.com", "carol", "pw"))),
        Arguments.of("empty auths", json(".dockerconfigjson", "{\"auths\":{}}"), List.of()),
        Arguments.of("neither key", Map.of("token", new byte[] {1}), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parses(String name, Map<String, byte[]> data, List<RegistryCredential> expected) {
    assertThat(DockerConfig.fromSecretData(data)).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(json(".dockerconfigjson", "not json"), ".dockerconfigjson is not valid JSON"),
        Arguments.of(json(".dockerconfigjson", "{\"r\":{}}"), ".dockerconfigjson has no auths object"),
        Arguments.of(json(".dockercfg", "[1]"), ".dockercfg is not a JSON object"),
        Arguments.of(json(".dockerconfigjson", "{\"auths\":{\"r\":{\"auth\":\"%%%\"}}}"),
            "the auth field of server r is not base64"),
        Arguments.of(json(".dockerconfigjson", "{\"auths\":{\"r\":{\"auth\":\"" + b64("nocolon") + "\"}}}"),
            "the auth field of server r is not base64(username:password)"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("malformed")
  void malformedContentIsNamedWithoutSecrets(Map<String, byte[]> data, String message) {
    assertThatThrownBy(() -> DockerConfig.fromSecretData(data)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @org.junit.jupiter.api.Test
  void passwordIsMaskedInToString() {
    assertThat(new RegistryCredential("r", "u", "hunter2").toString()).doesNotContain("hunter2");
  }
}
