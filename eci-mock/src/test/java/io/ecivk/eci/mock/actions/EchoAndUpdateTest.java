package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.sizing.SpecTable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DescribeContainerGroups echo keys and UpdateContainerGroup semantics, with a hand-driven clock. */
class EchoAndUpdateTest {

    private final ActionsFixture fixture = new ActionsFixture();
    private final UpdateContainerGroupAction update = new UpdateContainerGroupAction(
            new CreateRequestParser(fixture.region, SpecTable.standard()), fixture.store);

    private static Map<String, String> richCreate() {
        Map<String, String> p = ActionsFixture.minimalCreate("rich");
        p.put("Container.1.Gpu", "1");
        p.put("Container.1.Tty", "true");
        p.put("Container.1.WorkingDir", "/srv");
        p.put("Container.1.EnvironmentVar.1.Key", "POD_IP");
        p.put("Container.1.EnvironmentVar.1.FieldRef.FieldPath", "status.podIP");
        p.put("Container.1.VolumeMount.1.Name", "cfg");
        p.put("Container.1.VolumeMount.1.MountPath", "/etc/app");
        p.put("Container.1.VolumeMount.1.SubPath", "app.conf");
        p.put("Container.1.ReadinessProbe.HttpGet.Path", "/ready");
        p.put("Container.1.ReadinessProbe.HttpGet.Port", "8080");
        p.put("Container.1.ReadinessProbe.HttpGet.Scheme", "HTTP");
        p.put("Container.1.ReadinessProbe.PeriodSeconds", "10");
        p.put("Container.1.LivenessProbe.Exec.Command.1", "true");
        p.put("Container.1.SecurityContext.Capability.Add.1", "NET_ADMIN");
        p.put("Container.1.SecurityContext.ReadOnlyRootFilesystem", "true");
        p.put("Container.1.SecurityContext.RunAsUser", "1000");
        p.put("InitContainer.1.Name", "init");
        p.put("InitContainer.1.Image", "busybox");
        p.put("InitContainer.1.VolumeMount.1.Name", "cfg");
        p.put("InitContainer.1.VolumeMount.1.MountPath", "/cfg");
        p.put("Volume.1.Name", "cfg");
        p.put("Volume.1.Type", "ConfigFileVolume");
        p.put("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path", "app.conf");
        p.put("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Content", "aGVsbG8=");
        p.put("Volume.2.Name", "nas");
        p.put("Volume.2.Type", "NFSVolume");
        p.put("Volume.2.NFSVolume.Server", "nas.example.com");
        p.put("Volume.2.NFSVolume.Path", "/share");
        p.put("Volume.3.Name", "tmp");
        p.put("Volume.3.Type", "EmptyDirVolume");
        p.put("Volume.3.EmptyDirVolume.Medium", "Memory");
        p.put("DnsPolicy", "None");
        p.put("DnsConfig.NameServer.1", "10.0.0.10");
        p.put("DnsConfig.Search.1", "svc.local");
        p.put("DnsConfig.Option.1.Name", "ndots");
        p.put("DnsConfig.Option.1.Value", "2");
        p.put("HostAliase.1.Ip", "10.0.0.5");
        p.put("HostAliase.1.Hostname.1", "db");
        p.put("SecurityContext.Sysctl.1.Name", "net.core.somaxconn");
        p.put("SecurityContext.Sysctl.1.Value", "1024");
        p.put("SpotStrategy", "SpotWithPriceLimit");
        p.put("SpotPriceLimit", "0.5");
        p.put("EphemeralStorage", "20");
        p.put("RamRoleName", "eci-role");
        p.put("ComputeCategory.1", "economy");
        p.put("ImageRegistryCredential.1.Server", "registry.example.com");
        p.put("ImageRegistryCredential.1.UserName", "robot");
        p.put("ImageRegistryCredential.1.Password", "s3cr3t");
        return p;
    }

