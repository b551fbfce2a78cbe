package io.ecivk.eci.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EciSpecTest {

  static Stream<Arguments> labels() {
    return Stream.of(
        Arguments.of("whole numbers get one decimal", 2f, 4f, "2.0-4.0Gi"),
        Arguments.of("quarter vCPU is not rounded", 0.25f, 0.5f, "0.25-0.5Gi"),
        Arguments.of("half vCPU", 0.5f, 1f, "0.5-1.0Gi"),
        Arguments.of("largest", 64f, 512f, "64.0-512.0Gi"),
        Arguments.of("two digits", 12f, 96f, "12.0-96.0Gi"),
        Arguments.of("a custom odd spec keeps its decimals", 1.5f, 3.75f, "1.5-3.75Gi"));
  }

  @ParameterizedTest(name = "{0}: {1}/{2} -> {3}")
  @MethodSource("labels")
  void label(String name, float cpu, float memory, String expected) {
    assertThat(new EciSpec(cpu, memory).label()).isEqualTo(expected);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("zero cpu", 0f, 1f, "cpu must be a positive number: 0.0"),
        Arguments.of("negative memory", 1f, -1f, "memoryGiB must be a positive number: -1.0"),
        Arguments.of("NaN cpu", Float.NaN, 1f, "cpu must be a positive number: NaN"),
        Arguments.of("infinite memory", 1f, Float.POSITIVE_INFINITY, "memoryGiB must be a positive number: Infinity"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsNonPositiveValues(String name, float cpu, float memory, String message) {
    assertThatThrownBy(() -> new EciSpec(cpu, memory))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
