package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiAction;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.api.Params;
import io.ecivk.eci.mock.model.ContainerGroup;
import io.ecivk.eci.mock.model.ContainerGroupStore;
import java.time.Instant;
import java.util.List;

/**
 * {@code DescribeContainerGroups}: filtered, paged (Limit 1..20, default 20) full descriptions. Events are included
 * unless {@code WithEvent=false}.
 */
public final class DescribeContainerGroupsAction implements ApiAction {

    static final int MAX_LIMIT = 20;

    private final ContainerGroupStore store;
    private final String regionId;

    public DescribeContainerGroupsAction(ContainerGroupStore store, String regionId) {
        this.store = store;
        this.regionId = regionId;
    }

    @Override
    public String name() {
        return "DescribeContainerGroups";
    }

    @Override
    public JsonObject handle(ApiRequest request) {
        Params params = request.params();
        int limit = params.integer("Limit", 1, MAX_LIMIT).orElse(MAX_LIMIT);
        boolean withEvents = params.bool("WithEvent").orElse(true);
        ContainerGroupStore.Snapshot snapshot = store.snapshot();
        Instant now = snapshot.at();
        List<ContainerGroup> matching = new GroupFilter(now).ids(params).name(params).status(params).tags(params)
                .zone(params).vSwitch(params).securityGroup(params).apply(snapshot.groups());
        Paging.Page page = Paging.page(matching, params.string("NextToken"), limit);

        JsonObject json = new JsonObject();
        json.addProperty("TotalCount", matching.size());
        json.addProperty("NextToken", page.nextToken());
        JsonArray items = new JsonArray();
        page.groups().forEach(group -> items.add(GroupJson.render(group, regionId, now, withEvents)));
        json.add("ContainerGroups", items);
        return json;
    }
}
