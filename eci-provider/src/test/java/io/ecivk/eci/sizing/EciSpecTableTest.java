package io.ecivk.eci.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EciSpecTableTest {

  @Test
  void standardTableIsTheAllRegionsTableOfTheDocumentation() {
    assertThat(EciSpecTable.standard().specs())
        .extracting(EciSpec::label)
        .containsExactly(
            "0.25-0.5Gi", "0.25-1.0Gi",
            "0.5-1.0Gi", "0.5-2.0Gi",
            "1.0-2.0Gi", "1.0-4.0Gi", "1.0-8.0Gi",
            "2.0-1.0Gi", "2.0-2.0Gi", "2.0-4.0Gi", "2.0-8.0Gi", "2.0-16.0Gi",
            "4.0-2.0Gi", "4.0-4.0Gi", "4.0-8.0Gi", "4.0-16.0Gi", "4.0-32.0Gi",
            "8.0-4.0Gi", "8.0-8.0Gi", "8.0-16.0Gi", "8.0-32.0Gi", "8.0-64.0Gi",
            "12.0-12.0Gi", "12.0-24.0Gi", "12.0-48.0Gi", "12.0-96.0Gi",
            "16.0-16.0Gi", "16.0-32.0Gi", "16.0-64.0Gi", "16.0-128.0Gi",
            "24.0-24.0Gi", "24.0-48.0Gi", "24.0-96.0Gi", "24.0-192.0Gi",
            "32.0-32.0Gi", "32.0-64.0Gi", "32.0-128.0Gi", "32.0-256.0Gi",
            "52.0-96.0Gi", "52.0-192.0Gi", "52.0-384.0Gi",
            "64.0-128.0Gi", "64.0-256.0Gi", "64.0-512.0Gi");
    assertThat(EciSpecTable.standard().largest()).isEqualTo(new EciSpec(64f, 512f));
  }

  static Stream<Arguments> fitting() {
    return Stream.of(
        Arguments.of("exact entry", 2f, 4f, "2.0-4.0Gi"),
        Arguments.of("smallest of all", 0f, 0f, "0.25-0.5Gi"),
        Arguments.of("memory decides within the vCPU step", 1f, 3f, "1.0-4.0Gi"),
        Arguments.of("fewest vCPUs first, even with more memory than needed", 1.5f, 1f, "2.0-1.0Gi"),
        Arguments.of("memory forces more vCPUs", 1f, 9f, "2.0-16.0Gi"),
        Arguments.of("seven vCPU, 13 GiB (the documentation's example, without region-limited specs)", 7f, 13f,
            "8.0-16.0Gi"),
        Arguments.of("between 32 and 52", 33f, 10f, "52.0-96.0Gi"),
        Arguments.of("memory-heavy", 2f, 300f, "52.0-384.0Gi"),
        Arguments.of("largest", 64f, 512f, "64.0-512.0Gi"));
  }

  @ParameterizedTest(name = "{0}: {1} vCPU / {2} GiB -> {3}")
  @MethodSource("fitting")
  void smallestFitting(String name, float cpu, float memory, String expected) {
    assertThat(EciSpecTable.standard().smallestFitting(cpu, memory)).map(EciSpec::label).contains(expected);
  }

  static Stream<Arguments> tooLarge() {
    return Stream.of(
        Arguments.of("more vCPUs than 64", 65f, 1f),
        Arguments.of("more memory than 512 GiB", 1f, 513f),
        Arguments.of("64 vCPU fits but not with 600 GiB", 64f, 600f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tooLarge")
  void nothingFits(String name, float cpu, float memory) {
    assertThat(EciSpecTable.standard().smallestFitting(cpu, memory)).isEmpty();
  }

  @Test
  void customTableIsSortedAndDeduplicated() {
    EciSpecTable table =
        new EciSpecTable(List.of(new EciSpec(4, 8), new EciSpec(1, 2), new EciSpec(4, 8), new EciSpec(2, 6)));

    assertThat(table.specs()).extracting(EciSpec::label).containsExactly("1.0-2.0Gi", "2.0-6.0Gi", "4.0-8.0Gi");
    assertThat(table.smallestFitting(2f, 4f)).map(EciSpec::label).contains("2.0-6.0Gi");
    assertThat(table.smallestFitting(2f, 7f)).map(EciSpec::label).contains("4.0-8.0Gi");
    assertThat(table.largest().label()).isEqualTo("4.0-8.0Gi");
  }

  @Test
  void emptyTableIsRefused() {
    assertThatThrownBy(() -> new EciSpecTable(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an ECI spec table needs at least one spec");
  }
}
