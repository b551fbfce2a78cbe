package io.ecivk.eci.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EciPhasesTest {

  static Stream<Arguments> phases() {
    return Stream.of(
        Arguments.of("Scheduling", "Pending"),
        Arguments.of("Pending", "Pending"),
        Arguments.of("Restarting", "Pending"),
        Arguments.of("Updating", "Pending"),
        Arguments.of("Running", "Running"),
        Arguments.of("Terminating", "Running"),
        Arguments.of("Succeeded", "Succeeded"),
        Arguments.of("Failed", "Failed"),
        Arguments.of("Expired", "Failed"),
        Arguments.of("ScheduleFailed", "Failed"),
        Arguments.of("StartingFailed", "Failed"),
        Arguments.of("WatingForDel", "Failed"),
        Arguments.of("running", "Unknown"),
        Arguments.of("SomethingNew", "Unknown"),
        Arguments.of("", "Unknown"),
        Arguments.of(null, "Unknown"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("phases")
  void phase(String eciStatus, String expected) {
    assertThat(EciPhases.phase(eciStatus)).isEqualTo(expected);
  }
}
