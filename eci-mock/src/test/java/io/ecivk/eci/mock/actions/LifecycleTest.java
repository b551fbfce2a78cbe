package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.network.Ipv4Cidr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private final ActionsFixture fixture = new ActionsFixture();

    private static List<String> reasons(JsonObject group) {
        List<String> reasons = new ArrayList<>();
        for (JsonElement event : group.getAsJsonArray("Events")) {
            reasons.add(event.getAsJsonObject().get("Reason").getAsString());
        }
        return reasons;
    }

    private static JsonObject currentState(JsonObject group) {
        return group.getAsJsonArray("Containers").get(0).getAsJsonObject().getAsJsonObject("CurrentState");
    }

    @Test
    void movesFromSchedulingThroughPendingToRunning() {
        String id = fixture.createNamed("web");

        JsonObject scheduling = fixture.describeOne(id);
        assertThat(scheduling.get("Status").getAsString()).isEqualTo("Scheduling");
        assertThat(scheduling.get("IntranetIp").getAsString()).isEmpty();
        assertThat(scheduling.get("CreationTime").getAsString()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(currentState(scheduling).get("State").getAsString()).isEqualTo("Waiting");
        assertThat(currentState(scheduling).get("Reason").getAsString()).isEqualTo("ContainerCreating");
        assertThat(reasons(scheduling)).isEmpty();

        fixture.clock.advance(Duration.ofSeconds(1));
        JsonObject pending = fixture.describeOne(id);
        assertThat(pending.get("Status").getAsString()).isEqualTo("Pending");
        assertThat(Ipv4Cidr.parse("10.224.0.0/16").contains(pending.get("IntranetIp").getAsString())).isTrue();
        assertThat(reasons(pending)).containsExactly("Scheduled", "Pulling");
        assertThat(pending.getAsJsonArray("Events").get(0).getAsJsonObject().get("Message").getAsString())
                .isEqualTo("Successfully assigned " + id + " to cn-hangzhou-i");

        fixture.clock.advance(Duration.ofSeconds(2));
        JsonObject running = fixture.describeOne(id);
        assertThat(running.get("Status").getAsString()).isEqualTo("Running");
        assertThat(currentState(running).get("State").getAsString()).isEqualTo("Running");
        assertThat(currentState(running).get("StartTime").getAsString()).isEqualTo("2026-11-23T10:00:03Z");
        assertThat(running.getAsJsonArray("Containers").get(0).getAsJsonObject().get("Ready").getAsBoolean())
                .isTrue();
        assertThat(reasons(running)).containsExactly("Scheduled", "Pulling", "Pulled", "Created", "Started");
    }

    @Test
    void roundedSpecsGetAnAutoInstanceTypeMatchEvent() {
        Map<String, String> params = ActionsFixture.minimalCreate("web");
        params.put("Container.1.Cpu", "1.5");
        params.put("Container.1.Memory", "3");
        JsonObject group = fixture.describeOne(fixture.create(params));

        JsonObject event = group.getAsJsonArray("Events").get(0).getAsJsonObject();
        assertThat(event.get("Reason").getAsString()).isEqualTo("AutoInstanceTypeMatch");
        assertThat(event.get("Type").getAsString()).isEqualTo("Normal");
        assertThat(event.get("Message").getAsString())
                .isEqualTo("The most-matched instanceType for current eci instance is 2.0-4.0Gi");
        assertThat(group.get("Cpu").getAsDouble()).isEqualTo(2.0);
        assertThat(group.get("Memory").getAsDouble()).isEqualTo(4.0);
        assertThat(group.get("InstanceType").getAsString()).isEqualTo("2.0-4.0Gi");
    }

    @Test
    void deletionTerminatesThenForgetsTheGroupAndItsIp() {
        String id = fixture.createNamed("web");
        fixture.clock.advance(Duration.ofSeconds(5));
        String ip = fixture.describeOne(id).get("IntranetIp").getAsString();

        fixture.delete(id, false);
        JsonObject terminating = fixture.describeOne(id);
        assertThat(terminating.get("Status").getAsString()).isEqualTo("Terminating");
        assertThat(terminating.get("IntranetIp").getAsString()).isEqualTo(ip);
        assertThat(terminating.getAsJsonArray("Containers").get(0).getAsJsonObject().get("Ready").getAsBoolean())
                .isFalse();
        assertThat(reasons(terminating)).endsWith("Killing");
        fixture.delete(id, false); // deleting a Terminating group again is fine
        assertThat(fixture.store.size()).isEqualTo(1);

        fixture.clock.advance(Duration.ofSeconds(1));
        assertThat(fixture.store.size()).isZero();
        assertThat(fixture.describe(Map.of("ContainerGroupIds", "[\"" + id + "\"]"))
                .getAsJsonArray("ContainerGroups")).isEmpty();
        assertThatThrownBy(() -> fixture.delete(id, false)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.code()).isEqualTo("InvalidContainerGroup.NotFound");
        });
    }

    @Test
    void forcedDeletionIsImmediateAndDeletingMidSchedulingFreezesProgress() {
        String forced = fixture.createNamed("forced");
        fixture.delete(forced, true);
        assertThat(fixture.store.size()).isZero();

        String early = fixture.createNamed("early");
        fixture.delete(early, false);
        fixture.clock.advance(Duration.ofMillis(900));
        JsonObject group = fixture.describeOne(early);
        assertThat(group.get("Status").getAsString()).isEqualTo("Terminating");
        assertThat(currentState(group).get("State").getAsString()).isEqualTo("Waiting");
        assertThat(reasons(group)).isEmpty();
    }

    @Test
    void ipsComeFromTheFirstVSwitchWithRoomAndRunOutCleanly() {
        Map<String, String> onB = ActionsFixture.minimalCreate("web");
        onB.put("VSwitchId", "vsw-b,vsw-a");
        List<String> zones = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JsonObject group = fixture.describeOne(fixture.create(onB));
            zones.add(group.get("ZoneId").getAsString() + "/" + group.get("VSwitchId").getAsString());
        }
        // vsw-b is a /29: three usable addresses, then ordered scheduling falls through to vsw-a.
        assertThat(zones).containsExactly("cn-hangzhou-j/vsw-b", "cn-hangzhou-j/vsw-b", "cn-hangzhou-j/vsw-b",
                "cn-hangzhou-i/vsw-a");

        Map<String, String> onlyB = ActionsFixture.minimalCreate("web");
        onlyB.put("VSwitchId", "vsw-b");
        assertThatThrownBy(() -> fixture.create(onlyB)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("InvalidVSwitchId.IpNotEnough"));
    }

    @Test
    void randomSchedulingPlacesEachGroupInOneOfTheListedVSwitches() {
        Map<String, String> random = ActionsFixture.minimalCreate("web");
        random.put("VSwitchId", "vsw-a,vsw-b");
        random.put("ScheduleStrategy", "VSwitchRandom");
        for (int i = 0; i < 3; i++) {
            JsonObject group = fixture.describeOne(fixture.create(random));
            String vSwitch = group.get("VSwitchId").getAsString();
            String cidr = vSwitch.equals("vsw-a") ? "10.224.0.0/16" : "10.225.0.0/29";
            fixture.clock.advance(Duration.ofSeconds(1));
            assertThat(Ipv4Cidr.parse(cidr).contains(fixture.describeOne(group.get("ContainerGroupId")
                    .getAsString()).get("IntranetIp").getAsString())).isTrue();
        }
    }

    @Test
    void describeFiltersCombine() {
        Map<String, String> tagged = ActionsFixture.minimalCreate("tagged");
        tagged.put("Tag.1.Key", "team");
        tagged.put("Tag.1.Value", "a");
        tagged.put("Tag.2.Key", "env");
        tagged.put("Tag.2.Value", "dev");
        String taggedId = fixture.create(tagged);
        fixture.clock.advance(Duration.ofSeconds(10));
        String plainId = fixture.createNamed("plain");

        assertThat(ids(fixture.describe(Map.of("Tag.1.Key", "team", "Tag.1.Value", "a")))).containsExactly(taggedId);
        assertThat(ids(fixture.describe(Map.of("Tag.1.Key", "team", "Tag.1.Value", "a", "Tag.2.Key", "env",
                "Tag.2.Value", "prod")))).isEmpty();
        assertThat(ids(fixture.describe(Map.of("Status", "Running")))).containsExactly(taggedId);
        assertThat(ids(fixture.describe(Map.of("Status", "Scheduling")))).containsExactly(plainId);
        assertThat(ids(fixture.describe(Map.of("ContainerGroupName", "plain")))).containsExactly(plainId);
        assertThat(ids(fixture.describe(Map.of("ZoneId", "cn-hangzhou-i", "VSwitchId", "vsw-a",
                "SecurityGroupId", "sg-1")))).containsExactly(taggedId, plainId);
        assertThat(ids(fixture.describe(Map.of("ZoneId", "cn-hangzhou-j")))).isEmpty();
        assertThatThrownBy(() -> fixture.describe(Map.of("Status", "Sleeping")))
                .hasMessageContaining("\"Status\"");
        assertThat(fixture.describe(Map.of("WithEvent", "false")).getAsJsonArray("ContainerGroups").get(0)
                .getAsJsonObject().getAsJsonArray("Events")).isEmpty();
    }

    private static List<String> ids(JsonObject answer) {
        List<String> ids = new ArrayList<>();
        JsonArray groups = answer.getAsJsonArray("ContainerGroups");
        groups.forEach(group -> ids.add(group.getAsJsonObject().get("ContainerGroupId").getAsString()));
        return ids;
    }
}
