package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiAction;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.api.Params;
import io.ecivk.eci.mock.model.ContainerGroup;
import io.ecivk.eci.mock.model.ContainerGroupStore;
import io.ecivk.eci.mock.telemetry.MetricsBook;
import java.time.Instant;
import java.util.Set;

/**
 * {@code DescribeMultiContainerGroupMetric}: the latest sample of up to 20 groups ({@code ContainerGroupIds}, a JSON
 * array), {@code MetricType=summary}. Each group that exists gets a {@code MonitorDatas} entry, in creation order;
 * its {@code Records} hold one record at the current second while its containers run and none otherwise. Ids of
 * groups that do not exist (any more) are left out of the answer rather than failing the call.
 */
public final class DescribeMultiContainerGroupMetricAction implements ApiAction {

    private final ContainerGroupStore store;
    private final MetricsBook book;

    public DescribeMultiContainerGroupMetricAction(ContainerGroupStore store, MetricsBook book) {
        this.store = store;
        this.book = book;
    }

    @Override
    public String name() {
        return "DescribeMultiContainerGroupMetric";
    }

    @Override
    public JsonObject handle(ApiRequest request) {
        Params params = request.params();
        Set<String> ids = GroupFilter.parseIds(params.required("ContainerGroupIds"));
        params.oneOf("MetricType", "summary", Set.of("summary"));
        ContainerGroupStore.Snapshot snapshot = store.snapshot();
        Instant at = MetricsJson.summaryTime(snapshot.at());
        JsonArray data = new JsonArray();
        for (ContainerGroup group : snapshot.groups()) {
            if (!ids.contains(group.id())) {
                continue;
            }
            JsonArray records = new JsonArray();
            if (MetricsJson.sampled(group, at)) {
                records.add(MetricsJson.record(group, book, at));
            }
            JsonObject entry = new JsonObject();
            entry.addProperty("ContainerGroupId", group.id());
            entry.add("Records", records);
            data.add(entry);
        }
        JsonObject json = new JsonObject();
        json.add("MonitorDatas", data);
        return json;
    }
}
