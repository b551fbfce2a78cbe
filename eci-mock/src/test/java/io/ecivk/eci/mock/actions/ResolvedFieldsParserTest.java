package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.model.ContainerGroupSpec;
import io.ecivk.eci.mock.model.Region;
import io.ecivk.eci.mock.network.Ipv4Cidr;
import io.ecivk.eci.mock.network.VSwitch;
import io.ecivk.eci.mock.sizing.SpecTable;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What a provider sends for resolved pods: ConfigFile volume limits, env FieldRef paths. */
class ResolvedFieldsParserTest {

    private final CreateRequestParser parser = new CreateRequestParser(new Region("cn-hangzhou", List.of(
            new VSwitch("vsw-a", "cn-hangzhou-i", Ipv4Cidr.parse("10.224.0.0/16"))), Set.of()),
            SpecTable.standard());

    private ContainerGroupSpec parse(Consumer<Map<String, String>> amend) {
        Map<String, String> params = new HashMap<>(ActionsFixture.minimalCreate("web-1"));
        amend.accept(params);
        return parser.parse(ApiRequest.of(params));
    }

    private void assertRejected(Consumer<Map<String, String>> amend, String message) {
        assertThatThrownBy(() -> parse(amend)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("InvalidParameter");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    private static String bytes(int n) {
        return Base64.getEncoder().encodeToString(new byte[n]);
    }

    private static Consumer<Map<String, String>> configFiles(int... sizes) {
        return p -> {
            p.put("Volume.1.Name", "cfg");
            p.put("Volume.1.Type", "ConfigFileVolume");
            for (int i = 0; i < sizes.length; i++) {
                p.put("Volume.1.ConfigFileVolume.ConfigFileToPath." + (i + 1) + ".Path", "f" + i);
                p.put("Volume.1.ConfigFileVolume.ConfigFileToPath." + (i + 1) + ".Content", bytes(sizes[i]));
            }
        };
    }

    @Test
    void configFilesUpTo60KbInAllAreStored() {
        assertThat(parse(configFiles(30 * 1024, 30 * 1024)).volumes().get(0).configFile().files()).hasSize(2);
    }

    @Test
    void configFilesOver60KbInAllAreRejected() {
        assertRejected(configFiles(30 * 1024, 30 * 1024, 1), "The specified parameter "
                + "\"Volume.1.ConfigFileVolume.ConfigFileToPath\" is not valid: the files of a ConfigFile volume must "
                + "be at most 60 KB in all.");
    }

    @Test
    void absoluteOrEscapingConfigFilePathsAreRejected() {
        for (String path : List.of("/etc/passwd", "a/../../b", "..")) {
            assertRejected(p -> {
                configFiles(1).accept(p);
                p.put("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path", path);
            }, "The specified parameter \"Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path\" is not valid: the path "
                    + "must be relative to the mount point, without \"..\".");
        }
    }

    @Test
    void envFieldRefOtherThanThePodIpIsRejected() {
        assertRejected(p -> {
            p.put("Container.1.EnvironmentVar.1.Key", "NODE");
            p.put("Container.1.EnvironmentVar.1.FieldRef.FieldPath", "spec.nodeName");
        }, "The specified parameter \"Container.1.EnvironmentVar.1.FieldRef.FieldPath\" is not valid: "
                + "\"spec.nodeName\" is not supported, only status.podIP.");
    }

    @Test
    void envWithAValueAndAFieldRefIsRejected() {
        assertRejected(p -> {
            p.put("Container.1.EnvironmentVar.1.Key", "IP");
            p.put("Container.1.EnvironmentVar.1.Value", "1.2.3.4");
            p.put("Container.1.EnvironmentVar.1.FieldRef.FieldPath", "status.podIP");
        }, "The specified parameter \"Container.1.EnvironmentVar.1.Value\" is not valid: a variable takes a Value "
                + "or a FieldRef, not both.");
    }
}
