package io.ecivk.eci.mock.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecTableTest {

    private final SpecTable table = SpecTable.standard();

    @ParameterizedTest(name = "{0} vCPU / {1} GiB -> {2} (adjusted: {3})")
    @CsvSource({
        // requested cpu, memory -> chosen spec, AutoInstanceTypeMatch?
        "0.5,  0.5, 0.5-1.0Gi,   true",
        "1.5,  3,   2.0-4.0Gi,   true",
        "1,    1,   1.0-2.0Gi,   true",
        "4,    8,   4.0-8.0Gi,   false",
        "64,   512, 64.0-512.0Gi, false",
        "0,    0,   2.0-4.0Gi,   false",
        "2.0,  4.0, 2.0-4.0Gi,   false",
        "0.25, 0.5, 0.25-0.5Gi,  false",
        "0.1,  0.1, 0.25-0.5Gi,  true",
        "1,    0,   1.0-2.0Gi,   true",
        "0,    3,   1.0-4.0Gi,   true",
        "3,    20,  4.0-32.0Gi,  true",
        "4,    40,  8.0-64.0Gi,  true",
        "52,   96,  52.0-96.0Gi, false",
    })
    void roundsLikeEci(String cpu, String memory, String expected, boolean adjusted) throws Exception {
        SpecMatch match = table.match(Spec.of(cpu, memory));

        assertThat(match.spec().label()).isEqualTo(expected);
        assertThat(match.adjusted()).isEqualTo(adjusted);
    }

    @ParameterizedTest(name = "{0} vCPU / {1} GiB is rejected")
    @CsvSource({
        "7,  13",  // more than 4 vCPU must be exact
        "65, 1",   // beyond the largest spec
        "8,  7",
        "2,  600", // nothing has that much memory
    })
    void rejectsWhatEciRejects(String cpu, String memory) {
        assertThatThrownBy(() -> table.match(Spec.of(cpu, memory)))
                .isInstanceOf(NoMatchingSpecException.class)
                .hasMessageContaining(Spec.of(cpu, memory).label());
    }
}