    @Test
    void describeEchoesTheNewFieldsWithTheSdkKeys() {
        JsonObject group = fixture.describeOne(fixture.create(richCreate()));
        assertThat(group.toString()).doesNotContain("s3cr3t").doesNotContain("ImageRegistryCredential");
        assertThat(group.get("SpotStrategy").getAsString()).isEqualTo("SpotWithPriceLimit");
        assertThat(group.get("SpotPriceLimit").getAsDouble()).isEqualTo(0.5);
        assertThat(group.get("EphemeralStorage").getAsInt()).isEqualTo(20);
        assertThat(group.get("RamRoleName").getAsString()).isEqualTo("eci-role");
        assertThat(group.get("ComputeCategory").getAsString()).isEqualTo("economy");
        assertThat(group.get("DnsPolicy").getAsString()).isEqualTo("None");
        assertThat(group.get("DnsConfig")).isEqualTo(JsonParser.parseString(
                "{\"NameServers\":[\"10.0.0.10\"],\"Searches\":[\"svc.local\"],"
                        + "\"Options\":[{\"Name\":\"ndots\",\"Value\":\"2\"}]}"));
        assertThat(group.get("HostAliases")).isEqualTo(JsonParser.parseString(
                "[{\"Ip\":\"10.0.0.5\",\"Hostnames\":[\"db\"]}]"));
        assertThat(group.get("EciSecurityContext")).isEqualTo(JsonParser.parseString(
                "{\"Sysctls\":[{\"Name\":\"net.core.somaxconn\",\"Value\":\"1024\"}]}"));
        assertThat(group.get("Volumes")).isEqualTo(JsonParser.parseString("["
                + "{\"Name\":\"cfg\",\"Type\":\"ConfigFileVolume\",\"ConfigFileVolumeConfigFileToPaths\":"
                + "[{\"Path\":\"app.conf\",\"Content\":\"aGVsbG8=\"}]},"
                + "{\"Name\":\"nas\",\"Type\":\"NFSVolume\",\"NFSVolumeServer\":\"nas.example.com\","
                + "\"NFSVolumePath\":\"/share\",\"NFSVolumeReadOnly\":false},"
                + "{\"Name\":\"tmp\",\"Type\":\"EmptyDirVolume\",\"EmptyDirVolumeMedium\":\"Memory\","
                + "\"EmptyDirVolumeSizeLimit\":\"\"}]"));

        JsonObject app = group.getAsJsonArray("Containers").get(0).getAsJsonObject();
        assertThat(app.get("Gpu").getAsInt()).isEqualTo(1);
        assertThat(app.get("Tty").getAsBoolean()).isTrue();
        assertThat(app.get("Stdin").getAsBoolean()).isFalse();
        assertThat(app.get("StdinOnce").getAsBoolean()).isFalse();
        assertThat(app.get("WorkingDir").getAsString()).isEqualTo("/srv");
        assertThat(app.get("EnvironmentVars")).isEqualTo(JsonParser.parseString(
                "[{\"Key\":\"POD_IP\",\"Value\":\"\",\"ValueFrom\":{\"FieldRef\":{\"FieldPath\":\"status.podIP\"}}}]"));
        assertThat(app.get("VolumeMounts")).isEqualTo(JsonParser.parseString(
                "[{\"Name\":\"cfg\",\"MountPath\":\"/etc/app\",\"ReadOnly\":false,\"SubPath\":\"app.conf\","
                        + "\"MountPropagation\":\"\"}]"));
        assertThat(app.get("ReadinessProbe")).isEqualTo(JsonParser.parseString(
                "{\"PeriodSeconds\":10,\"HttpGet\":{\"Path\":\"/ready\",\"Port\":8080,\"Scheme\":\"HTTP\"}}"));
        assertThat(app.get("LivenessProbe")).isEqualTo(JsonParser.parseString("{\"Execs\":[\"true\"]}"));
        assertThat(app.get("SecurityContext")).isEqualTo(JsonParser.parseString(
                "{\"Capability\":{\"Adds\":[\"NET_ADMIN\"]},\"ReadOnlyRootFilesystem\":true,\"RunAsUser\":1000}"));

        JsonObject init = group.getAsJsonArray("InitContainers").get(0).getAsJsonObject();
        assertThat(init.has("Command")).isTrue();
        assertThat(init.has("Tty")).isFalse();
        assertThat(init.has("ReadinessProbe")).isFalse();
        assertThat(init.get("Gpu").getAsInt()).isZero();
        assertThat(init.get("VolumeMounts")).isEqualTo(JsonParser.parseString(
                "[{\"Name\":\"cfg\",\"MountPath\":\"/cfg\",\"ReadOnly\":false,\"MountPropagation\":\"\"}]"));
    }

    @Test
    void describeLeavesOutOptionalObjectsThatWereNotRequested() {
        JsonObject group = fixture.describeOne(fixture.createNamed("plain"));
        assertThat(group.get("SpotStrategy").getAsString()).isEqualTo("NoSpot");
        assertThat(group.has("SpotPriceLimit")).isFalse();
        assertThat(group.has("DnsConfig")).isFalse();
        assertThat(group.has("EciSecurityContext")).isFalse();
        assertThat(group.getAsJsonArray("HostAliases")).isEmpty();
        assertThat(group.get("InstanceType").getAsString()).isEqualTo("2.0-4.0Gi");
        JsonObject app = group.getAsJsonArray("Containers").get(0).getAsJsonObject();
        assertThat(app.has("ReadinessProbe")).isFalse();
        assertThat(app.has("SecurityContext")).isFalse();
    }

