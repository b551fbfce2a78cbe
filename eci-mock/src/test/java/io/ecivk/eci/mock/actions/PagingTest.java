package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class PagingTest {

    private final ActionsFixture fixture = new ActionsFixture();

    private List<String> createGroups(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(fixture.createNamed("web-" + i));
        }
        return ids;
    }

    private static List<String> ids(JsonObject answer, String listKey) {
        List<String> ids = new ArrayList<>();
        for (JsonElement item : answer.getAsJsonArray(listKey)) {
            ids.add(item.getAsJsonObject().get("ContainerGroupId").getAsString());
        }
        return ids;
    }

    @Test
    void pagesThroughEveryGroupOnceInCreationOrder() {
        List<String> created = createGroups(45);
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = "";
        do {
            Map<String, String> params = new HashMap<>();
            if (!token.isEmpty()) {
                params.put("NextToken", token);
            }
            JsonObject page = fixture.describe(params);
            assertThat(page.get("TotalCount").getAsInt()).isEqualTo(45);
            pageSizes.add(page.getAsJsonArray("ContainerGroups").size());
            seen.addAll(ids(page, "ContainerGroups"));
            token = page.get("NextToken").getAsString();
        } while (!token.isEmpty());

        assertThat(pageSizes).containsExactly(20, 20, 5);
        assertThat(seen).containsExactlyElementsOf(created);
    }

    @Test
    void pagingNeitherSkipsNorRepeatsWhileGroupsComeAndGo() {
        List<String> created = createGroups(30);
        JsonObject first = fixture.describe(Map.of("Limit", "10"));
        // Between pages: a group already returned disappears, one not yet returned disappears, new ones arrive.
        fixture.delete(created.get(3), true);
        fixture.delete(created.get(15), true);
        String late = fixture.createNamed("late");
        JsonObject second = fixture.describe(Map.of("Limit", "10", "NextToken", first.get("NextToken").getAsString()));
        JsonObject rest = fixture.describe(Map.of("Limit", "20", "NextToken", second.get("NextToken").getAsString()));

        List<String> seen = new ArrayList<>(ids(first, "ContainerGroups"));
        seen.addAll(ids(second, "ContainerGroups"));
        seen.addAll(ids(rest, "ContainerGroups"));
        List<String> expected = new ArrayList<>(created);
        expected.remove(15);
        expected.add(late);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
        assertThat(rest.get("NextToken").getAsString()).isEmpty();
    }

    @Test
    void statusCallPagesUpToTwoHundred() {
        createGroups(25);
        JsonObject all = fixture.status(Map.of());
        assertThat(all.getAsJsonArray("Data")).hasSize(25);
        assertThat(all.get("NextToken").getAsString()).isEmpty();

        JsonObject page = fixture.status(Map.of("Limit", "10"));
        assertThat(page.getAsJsonArray("Data")).hasSize(10);
        assertThat(page.get("TotalCount").getAsInt()).isEqualTo(25);
        assertThat(page.get("NextToken").getAsString()).isNotEmpty();
        assertRejected(() -> fixture.status(Map.of("Limit", "201")), "Limit");
    }

    @Test
    void rejectsOutOfRangeLimitsForeignTokensAndTooManyIds() {
        assertRejected(() -> fixture.describe(Map.of("Limit", "21")), "Limit");
        assertRejected(() -> fixture.describe(Map.of("Limit", "0")), "Limit");
        assertRejected(() -> fixture.describe(Map.of("NextToken", "not-ours")), "NextToken");
        assertRejected(() -> fixture.describe(Map.of("ContainerGroupIds", "eci-1")), "ContainerGroupIds");
        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i < 21; i++) {
            tooMany.append(i == 0 ? "" : ",").append("\"eci-").append(i).append('"');
        }
        assertRejected(() -> fixture.describe(Map.of("ContainerGroupIds", tooMany + "]")), "ContainerGroupIds");
        assertRejected(() -> fixture.status(Map.of("ContainerGroupIds", tooMany + "]")), "ContainerGroupIds");
    }

    private static void assertRejected(ThrowingCallable call, String param) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("InvalidParameter");
            assertThat(e.getMessage()).contains("\"" + param + "\"");
        });
    }
}
