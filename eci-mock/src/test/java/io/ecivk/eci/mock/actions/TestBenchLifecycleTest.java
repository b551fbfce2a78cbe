package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.bench.Stock;
import io.ecivk.eci.mock.bench.StockOutMode;
import io.ecivk.eci.mock.model.ContainerGroupStore;
import io.ecivk.eci.mock.model.LifecycleTimings;
import io.ecivk.eci.mock.model.Region;
import io.ecivk.eci.mock.network.Ipv4Cidr;
import io.ecivk.eci.mock.network.VSwitch;
import io.ecivk.eci.mock.sizing.SpecTable;
import io.ecivk.eci.mock.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Stock-outs, spot reclamation, retention and job-like containers, driven by a stepped clock. */
class TestBenchLifecycleTest {

    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private static final String SPEC = "2.0-4.0Gi";

    private final MutableClock clock = new MutableClock(START);
    private final Region region = new Region("cn-hangzhou", List.of(
            new VSwitch("vsw-a", "cn-hangzhou-i", Ipv4Cidr.parse("10.224.0.0/16")),
            new VSwitch("vsw-b", "cn-hangzhou-j", Ipv4Cidr.parse("10.225.0.0/16"))), Set.of());
    private final Stock stock = new Stock();
    private final ContainerGroupStore store = new ContainerGroupStore(clock,
            new LifecycleTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)),
            region.vSwitches(), new Random(42), stock);
    private final CreateContainerGroupAction create =
            new CreateContainerGroupAction(new CreateRequestParser(region, SpecTable.standard()), store);
    private final DescribeContainerGroupsAction describe = new DescribeContainerGroupsAction(store, "cn-hangzhou");
    private final DescribeContainerGroupStatusAction status = new DescribeContainerGroupStatusAction(store);

    private static Map<String, String> request(String name) {
        Map<String, String> params = new HashMap<>();
        params.put("RegionId", "cn-hangzhou");
        params.put("ContainerGroupName", name);
        params.put("SecurityGroupId", "sg-1");
        params.put("VSwitchId", "vsw-a");
        params.put("Container.1.Name", "app");
        params.put("Container.1.Image", "busybox:1.36");
        return params;
    }

    private static Map<String, String> job(Map<String, String> params, int container, int code, int seconds) {
        params.put("Container." + container + ".Name", "c" + container);
        params.put("Container." + container + ".Image", "busybox:1.36");
        params.put("Container." + container + ".EnvironmentVar.1.Key", "ECI_MOCK_EXIT_CODE");
        params.put("Container." + container + ".EnvironmentVar.1.Value", Integer.toString(code));
        params.put("Container." + container + ".EnvironmentVar.2.Key", "ECI_MOCK_EXIT_AFTER_SECONDS");
        params.put("Container." + container + ".EnvironmentVar.2.Value", Integer.toString(seconds));
        return params;
    }

    private String create(Map<String, String> params) {
        return create.handle(ApiRequest.of(params)).get("ContainerGroupId").getAsString();
    }

    private JsonObject describeOne(String id) {
        JsonArray groups = describe.handle(ApiRequest.of(Map.of("RegionId", "cn-hangzhou",
                "ContainerGroupIds", "[\"" + id + "\"]"))).getAsJsonArray("ContainerGroups");
        return groups.isEmpty() ? null : groups.get(0).getAsJsonObject();
    }

    private JsonObject statusOne(String id) {
        return status.handle(ApiRequest.of(Map.of("RegionId", "cn-hangzhou",
                "ContainerGroupIds", "[\"" + id + "\"]"))).getAsJsonArray("Data").get(0).getAsJsonObject();
    }

    private String status(String id) {
        return describeOne(id).get("Status").getAsString();
    }

    private static List<JsonObject> events(JsonObject group, String reason) {
        return StreamSupport.stream(group.getAsJsonArray("Events").spliterator(), false)
                .map(JsonElement::getAsJsonObject)
                .filter(event -> event.get("Reason").getAsString().equals(reason)).toList();
    }

    private void advance(int seconds) {
        clock.advance(Duration.ofSeconds(seconds));
    }

    @Test
    void stockOutKeepsTheGroupPendingWithNoStockUntilRestored() {
        stock.outOfStock("cn-hangzhou-i", null, StockOutMode.PENDING);
        String id = create(request("held"));
        advance(60);
        JsonObject group = describeOne(id);
        assertThat(group.get("Status").getAsString()).isEqualTo("Pending");
        assertThat(group.get("IntranetIp").getAsString()).isEmpty();
        List<JsonObject> noStock = events(group, "NoStock");
        assertThat(noStock).hasSize(1);
        assertThat(noStock.get(0).get("Type").getAsString()).isEqualTo("Warning");
        assertThat(noStock.get(0).get("Message").getAsString())
                .startsWith("Create ECI failed because the specified instance is out of stock. ")
                .contains("cn-hangzhou-i");
        assertThat(events(group, "Scheduled")).isEmpty();
        assertThat(statusOne(id).getAsJsonObject("PodStatus").get("Phase").getAsString()).isEqualTo("Pending");

        stock.restore("cn-hangzhou-i", null);
        assertThat(store.restock()).isEqualTo(1);
        assertThat(status(id)).isEqualTo("Pending");
        advance(2);
        group = describeOne(id);
        assertThat(group.get("Status").getAsString()).isEqualTo("Running");
        assertThat(group.get("IntranetIp").getAsString()).startsWith("10.224.");
        assertThat(events(group, "NoStock")).hasSize(1);
        assertThat(events(group, "Scheduled")).hasSize(1);
    }

    @Test
    void multiZoneRequestIsPlacedInTheZoneWithStock() {
        stock.outOfStock("cn-hangzhou-i", SPEC, StockOutMode.PENDING);
        Map<String, String> params = request("multi");
        params.put("VSwitchId", "vsw-a,vsw-b");
        String id = create(params);
        advance(3);
        JsonObject group = describeOne(id);
        assertThat(group.get("Status").getAsString()).isEqualTo("Running");
        assertThat(group.get("ZoneId").getAsString()).isEqualTo("cn-hangzhou-j");
        assertThat(group.get("VSwitchId").getAsString()).isEqualTo("vsw-b");
        assertThat(events(group, "NoStock")).isEmpty();
        // Another spec is not affected by the spec-specific stock-out.
        Map<String, String> bigger = request("bigger");
        bigger.put("Cpu", "4");
        bigger.put("Memory", "8");
        assertThat(describeOne(create(bigger)).get("ZoneId").getAsString()).isEqualTo("cn-hangzhou-i");
    }

    @Test
    void heldMultiZoneGroupMovesToTheZoneThatGetsStockBack() {
        stock.outOfStock("cn-hangzhou-i", null, StockOutMode.PENDING);
        stock.outOfStock("cn-hangzhou-j", null, StockOutMode.PENDING);
        Map<String, String> params = request("both");
        params.put("VSwitchId", "vsw-a,vsw-b");
        String id = create(params);
        advance(10);
        assertThat(status(id)).isEqualTo("Pending");
        stock.restore("cn-hangzhou-j", null);
        store.restock();
        advance(2);
        JsonObject group = describeOne(id);
        assertThat(group.get("Status").getAsString()).isEqualTo("Running");
        assertThat(group.get("ZoneId").getAsString()).isEqualTo("cn-hangzhou-j");
        assertThat(group.get("IntranetIp").getAsString()).startsWith("10.225.");
    }

    @Test
    void scheduleFailedModeEndsTheGroupAndRetentionRemovesIt() {
        stock.outOfStock(null, SPEC, StockOutMode.SCHEDULE_FAILED);
        String id = create(request("failed"));
        assertThat(status(id)).isEqualTo("Scheduling");
        advance(1);
        JsonObject group = describeOne(id);
        assertThat(group.get("Status").getAsString()).isEqualTo("ScheduleFailed");
        assertThat(group.get("FailedTime").getAsString()).isEqualTo("2026-11-23T10:00:01Z");
        assertThat(events(group, "NoStock")).hasSize(1);
        assertThat(statusOne(id).getAsJsonObject("PodStatus").get("Phase").getAsString()).isEqualTo("Failed");
        // Restoring stock does not revive a ScheduleFailed group.
        stock.restoreAll();
        store.restock();
        clock.set(START.plusSeconds(1).plus(Duration.ofHours(1)).minusSeconds(1));
        assertThat(status(id)).isEqualTo("ScheduleFailed");
        advance(1);
        assertThat(describeOne(id)).isNull();
        assertThat(store.size()).isZero();
    }

    @Test
    void spotReclamationWarnsThenExpiresThenDisappearsAfterRetention() {
        store.spotNotice(Duration.ofSeconds(30));
        store.retention(Duration.ofMinutes(10));
        Map<String, String> params = request("spot");
        params.put("SpotStrategy", "SpotAsPriceGo");
        String id = create(params);
        advance(3);
        assertThat(status(id)).isEqualTo("Running");
        Instant expiry = store.reclaimSpot(id);
        assertThat(expiry).isEqualTo(START.plusSeconds(33));
        JsonObject group = describeOne(id);
        assertThat(group.get("Status").getAsString()).isEqualTo("Running");
        List<JsonObject> warning = events(group, "SpotToBeReleased");
        assertThat(warning).hasSize(1);
        assertThat(warning.get(0).get("Type").getAsString()).isEqualTo("Warning");
        assertThatThrownBy(() -> store.reclaimSpot(id)).isInstanceOf(ApiException.class);

        advance(30);
        group = describeOne(id);
        assertThat(group.get("Status").getAsString()).isEqualTo("Expired");
        assertThat(group.get("ExpiredTime").getAsString()).isEqualTo("2026-11-23T10:00:33Z");
        JsonObject state = group.getAsJsonArray("Containers").get(0).getAsJsonObject()
                .getAsJsonObject("CurrentState");
        assertThat(state.get("State").getAsString()).isEqualTo("Terminated");
        assertThat(statusOne(id).getAsJsonObject("PodStatus").get("Phase").getAsString()).isEqualTo("Failed");

        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(status(id)).isEqualTo("Expired");
        advance(1);
        assertThat(describeOne(id)).isNull();
        assertThatThrownBy(() -> store.reclaimSpot(id)).isInstanceOf(ApiException.class)
                .hasFieldOrPropertyWithValue("code", "InvalidContainerGroup.NotFound");
    }

    @Test
    void jobContainersSucceedWhenAllExitZero() {
        Map<String, String> params = job(job(request("job"), 1, 0, 5), 2, 0, 10);
        params.put("RestartPolicy", "Never");
        String id = create(params);
        advance(3 + 5);
        JsonObject group = describeOne(id);
        assertThat(group.get("Status").getAsString()).isEqualTo("Running");
        JsonObject first = group.getAsJsonArray("Containers").get(0).getAsJsonObject();
        assertThat(first.getAsJsonObject("CurrentState").get("State").getAsString()).isEqualTo("Terminated");
        assertThat(first.getAsJsonObject("CurrentState").get("Reason").getAsString()).isEqualTo("Completed");
        assertThat(first.getAsJsonObject("CurrentState").get("ExitCode").getAsInt()).isZero();
        assertThat(first.getAsJsonObject("CurrentState").get("FinishTime").getAsString())
                .isEqualTo("2026-11-23T10:00:08Z");
        advance(5);
        group = describeOne(id);
        assertThat(group.get("Status").getAsString()).isEqualTo("Succeeded");
        assertThat(group.get("SucceededTime").getAsString()).isEqualTo("2026-11-23T10:00:13Z");
        JsonObject pod = statusOne(id).getAsJsonObject("PodStatus");
        assertThat(pod.get("Phase").getAsString()).isEqualTo("Succeeded");
        JsonObject terminated = pod.getAsJsonArray("ContainerStatuses").get(1).getAsJsonObject()
                .getAsJsonObject("State").getAsJsonObject("Terminated");
        assertThat(terminated.get("ExitCode").getAsInt()).isZero();
        assertThat(terminated.get("Reason").getAsString()).isEqualTo("Completed");
        // Retention (default 1 h) then removes it.
        clock.advance(Duration.ofHours(1));
        assertThat(describeOne(id)).isNull();
    }

    @Test
    void jobContainerFailureFailsTheGroupWithNeverAndRestartsWithOnFailure() {
        Map<String, String> never = job(request("never"), 1, 3, 5);
        never.put("RestartPolicy", "Never");
        String failed = create(never);
        Map<String, String> onFailure = job(request("onfailure"), 1, 3, 5);
        onFailure.put("RestartPolicy", "OnFailure");
        String restarting = create(onFailure);
        Map<String, String> always = job(request("always"), 1, 0, 4);
        String alwaysId = create(always);

        advance(3 + 11);
        JsonObject group = describeOne(failed);
        assertThat(group.get("Status").getAsString()).isEqualTo("Failed");
        assertThat(group.get("FailedTime").getAsString()).isEqualTo("2026-11-23T10:00:08Z");
        JsonObject state = group.getAsJsonArray("Containers").get(0).getAsJsonObject()
                .getAsJsonObject("CurrentState");
        assertThat(state.get("Reason").getAsString()).isEqualTo("Error");
        assertThat(state.get("ExitCode").getAsInt()).isEqualTo(3);

        JsonObject restarted = describeOne(restarting);
        assertThat(restarted.get("Status").getAsString()).isEqualTo("Running");
        JsonObject container = restarted.getAsJsonArray("Containers").get(0).getAsJsonObject();
        assertThat(container.get("RestartCount").getAsInt()).isEqualTo(2);
        assertThat(container.getAsJsonObject("CurrentState").get("State").getAsString()).isEqualTo("Running");
        assertThat(container.getAsJsonObject("CurrentState").get("StartTime").getAsString())
                .isEqualTo("2026-11-23T10:00:13Z");
        assertThat(container.getAsJsonObject("PreviousState").get("ExitCode").getAsInt()).isEqualTo(3);
        JsonObject podContainer = statusOne(restarting).getAsJsonObject("PodStatus")
                .getAsJsonArray("ContainerStatuses").get(0).getAsJsonObject();
        assertThat(podContainer.get("RestartCount").getAsInt()).isEqualTo(2);
        assertThat(podContainer.getAsJsonObject("LastState").getAsJsonObject("Terminated").get("ExitCode")
                .getAsInt()).isEqualTo(3);

        JsonObject alwaysGroup = describeOne(alwaysId);
        assertThat(alwaysGroup.get("Status").getAsString()).isEqualTo("Running");
        assertThat(alwaysGroup.getAsJsonArray("Containers").get(0).getAsJsonObject().get("RestartCount")
                .getAsInt()).isEqualTo(2);
    }

    @Test
    void containersWithoutTheVariablesNeverExit() {
        Map<String, String> params = job(request("mixed"), 2, 0, 1);
        params.put("RestartPolicy", "Never");
        String id = create(params);
        advance(3600);
        assertThat(status(id)).isEqualTo("Running");
    }
}