    private void update(Map<String, String> params) {
        Map<String, String> all = new HashMap<>(params);
        all.put("RegionId", "cn-hangzhou");
        update.handle(ApiRequest.of(all));
    }

    private String runningGroup() {
        String id = fixture.create(richCreate());
        fixture.clock.advance(Duration.ofSeconds(3));
        assertThat(fixture.describeOne(id).get("Status").getAsString()).isEqualTo("Running");
        return id;
    }

    @Test
    void renewUpdateReplacesListsWholesaleAndResizes() {
        String id = runningGroup();
        update(Map.of("ContainerGroupId", id, "Cpu", "4", "Memory", "8", "RestartPolicy", "Never",
                "Container.1.Name", "web", "Container.1.Image", "nginx:1.27",
                "DnsConfig.NameServer.1", "1.1.1.1"));
        JsonObject group = fixture.describeOne(id);
        assertThat(group.get("Cpu").getAsDouble()).isEqualTo(4.0);
        assertThat(group.get("Memory").getAsDouble()).isEqualTo(8.0);
        assertThat(group.get("RestartPolicy").getAsString()).isEqualTo("Never");
        assertThat(group.getAsJsonArray("Containers")).hasSize(1);
        JsonObject web = group.getAsJsonArray("Containers").get(0).getAsJsonObject();
        assertThat(web.get("Name").getAsString()).isEqualTo("web");
        assertThat(web.get("Image").getAsString()).isEqualTo("nginx:1.27");
        assertThat(web.has("ReadinessProbe")).isFalse();
        assertThat(group.get("DnsConfig")).isEqualTo(JsonParser.parseString(
                "{\"NameServers\":[\"1.1.1.1\"],\"Searches\":[],\"Options\":[]}"));
        // Lists not given are kept.
        assertThat(group.getAsJsonArray("Volumes")).hasSize(3);
        assertThat(group.getAsJsonArray("InitContainers")).hasSize(1);
    }

    @Test
    void incrementalUpdateMergesContainersAndVolumesByName() {
        String id = runningGroup();
        update(Map.of("ContainerGroupId", id, "UpdateType", "IncrementalUpdate",
                "Container.1.Name", "app", "Container.1.Image", "nginx:1.27",
                "Container.2.Name", "sidecar", "Container.2.Image", "envoy:1.30",
                "Volume.1.Name", "tmp", "Volume.1.Type", "EmptyDirVolume", "Volume.1.EmptyDirVolume.SizeLimit",
                "1Gi"));
        JsonObject group = fixture.describeOne(id);
        JsonObject app = group.getAsJsonArray("Containers").get(0).getAsJsonObject();
        assertThat(app.get("Image").getAsString()).isEqualTo("nginx:1.27");
        assertThat(app.get("Gpu").getAsInt()).isEqualTo(1);
        assertThat(app.has("ReadinessProbe")).isTrue();
        assertThat(group.getAsJsonArray("Containers").get(1).getAsJsonObject().get("Name").getAsString())
                .isEqualTo("sidecar");
        JsonObject tmp = group.getAsJsonArray("Volumes").get(2).getAsJsonObject();
        assertThat(tmp.get("EmptyDirVolumeMedium").getAsString()).isEqualTo("Memory");
        assertThat(tmp.get("EmptyDirVolumeSizeLimit").getAsString()).isEqualTo("1Gi");
    }

    @Test
    void incrementalFieldsReplaceLeavesButListsAndProbesWhole() {
        assertThat(UpdateContainerGroupAction.replaceUnit("Image")).isEqualTo("Image");
        assertThat(UpdateContainerGroupAction.replaceUnit("EnvironmentVar.2.Key")).isEqualTo("EnvironmentVar");
        assertThat(UpdateContainerGroupAction.replaceUnit("EmptyDirVolume.SizeLimit"))
                .isEqualTo("EmptyDirVolume.SizeLimit");
        assertThat(UpdateContainerGroupAction.replaceUnit("ReadinessProbe.TcpSocket.Port")).isEqualTo("ReadinessProbe");
        assertThat(UpdateContainerGroupAction.merge(Map.of("Container.1.Name", "app", "Container.1.Image", "a:1",
                "Container.1.Command.1", "x", "Container.1.Command.2", "y", "Tag.1.Key", "k", "Tag.1.Value", "v"),
                Map.of("Container.1.Name", "app", "Container.1.Command.1", "z", "Tag.1.Key", "k2"), true))
                .containsExactlyInAnyOrderEntriesOf(Map.of("Container.1.Name", "app", "Container.1.Image", "a:1",
                        "Container.1.Command.1", "z", "Tag.1.Key", "k", "Tag.1.Value", "v", "Tag.2.Key", "k2"));
    }

