package io.ecivk.eci.client.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.ratelimit.RateLimit;
import io.ecivk.eci.client.ratelimit.RateLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecContainerCommandRequestTest {

  @Test
  void flattensTheCommandIntoOneJsonArrayParameter() {
    ExecContainerCommandRequest request = ExecContainerCommandRequest
        .builder("eci-1", "app", List.of("/bin/sh", "-c", "echo \"a b\" <x>")).tty(true).stdin(false).build();

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("ContainerGroupId", "eci-1");
    expected.put("ContainerName", "app");
    expected.put("Command", "[\"/bin/sh\",\"-c\",\"echo \\\"a b\\\" <x>\"]");
    expected.put("TTY", true);
    expected.put("Stdin", false);
    assertThat(request.action()).isEqualTo("ExecContainerCommand");
    assertThat(request.toParams()).containsExactlyEntriesOf(expected);
  }

  @Test
  void unsetFlagsAreLeftToTheService() {
    assertThat(ExecContainerCommandRequest.builder("eci-1", "app", List.of("ls")).build().toParams())
        .containsOnlyKeys("ContainerGroupId", "ContainerName", "Command");
  }

  @Test
  void commandLimits() {
    assertThat(ExecContainerCommandRequest.commandProblem(List.of("ls"))).isNull();
    assertThat(ExecContainerCommandRequest.commandProblem(java.util.Collections.nCopies(20, "x".repeat(256))))
        .isNull();
    assertThat(ExecContainerCommandRequest.commandProblem(java.util.Collections.nCopies(21, "x")))
        .isEqualTo("ECI runs commands of at most 20 words, this one has 21");
    assertThat(ExecContainerCommandRequest.commandProblem(List.of("echo", "x".repeat(257))))
        .isEqualTo("ECI takes command words of at most 256 characters, one has 257");
    assertThat(ExecContainerCommandRequest.commandProblem(List.of(""))).isEqualTo("the command must not be empty");
    assertThat(ExecContainerCommandRequest.commandProblem(List.of())).isEqualTo("the command must not be empty");
  }

  @Test
  void publishedRateLimitIs500AMinute() {
    assertThat(RateLimits.defaults().forAction("ExecContainerCommand")).isEqualTo(RateLimit.perMinute(500));
  }
}
