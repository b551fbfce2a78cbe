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
 * {@code DescribeContainerGroupStatus}: the light, Kubernetes-shaped status poll (Limit 1..200, default 200), with
 * {@code SinceSecond} to fetch only groups whose status changed recently.
 */
public final class DescribeContainerGroupStatusAction implements ApiAction {

    static final int MAX_LIMIT = 200;

    private final ContainerGroupStore store;

    public DescribeContainerGroupStatusAction(ContainerGroupStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "DescribeContainerGroupStatus";
    }

    @Override
    public JsonObject handle(ApiRequest request) {
        Params params = request.params();
        int limit = params.integer("Limit", 1, MAX_LIMIT).orElse(MAX_LIMIT);
        ContainerGroupStore.Snapshot snapshot = store.snapshot();
        Instant now = snapshot.at();
        List<ContainerGroup> matching = new GroupFilter(now).ids(params).tags(params).zone(params).vSwitch(params)
                .changedSince(params).apply(snapshot.groups());
        Paging.Page page = Paging.page(matching, params.string("NextToken"), limit);

        JsonObject json = new JsonObject();
        json.addProperty("TotalCount", matching.size());
        json.addProperty("NextToken", page.nextToken());
        JsonArray data = new JsonArray();
        page.groups().forEach(group -> data.add(PodStatusJson.render(group, now)));
        json.add("Data", data);
        return json;
    }
}