    @Test
    void anUpdateGoesThroughUpdatingAndRecordsAnEvent() {
        String id = runningGroup();
        update(Map.of("ContainerGroupId", id, "RestartPolicy", "OnFailure"));
        JsonObject updating = fixture.describeOne(id);
        assertThat(updating.get("Status").getAsString()).isEqualTo("Updating");
        assertThat(updating.getAsJsonArray("Containers").get(0).getAsJsonObject().get("RestartCount").getAsInt())
                .isZero();
        assertThat(updating.getAsJsonArray("Events").asList()).anySatisfy(event -> {
            assertThat(event.getAsJsonObject().get("Reason").getAsString()).isEqualTo("Updated");
            assertThat(event.getAsJsonObject().get("Type").getAsString()).isEqualTo("Normal");
            assertThat(event.getAsJsonObject().get("FirstTimestamp").getAsString()).isEqualTo("2026-11-23T10:00:03Z");
        });
        assertThatThrownBy(() -> update(Map.of("ContainerGroupId", id, "RestartPolicy", "Never")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("IncorrectStatus"));
        fixture.clock.advance(Duration.ofMillis(999));
        assertThat(fixture.describeOne(id).get("Status").getAsString()).isEqualTo("Updating");
        fixture.clock.advance(Duration.ofMillis(1));
        assertThat(fixture.describeOne(id).get("Status").getAsString()).isEqualTo("Running");
    }

    @Test
    void aPendingGroupRunsOnceTheUpdateIsOver() {
        String id = fixture.createNamed("pending");
        fixture.clock.advance(Duration.ofSeconds(1));
        assertThat(fixture.describeOne(id).get("Status").getAsString()).isEqualTo("Pending");
        update(Map.of("ContainerGroupId", id, "RestartPolicy", "Never"));
        assertThat(fixture.describeOne(id).get("Status").getAsString()).isEqualTo("Updating");
        fixture.clock.advance(Duration.ofSeconds(1));
        assertThat(fixture.describeOne(id).get("Status").getAsString()).isEqualTo("Running");
    }

    @Test
    void refusesUpdatesOfGroupsThatAreNotPendingOrRunningOrDoNotExist() {
        String scheduling = fixture.createNamed("scheduling");
        assertThatThrownBy(() -> update(Map.of("ContainerGroupId", scheduling, "RestartPolicy", "Never")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("IncorrectStatus");
                    assertThat(e.getMessage()).isEqualTo("The container group \"" + scheduling
                            + "\" is Scheduling; only Pending or Running groups can be updated.");
                });
        String id = runningGroup();
        fixture.delete(id, false);
        assertThatThrownBy(() -> update(Map.of("ContainerGroupId", id, "RestartPolicy", "Never")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("The container group \"" + id
                                + "\" is Terminating; only Pending or Running groups can be updated."));
        assertThatThrownBy(() -> update(Map.of("ContainerGroupId", "eci-nope", "RestartPolicy", "Never")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("InvalidContainerGroup.NotFound");
                });
        assertThatThrownBy(() -> update(Map.of("RestartPolicy", "Never")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("MissingParameter"));
    }

    @Test
    void updatesAreValidatedLikeCreates() {
        String id = runningGroup();
        assertThatThrownBy(() -> update(Map.of("ContainerGroupId", id, "Volume.1.Name", "other",
                "Volume.1.Type", "EmptyDirVolume")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "The specified parameter \"InitContainer.1.VolumeMount.1.Name\" is not valid: "
                                + "no volume named \"cfg\" is declared."));
        assertThatThrownBy(() -> update(Map.of("ContainerGroupId", id, "UpdateType", "Partial")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("UpdateType"));
        assertThat(fixture.describeOne(id).get("Status").getAsString()).isEqualTo("Running");
    }

    @Test
    void clientTokensMakeUpdatesIdempotent() {
        String id = runningGroup();
        Map<String, String> request = Map.of("ContainerGroupId", id, "RestartPolicy", "Never", "ClientToken", "u-1");
        update(request);
        fixture.clock.advance(Duration.ofSeconds(1));
        update(request);
        assertThat(fixture.describeOne(id).get("Status").getAsString()).isEqualTo("Running");
        assertThatThrownBy(() -> update(Map.of("ContainerGroupId", id, "RestartPolicy", "Always",
                "ClientToken", "u-1")))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("IdempotentParameterMismatch"));
    }
}
