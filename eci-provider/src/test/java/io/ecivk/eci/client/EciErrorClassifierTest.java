package io.ecivk.eci.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaRetryableException;
import com.aliyun.tea.TeaUnretryableException;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EciErrorClassifierTest {

  static Stream<Arguments> serviceErrors() {
    return Stream.of(
        Arguments.of("Throttling.User", 503, ErrorCategory.THROTTLED),
        Arguments.of("Throttling.User", 400, ErrorCategory.THROTTLED),
        Arguments.of("Throttling", 429, ErrorCategory.THROTTLED),
        Arguments.of("Throttling.Api", 503, ErrorCategory.THROTTLED),
        Arguments.of("TooManyRequests", 429, ErrorCategory.THROTTLED),
        Arguments.of("InternalError", 500, ErrorCategory.TRANSIENT),
        Arguments.of("ServiceUnavailable", 503, ErrorCategory.TRANSIENT),
        Arguments.of("ServiceUnavailableTemporary", 503, ErrorCategory.TRANSIENT),
        Arguments.of("IncorrectStatus", 400, ErrorCategory.TRANSIENT),
        Arguments.of("OperationConflict", 400, ErrorCategory.TRANSIENT),
        Arguments.of("SignatureNonceUsed", 400, ErrorCategory.TRANSIENT),
        Arguments.of("InvalidContainerGroup.NotFound", 404, ErrorCategory.NOT_FOUND),
        Arguments.of("InvalidAccessKeyId.NotFound", 404, ErrorCategory.AUTH),
        Arguments.of("SignatureDoesNotMatch", 400, ErrorCategory.AUTH),
        Arguments.of("IncompleteSignature", 400, ErrorCategory.AUTH),
        Arguments.of("InvalidTimeStamp.Expired", 400, ErrorCategory.AUTH),
        Arguments.of("InvalidSecurityToken.Expired", 400, ErrorCategory.AUTH),
        Arguments.of("Forbidden.RAM", 403, ErrorCategory.AUTH),
        Arguments.of("Forbidden.SubUser", 403, ErrorCategory.AUTH),
        Arguments.of("SomethingNew", 401, ErrorCategory.AUTH),
        Arguments.of("InvalidCredentials", 0, ErrorCategory.AUTH),
        Arguments.of("MissingParameter", 400, ErrorCategory.INVALID_REQUEST),
        Arguments.of("InvalidParameter", 400, ErrorCategory.INVALID_REQUEST),
        Arguments.of("IdempotentParameterMismatch", 400, ErrorCategory.INVALID_REQUEST),
        Arguments.of("InvalidVSwitchId.NotFound", 400, ErrorCategory.INVALID_REQUEST),
        Arguments.of("InvalidAction.NotFound", 404, ErrorCategory.INVALID_REQUEST));
  }

  @ParameterizedTest(name = "{0} HTTP {1} -> {2}")
  @MethodSource("serviceErrors")
  void classifiesServiceErrorsByCodeThenStatus(String code, int status, ErrorCategory expected) {
    ProviderException e = EciErrorClassifier.classify("DeleteContainerGroup", teaException(code, status));

    assertThat(e.category()).isEqualTo(expected);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.requestId()).contains("REQ-1");
    assertThat(e.getMessage()).startsWith("DeleteContainerGroup failed: " + code).endsWith(": the service said why");
  }

  @Test
  void connectionRefusedIsTransient() {
    var refused = new TeaUnretryableException(null, new TeaRetryableException(new ConnectException("refused")));

    ProviderException e = EciErrorClassifier.classify("DescribeRegions", refused);

    assertThat(e.category()).isEqualTo(ErrorCategory.TRANSIENT);
    assertThat(e.code()).isEqualTo("ConnectionFailure");
    assertThat(e.requestId()).isEmpty();
    assertThat(e.getCause()).isSameAs(refused);
    assertThat(e.getMessage()).isEqualTo("DescribeRegions got no answer from ECI: ConnectException: refused");
  }

  @Test
  void readTimeoutIsTransientTimeout() {
    var timeout = new TeaUnretryableException(null, new SocketTimeoutException("timeout"));

    ProviderException e = EciErrorClassifier.classify("CreateContainerGroup", timeout);

    assertThat(e.category()).isEqualTo(ErrorCategory.TRANSIENT);
    assertThat(e.code()).isEqualTo("Timeout");
  }

  @Test
  void unknownClientFailureIsTransientAndKeepsTheCause() {
    var odd = new IllegalStateException("bad gzip");

    ProviderException e = EciErrorClassifier.classify("DescribeContainerGroups", odd);

    assertThat(e.category()).isEqualTo(ErrorCategory.TRANSIENT);
    assertThat(e.code()).isEqualTo("ClientFailure");
    assertThat(e.getCause()).isSameAs(odd);
  }

  @Test
  void alreadyClassifiedExceptionPassesThrough() {
    var classified = new ProviderException(ErrorCategory.NOT_FOUND, "X", "gone");

    assertThat(EciErrorClassifier.classify("A", classified)).isSameAs(classified);
  }

  private static TeaException teaException(String code, int status) {
    Map<String, Object> data = new HashMap<>();
    data.put("RequestId", "REQ-1");
    data.put("Code", code);
    data.put("Message", "the service said why");
    if (status > 0) {
      data.put("statusCode", status); // where the SDK puts the HTTP status of an error answer
    }
    Map<String, Object> map = new HashMap<>();
    map.put("code", code);
    map.put("message", "code: " + status + ", the service said why request id: REQ-1");
    map.put("data", data);
    return new TeaException(map);
  }
}
