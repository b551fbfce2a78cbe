package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusAndJsonShapeTest {

    private final ActionsFixture fixture = new ActionsFixture();

    private String createPod() {
        Map<String, String> params = ActionsFixture.minimalCreate("default-web");
        params.put("Tag.1.Key", "PodName");
        params.put("Tag.1.Value", "web");
        params.put("Tag.2.Key", "PodNamespace");
        params.put("Tag.2.Value", "default");
        params.put("Tag.3.Key", "PodUID");
        params.put("Tag.3.Value", "0b7c-uid");
        params.put("Container.1.Cpu", "2");
        params.put("Container.1.Memory", "4");
        params.put("Container.1.Command.1", "nginx");
        params.put("InitContainer.1.Name", "init");
        params.put("InitContainer.1.Image", "busybox");
        params.put("InitContainer.1.Command.1", "true");
        return fixture.create(params);
    }

    private JsonObject podStatus(String id) {
        return fixture.status(Map.of("ContainerGroupIds", "[\"" + id + "\"]")).getAsJsonArray("Data").get(0)
                .getAsJsonObject();
    }

    @Test
    void statusItemsUseTheSdkKeysAndKubernetesPhases() {
        String id = createPod();
        JsonObject scheduling = podStatus(id);
        assertThat(scheduling.get("Name").getAsString()).isEqualTo("web");
        assertThat(scheduling.get("Namespace").getAsString()).isEqualTo("default");
        assertThat(scheduling.get("uuid").getAsString()).isEqualTo("0b7c-uid");
        assertThat(scheduling.get("Status").getAsString()).isEqualTo("Scheduling");
        JsonObject pod = scheduling.getAsJsonObject("PodStatus");
        assertThat(pod.get("Phase").getAsString()).isEqualTo("Pending");
        assertThat(pod.get("PodIp").getAsString()).isEmpty();
        assertThat(pod.getAsJsonArray("ContainerStatuses").get(0).getAsJsonObject().getAsJsonObject("State")
                .getAsJsonObject("Waiting").get("Reason").getAsString()).isEqualTo("ContainerCreating");

        fixture.clock.advance(Duration.ofSeconds(3));
        JsonObject running = podStatus(id).getAsJsonObject("PodStatus");
        assertThat(running.get("Phase").getAsString()).isEqualTo("Running");
        assertThat(running.get("PodIp").getAsString()).startsWith("10.224.");
        assertThat(running.getAsJsonArray("PodIps").get(0).getAsJsonObject().get("Ip").getAsString())
                .isEqualTo(running.get("PodIp").getAsString());
        assertThat(running.get("StartTime").getAsString()).isEqualTo("2026-11-23T10:00:01Z");
        JsonObject ready = running.getAsJsonArray("Conditions").asList().stream().map(c -> c.getAsJsonObject())
                .filter(c -> c.get("type").getAsString().equals("Ready")).findFirst().orElseThrow();
        assertThat(ready.get("status").getAsString()).isEqualTo("True");
        assertThat(ready.get("lastTransitionTime").getAsString()).isEqualTo("2026-11-23T10:00:03Z");
        JsonObject container = running.getAsJsonArray("ContainerStatuses").get(0).getAsJsonObject();
        assertThat(container.get("Ready").getAsBoolean()).isTrue();
        assertThat(container.get("ImageID").getAsString()).startsWith("sha256:");
        assertThat(container.getAsJsonObject("State").getAsJsonObject("Running").get("StartedAtstartedAt")
                .getAsString()).isEqualTo("2026-11-23T10:00:03Z");

        fixture.delete(id, false);
        JsonObject terminating = podStatus(id);
        assertThat(terminating.get("Status").getAsString()).isEqualTo("Terminating");
        assertThat(terminating.getAsJsonObject("PodStatus").get("Phase").getAsString()).isEqualTo("Running");
    }

    @Test
    void sinceSecondOnlyReturnsRecentTransitions() {
        String old = createPod();
        fixture.clock.advance(Duration.ofSeconds(60));
        String fresh = fixture.createNamed("fresh");
        fixture.clock.advance(Duration.ofMillis(500));

        assertThat(fixture.status(Map.of("SinceSecond", "10")).getAsJsonArray("Data")).singleElement()
                .satisfies(item -> assertThat(item.getAsJsonObject().get("ContainerGroupId").getAsString())
                        .isEqualTo(fresh));
        fixture.delete(old, false);
        assertThat(fixture.status(Map.of("SinceSecond", "1")).getAsJsonArray("Data")).hasSize(2);
        assertThat(fixture.status(Map.of()).get("TotalCount").getAsInt()).isEqualTo(2);
    }

    @Test
    void floatsAlwaysCarryADecimalPointAndListKeysFollowTheSdk() {
        String id = createPod();
        fixture.clock.advance(Duration.ofSeconds(3));
        String json = new Gson().toJson(fixture.describeOne(id));

        assertThat(json).contains("\"Cpu\":2.0", "\"Memory\":4.0", "\"Commands\":[\"nginx\"]",
                "\"Command\":[\"true\"]", "\"ExitCode\":0");
        JsonObject group = fixture.describeOne(id);
        assertThat(group.keySet()).contains("ContainerGroupId", "ContainerGroupName", "Status", "RegionId", "ZoneId",
                "VSwitchId", "SecurityGroupId", "InstanceType", "Cpu", "Memory", "CreationTime", "SucceededTime",
                "FailedTime", "IntranetIp", "RestartPolicy", "Tags", "Events", "Containers", "InitContainers",
                "Volumes");
        JsonObject init = group.getAsJsonArray("InitContainers").get(0).getAsJsonObject();
        assertThat(init.getAsJsonObject("CurrentState").get("State").getAsString()).isEqualTo("Terminated");
        assertThat(init.getAsJsonObject("CurrentState").get("Reason").getAsString()).isEqualTo("Completed");
    }

    @Test
    void describeRegionsListsTheZonesOfTheVSwitches() {
        JsonObject region = new DescribeRegionsAction(fixture.region).handle(ApiRequest.of(Map.of()))
                .getAsJsonArray("Regions").get(0).getAsJsonObject();

        assertThat(region.get("RegionId").getAsString()).isEqualTo("cn-hangzhou");
        assertThat(region.get("RegionEndpoint").getAsString()).isEqualTo("eci.cn-hangzhou.aliyuncs.com");
        assertThat(region.getAsJsonArray("Zones").asList()).extracting(z -> z.getAsString())
                .containsExactly("cn-hangzhou-i", "cn-hangzhou-j");
        assertThat(region.getAsJsonArray("RecommendZones")).hasSize(2);
    }
}
