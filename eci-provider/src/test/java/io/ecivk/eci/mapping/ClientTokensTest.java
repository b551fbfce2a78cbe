package io.ecivk.eci.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientTokensTest {

  private static final String UID = "6f1c2a9e-0c47-4b8e-9d3a-1f0e8c7b5a21";

  static Stream<Arguments> tokens() {
    return Stream.of(
        Arguments.of("no annotation is attempt 0", UID, null, UID + "-0"),
        Arguments.of("attempt from the annotation", UID, "3", UID + "-3"),
        Arguments.of("zero", UID, "0", UID + "-0"),
        Arguments.of("large attempt", UID, "999999999", UID + "-999999999"),
        Arguments.of("a UID that is not plain ASCII is hashed", "uid with spaces/and:colons", "1",
            "b7380f04e735bc1024403a76d11b88d0d341250500d9aa98-1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tokens")
  void token(String name, String uid, String attempt, String expected) {
    String token = ClientTokens.of(pod(uid, attempt));

    assertThat(token).isEqualTo(expected).hasSizeLessThanOrEqualTo(64).matches("\\p{ASCII}+");
  }

  static Stream<Arguments> badAttempts() {
    return Stream.of(
        Arguments.of("not a number", "abc"),
        Arguments.of("negative", "-1"),
        Arguments.of("leading zero", "01"),
        Arguments.of("empty", ""),
        Arguments.of("too large", "9999999999"),
        Arguments.of("spaces", " 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAttempts")
  void badAnnotationIsRefused(String name, String attempt) {
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> ClientTokens.of(pod(UID, attempt)));

    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
    assertThat(e.code()).isEqualTo("InvalidPodField");
    assertThat(e.getMessage())
        .isEqualTo(
            "metadata.annotations[ecivk.io/create-attempt]: \"" + attempt
                + "\" is not a create attempt (a non-negative integer)");
  }

  static Pod pod(String uid, String attempt) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put("other", "x");
    if (attempt != null) {
      annotations.put("ecivk.io/create-attempt", attempt);
    }
    return new PodBuilder()
        .withNewMetadata().withNamespace("shop").withName("web").withUid(uid).withAnnotations(annotations).endMetadata()
        .build();
  }
}
