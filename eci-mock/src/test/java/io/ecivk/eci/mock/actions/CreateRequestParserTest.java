package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.model.ContainerGroupSpec;
import io.ecivk.eci.mock.model.ContainerSpec;
import io.ecivk.eci.mock.model.EnvVar;
import io.ecivk.eci.mock.model.Region;
import io.ecivk.eci.mock.model.ScheduleStrategy;
import io.ecivk.eci.mock.network.Ipv4Cidr;
import io.ecivk.eci.mock.network.VSwitch;
import io.ecivk.eci.mock.sizing.SpecTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreateRequestParserTest {

    private final Region region = new Region("cn-hangzhou", List.of(
            new VSwitch("vsw-a", "cn-hangzhou-i", Ipv4Cidr.parse("10.224.0.0/16")),
            new VSwitch("vsw-b", "cn-hangzhou-j", Ipv4Cidr.parse("10.225.0.0/16"))), Set.of());
    private final CreateRequestParser parser = new CreateRequestParser(region, SpecTable.standard());

    private ContainerGroupSpec parse(Map<String, String> params) {
        return parser.parse(ApiRequest.of(params));
    }

    private Map<String, String> request(Consumer<Map<String, String>> amend) {
        Map<String, String> params = new HashMap<>(ActionsFixture.minimalCreate("web-1"));
        amend.accept(params);
        return params;
    }

    private void assertRejected(Map<String, String> params, int status, String code, String named) {
        assertThatThrownBy(() -> parse(params)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(named);
        });
    }

    @Test
    void parsesEverythingTheCreateCallCarries() {
        ContainerGroupSpec spec = parse(request(p -> {
            p.put("VSwitchId", "vsw-b,vsw-a");
            p.put("ScheduleStrategy", "VSwitchRandom");
            p.put("RestartPolicy", "Never");
            p.put("Container.1.Cpu", "0.5");
            p.put("Container.1.Memory", "1.0");
            p.put("Container.1.Command.1", "/bin/sh");
            p.put("Container.1.Command.2", "-c");
            p.put("Container.1.Arg.1", "echo hi && sleep 3600");
            p.put("Container.1.WorkingDir", "/srv");
            p.put("Container.1.EnvironmentVar.1.Key", "A");
            p.put("Container.1.EnvironmentVar.1.Value", "x y");
            p.put("Container.1.EnvironmentVar.2.Key", "POD_IP");
            p.put("Container.1.EnvironmentVar.2.FieldRef.FieldPath", "status.podIP");
            p.put("Container.1.Port.1.Port", "80");
            p.put("Container.1.Port.1.Protocol", "UDP");
            p.put("Container.1.VolumeMount.1.Name", "cfg");
            p.put("Container.1.VolumeMount.1.MountPath", "/etc/cfg");
            p.put("Container.1.VolumeMount.1.ReadOnly", "true");
            p.put("Container.1.ReadinessProbe.HttpGet.Path", "/healthz");
            p.put("Container.1.ReadinessProbe.HttpGet.Port", "8080");
            p.put("InitContainer.1.Name", "init");
            p.put("InitContainer.1.Image", "busybox");
            p.put("InitContainer.1.Cpu", "1.0");
            p.put("Volume.1.Name", "cfg");
            p.put("Volume.1.Type", "ConfigFileVolume");
            p.put("Tag.1.Key", "PodName");
            p.put("Tag.1.Value", "web");
            p.put("ClientToken", "uid-1234");
        }));

        assertThat(spec.vSwitchCandidates()).extracting(VSwitch::id).containsExactly("vsw-b", "vsw-a");
        assertThat(spec.scheduleStrategy()).isEqualTo(ScheduleStrategy.VSWITCH_RANDOM);
        assertThat(spec.restartPolicy()).isEqualTo("Never");
        ContainerSpec app = spec.containers().get(0);
        assertThat(app.commands()).containsExactly("/bin/sh", "-c");
        assertThat(app.args()).containsExactly("echo hi && sleep 3600");
        assertThat(app.workingDir()).isEqualTo("/srv");
        assertThat(app.imagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(app.environmentVars()).containsExactly(new EnvVar("A", "x y", null),
                new EnvVar("POD_IP", null, "status.podIP"));
        assertThat(app.ports()).singleElement().satisfies(port -> {
            assertThat(port.port()).isEqualTo(80);
            assertThat(port.protocol()).isEqualTo("UDP");
        });
        assertThat(app.volumeMounts()).singleElement().satisfies(mount -> assertThat(mount.readOnly()).isTrue());
        assertThat(spec.initContainers()).extracting(ContainerSpec::name).containsExactly("init");
        assertThat(spec.volumes()).singleElement().satisfies(v -> assertThat(v.type()).isEqualTo("ConfigFileVolume"));
        assertThat(spec.tag("PodName")).isEqualTo("web");
        assertThat(spec.clientToken()).isEqualTo("uid-1234");
        // Sum of containers (0.5/1) raised to the largest init container (1.0 vCPU) -> 1.0/1.0 -> rounded to 1/2.
        assertThat(spec.size().spec().label()).isEqualTo("1.0-2.0Gi");
        assertThat(spec.size().adjusted()).isTrue();
        // The raw parameters are kept as well.
        assertThat(spec.parameters()).containsEntry("Container.1.ReadinessProbe.HttpGet.Path", "/healthz");
    }

    @Test
    void sizingUsesInstanceLevelResourcesFirstAndDefaultsToTwoByFour() {
        assertThat(parse(request(p -> {
            p.put("Cpu", "4.0");
            p.put("Memory", "8.0");
            p.put("Container.1.Cpu", "0.5");
        })).size().spec().label()).isEqualTo("4.0-8.0Gi");
        assertThat(parse(request(p -> { })).size().spec().label()).isEqualTo("2.0-4.0Gi");
        assertThat(parse(request(p -> {
            p.put("Container.1.Cpu", "1");
            p.put("Container.1.Memory", "2");
            p.put("Container.2.Name", "sidecar");
            p.put("Container.2.Image", "envoy");
            p.put("Container.2.Cpu", "1");
            p.put("Container.2.Memory", "2");
        })).size()).satisfies(size -> {
            assertThat(size.spec().label()).isEqualTo("2.0-4.0Gi");
            assertThat(size.adjusted()).isFalse();
        });
        assertRejected(request(p -> {
            p.put("Cpu", "7");
            p.put("Memory", "13");
        }), 400, "InvalidParameter", "7.0-13.0Gi");
    }

    @Test
    void requiredParametersAreNamed() {
        for (String required : List.of("ContainerGroupName", "SecurityGroupId", "VSwitchId")) {
            assertRejected(request(p -> p.remove(required)), 400, "MissingParameter", "\"" + required + "\"");
        }
        assertRejected(request(p -> p.remove("Container.1.Image")), 400, "MissingParameter", "Container.1.Image");
        assertRejected(request(p -> {
            p.remove("Container.1.Name");
            p.remove("Container.1.Image");
        }), 400, "MissingParameter", "Container.1.Name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "-web", "web-", "Web", "web_1", "web.1"})
    void rejectsBadGroupNames(String name) {
        assertRejected(request(p -> p.put("ContainerGroupName", name)), 400, "InvalidParameter",
                "ContainerGroupName");
    }

    @Test
    void acceptsGroupNamesAtTheLengthLimits() {
        assertThat(parse(request(p -> p.put("ContainerGroupName", "ab"))).name()).isEqualTo("ab");
        String longest = "a".repeat(128);
        assertThat(parse(request(p -> p.put("ContainerGroupName", longest))).name()).isEqualTo(longest);
        assertRejected(request(p -> p.put("ContainerGroupName", longest + "a")), 400, "InvalidParameter",
                "ContainerGroupName");
    }

    @Test
    void rejectsBadContainers() {
        assertRejected(request(p -> p.put("Container.1.Name", "App")), 400, "InvalidParameter", "Container.1.Name");
        assertRejected(request(p -> {
            p.put("Container.2.Name", "app");
            p.put("Container.2.Image", "busybox");
        }), 400, "InvalidParameter", "Container.2.Name");
        assertRejected(request(p -> p.put("Container.1.ImagePullPolicy", "Sometimes")), 400, "InvalidParameter",
                "Container.1.ImagePullPolicy");
        assertRejected(request(p -> p.put("Container.1.Port.1.Protocol", "TCP")), 400, "MissingParameter",
                "Container.1.Port.1.Port");
        assertRejected(request(p -> {
            p.put("Container.1.VolumeMount.1.Name", "nope");
            p.put("Container.1.VolumeMount.1.MountPath", "/x");
        }), 400, "InvalidParameter", "Container.1.VolumeMount.1.Name");
        assertRejected(request(p -> p.put("Container.1.Cpu", "-1")), 400, "InvalidParameter", "Container.1.Cpu");
    }

    @Test
    void enforcesListLimits() {
        assertRejected(request(p -> {
            for (int i = 1; i <= 21; i++) {
                p.put("Container." + i + ".Name", "c" + i);
                p.put("Container." + i + ".Image", "busybox");
            }
        }), 400, "InvalidParameter", "\"Container\"");
        assertRejected(request(p -> {
            for (int i = 1; i <= 21; i++) {
                p.put("Tag." + i + ".Key", "k" + i);
            }
        }), 400, "InvalidParameter", "\"Tag\"");
        assertRejected(request(p -> {
            for (int i = 1; i <= 21; i++) {
                p.put("Volume." + i + ".Name", "v" + i);
                p.put("Volume." + i + ".Type", "EmptyDirVolume");
            }
        }), 400, "InvalidParameter", "\"Volume\"");
        assertRejected(request(p -> p.put("VSwitchId", "vsw-a,vsw-b,vsw-c,vsw-d,vsw-e,vsw-f,vsw-g,vsw-h,vsw-i,"
                + "vsw-j,vsw-k")), 400, "InvalidParameter", "VSwitchId");
    }

    @Test
    void rejectsBadEnumsTokensAndNetworkReferences() {
        assertRejected(request(p -> p.put("RestartPolicy", "Sometimes")), 400, "InvalidParameter", "RestartPolicy");
        assertRejected(request(p -> p.put("ScheduleStrategy", "Whatever")), 400, "InvalidParameter",
                "ScheduleStrategy");
        assertRejected(request(p -> p.put("ClientToken", "x".repeat(65))), 400, "InvalidParameter", "ClientToken");
        assertRejected(request(p -> p.put("ClientToken", "tökén")), 400, "InvalidParameter", "ClientToken");
        assertRejected(request(p -> p.put("VSwitchId", "vsw-a,vsw-zzz")), 400, "InvalidVSwitchId.NotFound",
                "vsw-zzz");
        assertRejected(request(p -> p.put("SecurityGroupId", "default")), 400, "InvalidSecurityGroupId.NotFound",
                "default");
        assertRejected(request(p -> p.put("ZoneId", "cn-hangzhou-k")), 400, "InvalidParameter", "ZoneId");
        assertRejected(request(p -> p.put("DryRun", "true")), 400, "DryRunOperation", "DryRun");
    }

    @Test
    void zoneIdNarrowsTheVSwitchCandidates() {
        ContainerGroupSpec spec = parse(request(p -> {
            p.put("VSwitchId", "vsw-a,vsw-b");
            p.put("ZoneId", "cn-hangzhou-j");
        }));
        assertThat(spec.vSwitchCandidates()).extracting(VSwitch::id).containsExactly("vsw-b");
    }

    @Test
    void configuredSecurityGroupsAreTheOnlyOnesThatExist() {
        CreateRequestParser strict = new CreateRequestParser(new Region("cn-hangzhou", region.vSwitches(),
                Set.of("sg-known")), SpecTable.standard());
        assertThatThrownBy(() -> strict.parse(ApiRequest.of(request(p -> { }))))
                .hasMessageContaining("sg-1");
        assertThat(strict.parse(ApiRequest.of(request(p -> p.put("SecurityGroupId", "sg-known"))))
                .securityGroupId()).isEqualTo("sg-known");
    }

    @Test
    void defaultPullPolicyFollowsKubernetes() {
        assertThat(CreateRequestParser.defaultPullPolicy("nginx")).isEqualTo("Always");
        assertThat(CreateRequestParser.defaultPullPolicy("nginx:latest")).isEqualTo("Always");
        assertThat(CreateRequestParser.defaultPullPolicy("localhost:5000/nginx")).isEqualTo("Always");
        assertThat(CreateRequestParser.defaultPullPolicy("localhost:5000/nginx:1.25")).isEqualTo("IfNotPresent");
        assertThat(CreateRequestParser.defaultPullPolicy("nginx@sha256:abc")).isEqualTo("IfNotPresent");
    }
}
