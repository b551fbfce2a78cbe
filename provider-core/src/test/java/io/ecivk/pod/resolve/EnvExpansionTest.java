package io.ecivk.pod.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvExpansionTest {
  private static final Map<String, String> DEFINED = Map.of("VAR_A", "A", "VAR_B", "B", "VAR_EMPTY", "");
  private static final Map<String, String> SERVICES = Map.of("SVC_HOST", "10.0.0.1", "VAR_A", "service-a");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("whole string", "$(VAR_A)", "A"),
        Arguments.of("prefix and suffix", "pre-$(VAR_A)-post", "pre-A-post"),
        Arguments.of("two references", "$(VAR_A)$(VAR_B)", "AB"),
        Arguments.of("first context wins", "$(VAR_A)", "A"),
        Arguments.of("second context", "$(SVC_HOST):80", "10.0.0.1:80"),
        Arguments.of("empty value", "x$(VAR_EMPTY)y", "xy"),
        Arguments.of("undefined kept", "$(NOPE)", "$(NOPE)"),
        Arguments.of("escaped operator", "$$(VAR_A)", "$(VAR_A)"),
        Arguments.of("double escape then reference", "$$$(VAR_A)", "$A"),
        Arguments.of("escaped twice", "$$$$(VAR_A)", "$$(VAR_A)"),
        Arguments.of("lone operator", "cost $5", "cost $5"),
        Arguments.of("trailing operator", "abc$", "abc$"),
        Arguments.of("unclosed reference", "$(VAR_A", "$(VAR_A"),
        Arguments.of("unclosed after reference", "$(VAR_A)$(", "A$("),
        Arguments.of("empty name", "$()", "$()"),
        Arguments.of("nested not supported", "$(VAR_$(VAR_B))", "$(VAR_$(VAR_B))"),
        Arguments.of("operator before letter", "$VAR_A", "$VAR_A"),
        Arguments.of("no references", "plain", "plain"),
        Arguments.of("empty input", "", ""),
        Arguments.of("unicode around", "é$(VAR_B)ü", "éBü"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void expandsLikeTheKubelet(String name, String input, String expected) {
    assertThat(EnvExpansion.expand(input, EnvExpansion.mappingFor(List.of(DEFINED, SERVICES)))).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void commandAndArgsExpandAgainstTheResolvedEnvironment() {
    List<EnvVar> env = List.of(
        new EnvVar("PORT", "8080", null),
        new EnvVar("EMPTY", null, null),
        new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
            .endFieldRef().endValueFrom().build());
    assertThat(EnvExpansion.expandAll(List.of("serve", "--port=$(PORT)", "--bind=$(POD_IP)", "x$(EMPTY)y",
        "$$(PORT)"), env))
        .containsExactly("serve", "--port=8080", "--bind=$(POD_IP)", "xy", "$(PORT)");
    assertThat(EnvExpansion.expandAll(null, env)).isEmpty();
  }
}
