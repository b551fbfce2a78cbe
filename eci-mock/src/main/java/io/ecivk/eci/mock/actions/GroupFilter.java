package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.Params;
import io.ecivk.eci.mock.model.ContainerGroup;
import io.ecivk.eci.mock.model.EciStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** Parses the list filters the Describe actions share; every given filter must match (they are ANDed). */
final class GroupFilter {

    static final int MAX_IDS = 20;

    private final List<Predicate<ContainerGroup>> conditions = new ArrayList<>();
    private final Instant now;

    GroupFilter(Instant now) {
        this.now = now;
    }

    /** {@code ContainerGroupIds}: a JSON array of at most 20 ids. */
    GroupFilter ids(Params params) {
        Optional<String> raw = params.string("ContainerGroupIds");
        if (raw.isPresent()) {
            Set<String> ids = parseIds(raw.get());
            conditions.add(group -> ids.contains(group.id()));
        }
        return this;
    }

    GroupFilter name(Params params) {
        params.string("ContainerGroupName").ifPresent(name -> conditions.add(group -> group.spec().name().equals(name)));
        return this;
    }

    /** {@code Status}: one of the documented statuses (an unknown one is an error, not an empty result). */
    GroupFilter status(Params params) {
        Optional<String> raw = params.string("Status");
        if (raw.isPresent()) {
            EciStatus status = EciStatus.fromWireName(raw.get()).orElseThrow(() ->
                    ApiException.invalidParameter("Status", "\"" + raw.get() + "\" is not a container group status."));
            conditions.add(group -> group.statusAt(now) == status);
        }
        return this;
    }

    /** {@code Tag.N.Key/Value}: the group must carry every tag with exactly that value (absent value = ""). */
    GroupFilter tags(Params params) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Params tag : params.list("Tag")) {
            wanted.put(tag.required("Key"), tag.string("Value").orElse(""));
        }
        if (!wanted.isEmpty()) {
            conditions.add(group -> group.spec().hasTags(wanted));
        }
        return this;
    }

    GroupFilter zone(Params params) {
        params.string("ZoneId").ifPresent(zone -> conditions.add(group -> group.vSwitch().zoneId().equals(zone)));
        return this;
    }

    GroupFilter vSwitch(Params params) {
        params.string("VSwitchId").ifPresent(id -> conditions.add(group -> group.vSwitch().id().equals(id)));
        return this;
    }

    GroupFilter securityGroup(Params params) {
        params.string("SecurityGroupId")
                .ifPresent(id -> conditions.add(group -> group.spec().securityGroupId().equals(id)));
        return this;
    }

    /** {@code SinceSecond}: only groups whose status changed within the last N seconds. */
    GroupFilter changedSince(Params params) {
        params.integer("SinceSecond", 0, Integer.MAX_VALUE).ifPresent(seconds -> {
            Instant since = now.minusSeconds(seconds);
            conditions.add(group -> !group.statusSince(now).isBefore(since));
        });
        return this;
    }

    List<ContainerGroup> apply(List<ContainerGroup> groups) {
        return groups.stream().filter(group -> conditions.stream().allMatch(condition -> condition.test(group)))
                .toList();
    }

    static Set<String> parseIds(String json) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw ApiException.invalidParameter("ContainerGroupIds", "it must be a JSON array of ids.");
        }
        if (!parsed.isJsonArray()) {
            throw ApiException.invalidParameter("ContainerGroupIds", "it must be a JSON array of ids.");
        }
        JsonArray array = parsed.getAsJsonArray();
        if (array.size() > MAX_IDS) {
            throw ApiException.invalidParameter("ContainerGroupIds", "at most " + MAX_IDS + " ids may be given.");
        }
        List<String> ids = new ArrayList<>();
        for (JsonElement element : array) {
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
                throw ApiException.invalidParameter("ContainerGroupIds", "every id must be a JSON string.");
            }
            ids.add(element.getAsString());
        }
        return Set.copyOf(ids);
    }
}
