package io.ecivk.pod.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApiServerReaderTest {
  private static KubernetesClientException failure(int code) {
    return new KubernetesClientException("HTTP " + code, code,
        new StatusBuilder().withCode(code).withMessage("server says " + code).build());
  }

  static Stream<Arguments> codes() {
    return Stream.of(
        Arguments.of(401, false, ErrorCategory.AUTH, "Unauthorized",
            "the API server refused to let the agent get secrets \"s\" in namespace ns (HTTP 401): grant it this "
                + "permission"),
        Arguments.of(403, false, ErrorCategory.AUTH, "Forbidden",
            "the API server refused to let the agent get secrets \"s\" in namespace ns (HTTP 403): grant it this "
                + "permission"),
        Arguments.of(429, false, ErrorCategory.THROTTLED, "TooManyRequests",
            "the API server throttled get secrets \"s\" in namespace ns"),
        Arguments.of(500, false, ErrorCategory.TRANSIENT, "HTTP500",
            "could not get secrets \"s\" in namespace ns (HTTP 500): server says 500"),
        Arguments.of(503, true, ErrorCategory.TRANSIENT, "HTTP503",
            "could not get secrets \"s\" in namespace ns (HTTP 503): server says 503"),
        Arguments.of(422, true, ErrorCategory.INVALID_REQUEST, "Invalid",
            "the API server rejected get secrets \"s\" in namespace ns: server says 422"),
        Arguments.of(400, true, ErrorCategory.INVALID_REQUEST, "Invalid",
            "the API server rejected get secrets \"s\" in namespace ns: server says 400"),
        Arguments.of(400, false, ErrorCategory.TRANSIENT, "HTTP400",
            "could not get secrets \"s\" in namespace ns (HTTP 400): server says 400"));
  }

  @ParameterizedTest(name = "{0} invalidPossible={1}")
  @MethodSource("codes")
  void classifiesByStatusCode(int code, boolean requestCanBeInvalid, ErrorCategory category, String errorCode,
      String message) {
    assertThatThrownBy(() -> ApiServerReader.call("get", "secrets", "ns", "s",
        () -> { throw failure(code); }, requestCanBeInvalid))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(category);
          assertThat(e.code()).isEqualTo(errorCode);
          assertThat(e.getMessage()).isEqualTo(message);
        });
  }

  @Test
  void notFoundIsAnEmptyResult() {
    assertThat(ApiServerReader.call("get", "configmaps", "ns", "c", () -> { throw failure(404); }, false))
        .isEqualTo(Optional.empty());
  }

  @Test
  void aBrokenConnectionIsTransient() {
    assertThatThrownBy(() -> ApiServerReader.call("list", "services", "ns", null,
        () -> { throw new KubernetesClientException("connection reset"); }, false))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.TRANSIENT);
          assertThat(e.code()).isEqualTo("Unreachable");
          assertThat(e.getMessage()).isEqualTo("could not list services in namespace ns: connection reset");
        });
  }
}
