package io.ecivk.kubeletapi.remotecommand;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteCommandStatusTest {

  @Test
  void successIsTheEmptyStatusGoEncodes() {
    RemoteCommandStatus status = RemoteCommandStatus.success();
    assertThat(status.json()).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
    assertThat(status.legacyText()).isEmpty();
  }

  @Test
  void nonZeroExitCarriesTheExitCodeCause() {
    RemoteCommandStatus status = RemoteCommandStatus.nonZeroExit(3, List.of("sh", "-c", "exit 3"));
    assertThat(status.json()).isEqualTo("{\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"command terminated with non-zero exit code: error executing command [sh -c exit 3], "
        + "exit code 3\",\"reason\":\"NonZeroExitCode\","
        + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}");
    assertThat(status.legacyText()).isEqualTo(Optional.of(
        "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3"));
  }

  @Test
  void internalErrorIsLikeNewInternalError() {
    RemoteCommandStatus status =
        RemoteCommandStatus.internalError("error executing command in container: container main is gone");
    assertThat(status.json()).isEqualTo("{\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"Internal error occurred: error executing command in container: container main is gone\","
        + "\"reason\":\"InternalError\","
        + "\"details\":{\"causes\":[{\"message\":\"error executing command in container: container main is gone\"}]},"
        + "\"code\":500}");
    assertThat(status.legacyText()).isEqualTo(Optional.of(
        "Internal error occurred: error executing command in container: container main is gone"));
  }

  @Test
  void quotesAsGoDoes() {
    assertThat(RemoteCommandStatus.quote("a\"b\\c\nd\te<f>&\u0001"))
        .isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u003cf\\u003e\\u0026\\u0001\"");
  }
}
