package io.ecivk.eci.mock.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParamsTest {

    @Test
    void flattenedQueryBecomesATreeOfListsInIndexOrder() {
        Params params = Params.of(FormQuery.decode(
                "Container.2.Name=second&Container.1.Name=first&Container.10.Name=tenth"
                        + "&Container.1.Command.2=-c&Container.1.Command.1=%2Fbin%2Fsh"
                        + "&Container.1.EnvironmentVar.1.Key=A&Container.1.EnvironmentVar.1.Value=x+y*%7E"
                        + "&Container.1.EnvironmentVar.2.Key=POD_IP"
                        + "&Container.1.EnvironmentVar.2.FieldRef.FieldPath=status.podIP&RegionId=cn-hangzhou"));

        List<Params> containers = params.list("Container");
        assertThat(containers).extracting(c -> c.required("Name")).containsExactly("first", "second", "tenth");
        Params first = containers.get(0);
        assertThat(first.path()).isEqualTo("Container.1");
        assertThat(first.strings("Command")).containsExactly("/bin/sh", "-c");
        List<Params> env = first.list("EnvironmentVar");
        assertThat(env.get(0).string("Value")).contains("x y*~");
        assertThat(env.get(1).child("FieldRef").string("FieldPath")).contains("status.podIP");
        assertThat(env.get(1).string("Value")).isEmpty();
        assertThat(params.required("RegionId")).isEqualTo("cn-hangzhou");
        assertThat(params.list("Volume")).isEmpty();
    }

    @Test
    void errorsNameTheFullParameterPath() {
        Params params = Params.of(Map.of("Container.2.Cpu", "lots", "Container.2.Port.1.Port", "70000",
                "Container.x.Name", "bad", "Flag", "yes"));
        Params second = params.child("Container").child("2");

        assertThatThrownBy(() -> second.required("Image")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("MissingParameter");
            assertThat(e.getMessage()).isEqualTo("The input parameter \"Container.2.Image\" that is mandatory "
                    + "for processing this request is not supplied.");
        });
        assertThatThrownBy(() -> second.decimal("Cpu")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("InvalidParameter");
            assertThat(e.getMessage()).contains("\"Container.2.Cpu\"");
        });
        assertThatThrownBy(() -> second.list("Port").get(0).integer("Port", 1, 65535))
                .hasMessageContaining("Container.2.Port.1.Port");
        assertThatThrownBy(() -> params.list("Container")).hasMessageContaining("Container.x");
        assertThatThrownBy(() -> params.bool("Flag")).hasMessageContaining("\"Flag\"");
        assertThatThrownBy(() -> params.oneOf("Flag", "no", Set.of("Always", "Never")))
                .hasMessageContaining("Always, Never");
    }

    @Test
    void emptyValuesCountAsAbsentAndTypedValuesParse() {
        Params params = Params.of(Map.of("Empty", "", "Cpu", "0.25", "Limit", "20", "WithEvent", "False"));

        assertThat(params.string("Empty")).isEmpty();
        assertThatThrownBy(() -> params.required("Empty")).hasMessageContaining("\"Empty\"");
        assertThat(params.decimal("Cpu")).contains(new BigDecimal("0.25"));
        assertThat(params.integer("Limit", 1, 20)).hasValue(20);
        assertThat(params.bool("WithEvent")).contains(false);
        assertThat(params.oneOf("Missing", "Always", Set.of("Always"))).isEqualTo("Always");
    }

    @Test
    void formDecodingTreatsPlusAsSpaceAndRejectsDuplicatesAndBadEscapes() {
        assertThat(FormQuery.decode("a=1+2%2B3&b&c=")).containsExactly(
                Map.entry("a", "1 2+3"), Map.entry("b", ""), Map.entry("c", ""));
        assertThat(FormQuery.decode("")).isEmpty();
        assertThatThrownBy(() -> FormQuery.decode("a=1&a=2")).hasMessageContaining("\"a\"");
        assertThatThrownBy(() -> FormQuery.decode("a=%G1")).isInstanceOf(ApiException.class);
    }
}
