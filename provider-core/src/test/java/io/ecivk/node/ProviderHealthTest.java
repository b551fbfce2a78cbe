package io.ecivk.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ProviderHealthTest {

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new ProviderException(ErrorCategory.TRANSIENT, "ServiceUnavailable", "connect timed out"),
            "ProviderUnavailable", "ServiceUnavailable: connect timed out"),
        Arguments.of(new ProviderException(ErrorCategory.THROTTLED, "Throttling.User", "Request was denied",
            "4F1E-REQ", Duration.ofSeconds(2), null),
            "ProviderThrottled", "Throttling.User: Request was denied (request id 4F1E-REQ)"),
        Arguments.of(new ProviderException(ErrorCategory.AUTH, "InvalidAccessKeyId.NotFound", "Specified access "
            + "key is not found."), "ProviderAuthFailed", "InvalidAccessKeyId.NotFound: Specified access key is "
            + "not found."),
        Arguments.of(new ProviderException(ErrorCategory.NOT_FOUND, "InvalidRegionId", "no such region"),
            "ProviderNotFound", "InvalidRegionId: no such region"),
        Arguments.of(new ProviderException(ErrorCategory.INVALID_REQUEST, "MissingParameter", "RegionId"),
            "ProviderRequestInvalid", "MissingParameter: RegionId"),
        Arguments.of(new IllegalStateException("bug"), "ProviderPingFailed", "IllegalStateException: bug"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void aFailedPingBecomesAFalseConditionWithReasonAndMessageFromTheException(
      RuntimeException e, String reason, String message) {
    ProviderHealth h = ProviderHealth.failed(e);

    assertThat(h.reachable()).isFalse();
    assertThat(h.conditionStatus()).isEqualTo("False");
    assertThat(h.reason()).isEqualTo(reason);
    assertThat(h.message()).isEqualTo(message);
  }

  @Test
  void okAndPending() {
    assertThat(ProviderHealth.ok()).isEqualTo(
        new ProviderHealth(true, "ProviderReachable", "the provider answered its last ping"));
    assertThat(ProviderHealth.pending(Duration.ofSeconds(10))).isEqualTo(new ProviderHealth(false,
        "ProviderPingPending", "the provider has not answered its first ping within 10000 ms"));
  }

  @Test
  void aThrottledPingKeepsWhatWasKnownAndIsNoOutage() {
    ProviderException throttled = new ProviderException(ErrorCategory.THROTTLED, "ClientRateLimit", "no token");
    ProviderHealth down = ProviderHealth.failed(new ProviderException(ErrorCategory.TRANSIENT, "ConnectionFailure", "refused"));

    assertThat(ProviderHealth.afterPing(null, throttled)).isEqualTo(ProviderHealth.ok());
    assertThat(ProviderHealth.afterPing(ProviderHealth.ok(), throttled)).isEqualTo(ProviderHealth.ok());
    assertThat(ProviderHealth.afterPing(down, throttled)).isEqualTo(down);
    assertThat(ProviderHealth.afterPing(down, null)).isEqualTo(ProviderHealth.ok());
    assertThat(ProviderHealth.afterPing(ProviderHealth.ok(), new ProviderException(ErrorCategory.AUTH,
        "SignatureDoesNotMatch", "bad secret")).reason()).isEqualTo("ProviderAuthFailed");
  }
}
