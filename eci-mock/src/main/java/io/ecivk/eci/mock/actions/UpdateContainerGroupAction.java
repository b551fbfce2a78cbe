package io.ecivk.eci.mock.actions;

import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiAction;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.api.Params;
import io.ecivk.eci.mock.model.ContainerGroupStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code UpdateContainerGroup} (eci-openapi.md §3.4). The stored create parameters are merged with the update's and
 * validated again as a create would be, so the same rules (and the same sizing) apply:
 * <ul>
 *   <li>{@code RenewUpdate} (default): every list or struct the update carries ({@code Container}, {@code InitContainer},
 *       {@code Volume}, {@code ImageRegistryCredential}, {@code Tag}, {@code DnsConfig}) replaces the stored one
 *       wholesale;</li>
 *   <li>{@code IncrementalUpdate}: containers, init containers and volumes are merged by {@code Name}, registry
 *       credentials by {@code Server}, tags by {@code Key}; within a matched item each leaf sent replaces the
 *       stored leaf, except that a list field ({@code EnvironmentVar}, {@code Command}...) and a probe are replaced
 *       as a whole; unmatched items are appended.</li>
 * </ul>
 * Scalars ({@code RestartPolicy}, {@code Cpu}, {@code Memory}, {@code ResourceGroupId}) replace the stored value in
 * both modes. Answers {@code {RequestId}}.
 */
public final class UpdateContainerGroupAction implements ApiAction {

    /** Fields an incremental update replaces as a whole even when only part of them is sent. */
    private static final Set<String> WHOLE_FIELDS = Set.of("ReadinessProbe", "LivenessProbe");
    private static final Set<String> UPDATE_TYPES = Set.of("RenewUpdate", "IncrementalUpdate");
    private static final List<String> SCALARS = List.of("RestartPolicy", "Cpu", "Memory", "ResourceGroupId");
    /** Updatable lists and the field their items are matched by in an incremental update. */
    private static final Map<String, String> LISTS = new LinkedHashMap<>();

    static {
        LISTS.put("Container", "Name");
        LISTS.put("InitContainer", "Name");
        LISTS.put("Volume", "Name");
        LISTS.put("ImageRegistryCredential", "Server");
        LISTS.put("Tag", "Key");
    }

    private final CreateRequestParser parser;
    private final ContainerGroupStore store;

    public UpdateContainerGroupAction(CreateRequestParser parser, ContainerGroupStore store) {
        this.parser = parser;
        this.store = store;
    }

    @Override
    public String name() {
        return "UpdateContainerGroup";
    }

    @Override
    public JsonObject handle(ApiRequest request) {
        Params params = request.params();
        String id = params.required("ContainerGroupId");
        boolean incremental = params.oneOf("UpdateType", "RenewUpdate", UPDATE_TYPES).equals("IncrementalUpdate");
        Optional<String> token = params.string("ClientToken");
        if (token.isPresent() && token.get().length() > CreateRequestParser.MAX_CLIENT_TOKEN_LENGTH) {
            throw ApiException.invalidParameter("ClientToken",
                    "it must be at most " + CreateRequestParser.MAX_CLIENT_TOKEN_LENGTH + " ASCII characters.");
        }
        SortedMap<String, String> update = new TreeMap<>(request.parameters());
        store.update(id, token.orElse(null), update, current -> parser.parse(
                ApiRequest.of(merge(current.parameters(), update, incremental))));
        return new JsonObject();
    }

    /** The create parameters the group has after the update. Pure; exposed for tests. */
    static SortedMap<String, String> merge(Map<String, String> stored, Map<String, String> update,
            boolean incremental) {
        SortedMap<String, String> merged = new TreeMap<>(stored);
        merged.remove("DryRun");
        for (String scalar : SCALARS) {
            if (update.containsKey(scalar)) {
                merged.put(scalar, update.get(scalar));
            }
        }
        if (!withPrefix(update, "DnsConfig.").isEmpty()) {
            merged.keySet().removeIf(key -> key.startsWith("DnsConfig."));
            merged.putAll(withPrefix(update, "DnsConfig."));
        }
        LISTS.forEach((list, matchKey) -> {
            Map<String, String> given = withPrefix(update, list + ".");
            if (given.isEmpty()) {
                return;
            }
            List<Map<String, String>> items = incremental
                    ? mergeItems(items(merged, list), items(update, list), list, matchKey)
                    : items(update, list);
            merged.keySet().removeIf(key -> key.startsWith(list + "."));
            for (int i = 0; i < items.size(); i++) {
                String prefix = list + "." + (i + 1) + ".";
                items.get(i).forEach((suffix, value) -> merged.put(prefix + suffix, value));
            }
        });
        return merged;
    }

    private static List<Map<String, String>> mergeItems(List<Map<String, String>> stored,
            List<Map<String, String>> given, String list, String matchKey) {
        List<Map<String, String>> result = new ArrayList<>(stored);
        for (int i = 0; i < given.size(); i++) {
            Map<String, String> item = given.get(i);
            String key = item.get(matchKey);
            if (key == null || key.isEmpty()) {
                throw ApiException.missingParameter(list + "." + (i + 1) + "." + matchKey);
            }
            Map<String, String> match = result.stream().filter(s -> key.equals(s.get(matchKey))).findFirst()
                    .orElse(null);
            if (match == null) {
                result.add(item);
                continue;
            }
            Set<String> units = new HashSet<>();
            item.keySet().forEach(suffix -> units.add(replaceUnit(suffix)));
            match.keySet().removeIf(suffix -> units.stream().anyMatch(
                    unit -> suffix.equals(unit) || suffix.startsWith(unit + ".")));
            match.putAll(item);
        }
        return result;
    }

    /**
     * What a field sent in an incremental update replaces: a whole probe (its handler is one-of), a whole list
     * ({@code EnvironmentVar.2.Key} replaces every {@code EnvironmentVar}), otherwise just that leaf
     * ({@code EmptyDirVolume.SizeLimit} keeps {@code EmptyDirVolume.Medium}).
     */
    static String replaceUnit(String suffix) {
        String[] segments = suffix.split("\\.");
        if (WHOLE_FIELDS.contains(segments[0])) {
            return segments[0];
        }
        StringBuilder unit = new StringBuilder(segments[0]);
        for (int i = 1; i < segments.length && !segments[i].chars().allMatch(Character::isDigit); i++) {
            unit.append('.').append(segments[i]);
        }
        return unit.toString();
    }

    /** The items of {@code list} in index order, each as its keys below {@code <list>.<n>.}. */
    private static List<Map<String, String>> items(Map<String, String> flat, String list) {
        TreeMap<Long, Map<String, String>> byIndex = new TreeMap<>();
        withPrefix(flat, list + ".").forEach((key, value) -> {
            String[] parts = key.substring(list.length() + 1).split("\\.", 2);
            long index;
            try {
                index = Long.parseLong(parts[0]);
            } catch (NumberFormatException e) {
                throw ApiException.invalidParameter(list + "." + parts[0], "list items are numbered 1, 2, 3...");
            }
            byIndex.computeIfAbsent(index, i -> new TreeMap<>()).put(parts.length > 1 ? parts[1] : "", value);
        });
        List<Map<String, String>> items = new ArrayList<>();
        byIndex.values().forEach(item -> items.add(new TreeMap<>(item)));
        return items;
    }

    private static Map<String, String> withPrefix(Map<String, String> flat, String prefix) {
        Map<String, String> matching = new TreeMap<>();
        flat.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                matching.put(key, value);
            }
        });
        return matching;
    }
}
