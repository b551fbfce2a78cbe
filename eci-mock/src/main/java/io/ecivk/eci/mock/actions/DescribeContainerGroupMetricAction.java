package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiAction;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.api.Params;
import io.ecivk.eci.mock.model.ContainerGroup;
import io.ecivk.eci.mock.model.ContainerGroupStore;
import io.ecivk.eci.mock.telemetry.MetricsBook;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * {@code DescribeContainerGroupMetric}: the samples of one group between {@code StartTime} and {@code EndTime}
 * (RFC 3339, within the last 30 days; default the last 5 minutes), one every {@code Period} seconds (15, 30, 60 or
 * 600; default 60), at multiples of the period, only while the group's containers ran. An unknown group is
 * {@code 404 InvalidContainerGroup.NotFound}.
 */
public final class DescribeContainerGroupMetricAction implements ApiAction {

    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    static final Duration MAX_AGE = Duration.ofDays(30);
    /** At most this many records in one answer (an assumption: the real cap is not documented). */
    static final int MAX_RECORDS = 1440;

    private final ContainerGroupStore store;
    private final MetricsBook book;

    public DescribeContainerGroupMetricAction(ContainerGroupStore store, MetricsBook book) {
        this.store = store;
        this.book = book;
    }

    @Override
    public String name() {
        return "DescribeContainerGroupMetric";
    }

    @Override
    public JsonObject handle(ApiRequest request) {
        Params params = request.params();
        String id = params.required("ContainerGroupId");
        int period = Integer.parseInt(params.oneOf("Period", "60", Set.of("15", "30", "60", "600")));
        ContainerGroupStore.Snapshot snapshot = store.snapshot();
        Instant now = snapshot.at();
        ContainerGroup group = snapshot.groups().stream().filter(g -> g.id().equals(id)).findFirst()
                .orElseThrow(() -> new ApiException(404, "InvalidContainerGroup.NotFound",
                        "The specified container group \"" + id + "\" does not exist."));
        Instant end = time(params, "EndTime", now);
        if (end.isAfter(now)) {
            end = now;
        }
        Instant start = time(params, "StartTime", end.minus(DEFAULT_WINDOW));
        if (start.isBefore(now.minus(MAX_AGE))) {
            throw ApiException.invalidParameter("StartTime", "it must be within the last 30 days.");
        }
        if (start.isAfter(end)) {
            throw ApiException.invalidParameter("StartTime", "it must not be after EndTime.");
        }
        long step = period;
        long first = Math.floorDiv(start.getEpochSecond() + step - 1, step) * step;
        if ((end.getEpochSecond() - first) / step + 1 > MAX_RECORDS) {
            throw ApiException.invalidParameter("Period",
                    "the window holds more than " + MAX_RECORDS + " records; use a longer period.");
        }
        JsonArray records = new JsonArray();
        for (long second = first; second <= end.getEpochSecond(); second += step) {
            Instant at = Instant.ofEpochSecond(second);
            if (MetricsJson.sampled(group, at)) {
                records.add(MetricsJson.record(group, book, at));
            }
        }
        JsonObject json = new JsonObject();
        json.addProperty("ContainerGroupId", id);
        json.add("Records", records);
        return json;
    }

    private static Instant time(Params params, String name, Instant defaultValue) {
        return params.string(name).map(raw -> {
            try {
                return Instant.parse(raw.trim());
            } catch (DateTimeParseException e) {
                throw ApiException.invalidParameter(name, "\"" + raw + "\" is not an RFC 3339 time.");
            }
        }).orElse(defaultValue);
    }
}
