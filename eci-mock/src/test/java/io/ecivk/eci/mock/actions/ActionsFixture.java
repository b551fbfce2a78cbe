package io.ecivk.eci.mock.actions;

import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiRequest;
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

/** The actions wired to an in-memory store and a hand-driven clock, without HTTP or signatures. */
final class ActionsFixture {

    static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final Region region = new Region("cn-hangzhou", List.of(
            new VSwitch("vsw-a", "cn-hangzhou-i", Ipv4Cidr.parse("10.224.0.0/16")),
            new VSwitch("vsw-b", "cn-hangzhou-j", Ipv4Cidr.parse("10.225.0.0/29"))), Set.of());
    final ContainerGroupStore store = new ContainerGroupStore(clock,
            new LifecycleTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)),
            region.vSwitches(), new Random(42));
    final CreateContainerGroupAction create =
            new CreateContainerGroupAction(new CreateRequestParser(region, SpecTable.standard()), store);
    final DescribeContainerGroupsAction describe = new DescribeContainerGroupsAction(store, "cn-hangzhou");
    final DescribeContainerGroupStatusAction status = new DescribeContainerGroupStatusAction(store);
    final DeleteContainerGroupAction delete = new DeleteContainerGroupAction(store);

    /** A minimal valid CreateContainerGroup request, to be amended. */
    static Map<String, String> minimalCreate(String name) {
        Map<String, String> params = new HashMap<>();
        params.put("RegionId", "cn-hangzhou");
        params.put("ContainerGroupName", name);
        params.put("SecurityGroupId", "sg-1");
        params.put("VSwitchId", "vsw-a");
        params.put("Container.1.Name", "app");
        params.put("Container.1.Image", "nginx:1.25");
        return params;
    }

    String create(Map<String, String> params) {
        return create.handle(ApiRequest.of(params)).get("ContainerGroupId").getAsString();
    }

    String createNamed(String name) {
        return create(minimalCreate(name));
    }

    JsonObject describe(Map<String, String> params) {
        Map<String, String> all = new HashMap<>(params);
        all.put("RegionId", "cn-hangzhou");
        return describe.handle(ApiRequest.of(all));
    }

    JsonObject describeOne(String id) {
        JsonObject answer = describe(Map.of("ContainerGroupIds", "[\"" + id + "\"]"));
        return answer.getAsJsonArray("ContainerGroups").get(0).getAsJsonObject();
    }

    JsonObject status(Map<String, String> params) {
        Map<String, String> all = new HashMap<>(params);
        all.put("RegionId", "cn-hangzhou");
        return status.handle(ApiRequest.of(all));
    }

    void delete(String id, boolean force) {
        delete.handle(ApiRequest.of(Map.of("RegionId", "cn-hangzhou", "ContainerGroupId", id,
                "Force", Boolean.toString(force))));
    }
}
