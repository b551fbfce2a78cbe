package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.model.GroupEvent;
import io.ecivk.eci.mock.sizing.SpecTable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** DescribeContainerGroupEvents: selection, aggregation, SinceSecond, paging and the answer's keys. */
class EventsActionTest {

    private final ActionsFixture fixture = new ActionsFixture();
    private final DescribeContainerGroupEventsAction events = new DescribeContainerGroupEventsAction(fixture.store);
    private final UpdateContainerGroupAction update = new UpdateContainerGroupAction(
            new CreateRequestParser(fixture.region, SpecTable.standard()), fixture.store);

    private JsonObject call(Map<String, String> params) {
        Map<String, String> all = new HashMap<>(params);
        all.put("RegionId", "cn-hangzhou");
        return events.handle(ApiRequest.of(all));
    }

    private static Map<String, String> tagged(String name, String uid) {
        Map<String, String> params = ActionsFixture.minimalCreate(name);
        params.put("Tag.1.Key", "PodName");
        params.put("Tag.1.Value", name);
        params.put("Tag.2.Key", "PodNamespace");
        params.put("Tag.2.Value", "default");
        params.put("Tag.3.Key", "PodUID");
        params.put("Tag.3.Value", uid);
        params.put("Tag.4.Key", "node");
        params.put("Tag.4.Value", "vk-1");
        return params;
    }

    private void updateTwice(String id) {
        for (int i = 0; i < 2; i++) {
            fixture.clock.advance(Duration.ofSeconds(10));
            update.handle(ApiRequest.of(Map.of("RegionId", "cn-hangzhou", "ContainerGroupId", id,
                    "RestartPolicy", "Always")));
        }
    }

