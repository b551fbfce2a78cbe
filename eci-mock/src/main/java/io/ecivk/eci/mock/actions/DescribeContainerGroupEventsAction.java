package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiAction;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.api.Params;
import io.ecivk.eci.mock.model.ContainerGroup;
import io.ecivk.eci.mock.model.ContainerGroupStore;
import io.ecivk.eci.mock.model.GroupEvent;
import io.ecivk.eci.mock.model.GroupEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code DescribeContainerGroupEvents} (eci-openapi.md §3.4): the events of the groups selected by
 * {@code ContainerGroupIds} (JSON array, at most 20) and/or {@code Tag.N}, aggregated the way Kubernetes and ECI
 * aggregate them: events of one group with the same type, reason and message are one entry whose {@code Count} is
 * the number of occurrences, {@code FirstTimestamp} the first and {@code LastTimestamp} the last.
 * <p>
 * {@code SinceSecond} keeps only the aggregated events whose {@code LastTimestamp} lies within the last N seconds;
 * groups left without events are not returned (with or without it). {@code Limit} (1..200, default 200) counts
 * groups, paged with {@code NextToken} in creation order like the status call. {@code EventSource}
 * {@code EciService} (the default) returns the simulator's events; {@code K8sAgent} returns none, as the simulator
 * has no Kubernetes agent of its own.
 */
public final class DescribeContainerGroupEventsAction implements ApiAction {

    static final int MAX_LIMIT = 200;
    static final String ECI_SERVICE = "EciService";
    static final String K8S_AGENT = "K8sAgent";
    /** The component ECI names as the reporter of its own events (assumption: the real value is not documented). */
    static final String REPORTING_COMPONENT = "eci";

    private final ContainerGroupStore store;

    public DescribeContainerGroupEventsAction(ContainerGroupStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "DescribeContainerGroupEvents";
    }

    @Override
    public JsonObject handle(ApiRequest request) {
        Params params = request.params();
        int limit = params.integer("Limit", 1, MAX_LIMIT).orElse(MAX_LIMIT);
        String source = params.oneOf("EventSource", ECI_SERVICE, Set.of(ECI_SERVICE, K8S_AGENT));
        Integer sinceSecond = params.integerOrNull("SinceSecond", 0, Integer.MAX_VALUE);
        ContainerGroupStore.Snapshot snapshot = store.snapshot();
        Instant now = snapshot.at();
        Instant since = sinceSecond == null ? null : now.minusSeconds(sinceSecond);
        List<ContainerGroup> selected = new GroupFilter(now).ids(params).tags(params).apply(snapshot.groups());

        Map<ContainerGroup, List<Aggregated>> withEvents = new LinkedHashMap<>();
        if (ECI_SERVICE.equals(source)) {
            for (ContainerGroup group : selected) {
                List<Aggregated> events = aggregate(GroupEvents.at(group, now)).stream()
                        .filter(event -> since == null || !event.last().isBefore(since))
                        .toList();
                if (!events.isEmpty()) {
                    withEvents.put(group, events);
                }
            }
        }
        List<ContainerGroup> matching = List.copyOf(withEvents.keySet());
        Paging.Page page = Paging.page(matching, params.string("NextToken"), limit);

        JsonObject json = new JsonObject();
        json.addProperty("TotalCount", matching.size());
        json.addProperty("NextToken", page.nextToken());
        JsonArray data = new JsonArray();
        page.groups().forEach(group -> data.add(render(group, withEvents.get(group))));
        json.add("Data", data);
        return json;
    }

    /** One entry per (type, reason, message), in the order of first occurrence. */
    static List<Aggregated> aggregate(List<GroupEvent> events) {
        Map<List<String>, Aggregated> byKey = new LinkedHashMap<>();
        for (GroupEvent event : events) {
            byKey.merge(List.of(event.type(), event.reason(), event.message()),
                    new Aggregated(event.name(), event.type(), event.reason(), event.message(), 1,
                            event.timestamp(), event.timestamp()),
                    Aggregated::plus);
        }
        return new ArrayList<>(byKey.values());
    }

    /** An aggregated event; {@code name} is the first occurrence's. */
    record Aggregated(String name, String type, String reason, String message, int count, Instant first,
            Instant last) {

        Aggregated plus(Aggregated later) {
            return new Aggregated(name, type, reason, message, count + later.count,
                    first.isBefore(later.first) ? first : later.first, last.isAfter(later.last) ? last : later.last);
        }
    }

    private static JsonObject render(ContainerGroup group, List<Aggregated> events) {
        String podName = Json.orEmpty(group.spec().tag(PodStatusJson.POD_NAME_TAG));
        String podNamespace = Json.orEmpty(group.spec().tag(PodStatusJson.POD_NAMESPACE_TAG));
        String podUid = Json.orEmpty(group.spec().tag(PodStatusJson.POD_UID_TAG));
        JsonObject json = new JsonObject();
        json.addProperty("ContainerGroupId", group.id());
        json.addProperty("Name", podName);
        json.addProperty("Namespace", podNamespace);
        json.addProperty("uuid", podUid);
        json.addProperty("Annotations", "{}");
        JsonArray array = new JsonArray();
        for (Aggregated event : events) {
            JsonObject e = new JsonObject();
            e.addProperty("Count", event.count());
            e.addProperty("Type", event.type());
            e.addProperty("Reason", event.reason());
            e.addProperty("Message", event.message());
            e.addProperty("FirstTimestamp", Json.time(event.first()));
            e.addProperty("LastTimestamp", Json.time(event.last()));
            e.addProperty("ReportingComponent", REPORTING_COMPONENT);
            e.addProperty("ReportingInstance", "");
            JsonObject metadata = new JsonObject();
            metadata.addProperty("Name", event.name());
            metadata.addProperty("Namespace", podNamespace);
            e.add("Metadata", metadata);
            JsonObject source = new JsonObject();
            source.addProperty("Component", REPORTING_COMPONENT);
            source.addProperty("Host", "");
            e.add("Source", source);
            JsonObject involved = new JsonObject();
            involved.addProperty("ApiVersion", "v1");
            involved.addProperty("Kind", "Pod");
            involved.addProperty("Name", podName);
            involved.addProperty("Namespace", podNamespace);
            involved.addProperty("Uid", podUid);
            e.add("involvedObject", involved);
            array.add(e);
        }
        json.add("Events", array);
        return json;
    }
}