    private static List<JsonObject> list(JsonArray array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonElement::getAsJsonObject).toList();
    }

    private static JsonObject byReason(JsonObject group, String reason) {
        return list(group.getAsJsonArray("Events")).stream()
                .filter(e -> e.get("Reason").getAsString().equals(reason)).findFirst().orElseThrow();
    }

    @Test
    void aggregatesEqualEventsWithCountAndFirstAndLastTimestamps() {
        List<GroupEvent> raw = List.of(
                new GroupEvent("g.1", "Normal", "Updated", "Container group g updated",
                        Instant.parse("2026-11-23T10:00:10Z")),
                new GroupEvent("g.2", "Warning", "NoStock", "out of stock", Instant.parse("2026-11-23T10:00:11Z")),
                new GroupEvent("g.3", "Normal", "Updated", "Container group g updated",
                        Instant.parse("2026-11-23T10:00:20Z")),
                new GroupEvent("g.4", "Normal", "Updated", "Container group g updated",
                        Instant.parse("2026-11-23T10:00:30Z")),
                new GroupEvent("g.5", "Warning", "Updated", "Container group g updated",
                        Instant.parse("2026-11-23T10:00:40Z")));

        assertThat(DescribeContainerGroupEventsAction.aggregate(raw)).containsExactly(
                new DescribeContainerGroupEventsAction.Aggregated("g.1", "Normal", "Updated",
                        "Container group g updated", 3, Instant.parse("2026-11-23T10:00:10Z"),
                        Instant.parse("2026-11-23T10:00:30Z")),
                new DescribeContainerGroupEventsAction.Aggregated("g.2", "Warning", "NoStock", "out of stock", 1,
                        Instant.parse("2026-11-23T10:00:11Z"), Instant.parse("2026-11-23T10:00:11Z")),
                new DescribeContainerGroupEventsAction.Aggregated("g.5", "Warning", "Updated",
                        "Container group g updated", 1, Instant.parse("2026-11-23T10:00:40Z"),
                        Instant.parse("2026-11-23T10:00:40Z")));
    }

    @Test
    void answersTheGroupsEventsWithTheDocumentedKeys() {
        String id = fixture.create(tagged("web", "uid-1"));
        fixture.clock.advance(Duration.ofSeconds(5));
        updateTwice(id);

        JsonObject answer = call(Map.of("ContainerGroupIds", "[\"" + id + "\"]"));
        assertThat(answer.get("TotalCount").getAsInt()).isEqualTo(1);
        assertThat(answer.get("NextToken").getAsString()).isEmpty();
        JsonObject group = answer.getAsJsonArray("Data").get(0).getAsJsonObject();
        assertThat(group.get("ContainerGroupId").getAsString()).isEqualTo(id);
        assertThat(group.get("Name").getAsString()).isEqualTo("web");
        assertThat(group.get("Namespace").getAsString()).isEqualTo("default");
        assertThat(group.get("uuid").getAsString()).isEqualTo("uid-1");
        assertThat(list(group.getAsJsonArray("Events")).stream().map(e -> e.get("Reason").getAsString()))
                .containsExactly("Scheduled", "Pulling", "Pulled", "Created", "Started", "Updated");
        JsonObject updated = byReason(group, "Updated");
        assertThat(updated.get("Count").getAsInt()).isEqualTo(2);
        assertThat(updated.get("Type").getAsString()).isEqualTo("Normal");
        assertThat(updated.get("Message").getAsString()).isEqualTo("Container group " + id + " updated");
        assertThat(updated.get("FirstTimestamp").getAsString()).isEqualTo("2026-11-23T10:00:15Z");
        assertThat(updated.get("LastTimestamp").getAsString()).isEqualTo("2026-11-23T10:00:25Z");
        assertThat(updated.getAsJsonObject("Metadata").get("Namespace").getAsString()).isEqualTo("default");
        assertThat(updated.getAsJsonObject("Source").get("Component").getAsString()).isEqualTo("eci");
        JsonObject involved = updated.getAsJsonObject("involvedObject");
        assertThat(involved.get("Kind").getAsString()).isEqualTo("Pod");
        assertThat(involved.get("Name").getAsString()).isEqualTo("web");
        assertThat(involved.get("Uid").getAsString()).isEqualTo("uid-1");
        JsonObject started = byReason(group, "Started");
        assertThat(started.get("Count").getAsInt()).isEqualTo(1);
        assertThat(started.get("FirstTimestamp").getAsString()).isEqualTo("2026-11-23T10:00:03Z");
    }

    @Test
    void sinceSecondKeepsOnlyEventsWhoseLastTimestampIsRecent() {
        String id = fixture.create(tagged("web", "uid-1"));
        fixture.clock.advance(Duration.ofSeconds(5));
        updateTwice(id); // Updated at 10:00:15 and 10:00:25; the others by 10:00:03
        fixture.clock.advance(Duration.ofSeconds(5)); // now 10:00:30

        JsonObject recent = call(Map.of("Tag.1.Key", "node", "Tag.1.Value", "vk-1", "SinceSecond", "10"));
        JsonObject group = recent.getAsJsonArray("Data").get(0).getAsJsonObject();
        assertThat(list(group.getAsJsonArray("Events")).stream().map(e -> e.get("Reason").getAsString()))
                .containsExactly("Updated");
        assertThat(byReason(group, "Updated").get("Count").getAsInt()).isEqualTo(2);

        assertThat(call(Map.of("Tag.1.Key", "node", "Tag.1.Value", "vk-1", "SinceSecond", "4"))
                .getAsJsonArray("Data")).isEmpty();
        assertThat(call(Map.of("Tag.1.Key", "node", "Tag.1.Value", "other")).getAsJsonArray("Data")).isEmpty();
    }

    @Test
    void pagesOverGroupsWithLimitAndNextToken() {
        List<String> ids = List.of(fixture.create(tagged("aa", "u-a")), fixture.create(tagged("bb", "u-b")),
                fixture.create(tagged("cc", "u-c")));
        fixture.clock.advance(Duration.ofSeconds(5));

        JsonObject first = call(Map.of("Tag.1.Key", "node", "Tag.1.Value", "vk-1", "Limit", "2"));
        assertThat(first.get("TotalCount").getAsInt()).isEqualTo(3);
        assertThat(list(first.getAsJsonArray("Data")).stream().map(g -> g.get("ContainerGroupId").getAsString()))
                .containsExactly(ids.get(0), ids.get(1));
        String token = first.get("NextToken").getAsString();
        assertThat(token).isNotEmpty();
        JsonObject second = call(Map.of("Tag.1.Key", "node", "Tag.1.Value", "vk-1", "Limit", "2",
                "NextToken", token));
        assertThat(list(second.getAsJsonArray("Data")).stream().map(g -> g.get("ContainerGroupId").getAsString()))
                .containsExactly(ids.get(2));
        assertThat(second.get("NextToken").getAsString()).isEmpty();
    }

    @Test
    void k8sAgentSourceHasNoEventsAndBadParametersAreRefused() {
        fixture.create(tagged("web", "uid-1"));
        fixture.clock.advance(Duration.ofSeconds(5));
        assertThat(call(Map.of("EventSource", "K8sAgent")).getAsJsonArray("Data")).isEmpty();
        assertThat(call(Map.of("EventSource", "EciService")).getAsJsonArray("Data")).hasSize(1);
        assertThatThrownBy(() -> call(Map.of("EventSource", "Kubelet"))).isInstanceOf(ApiException.class)
                .hasMessageContaining("EventSource");
        assertThatThrownBy(() -> call(Map.of("Limit", "201"))).isInstanceOf(ApiException.class)
                .hasMessageContaining("Limit");
        assertThatThrownBy(() -> call(Map.of("ContainerGroupIds", "not-json"))).isInstanceOf(ApiException.class)
                .hasMessageContaining("ContainerGroupIds");
    }
}
