package io.ecivk.eci.mock.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The RPC-style flattened parameters ({@code Container.1.EnvironmentVar.2.Key=A}) as a tree: every dot-separated
 * segment is a child, and children named by a positive integer are the 1-based items of a list. Typed accessors
 * raise the API's own errors ({@code MissingParameter}, {@code InvalidParameter}) naming the full parameter path,
 * e.g. {@code Container.2.Image}.
 * <p>
 * Empty values count as absent: the SDK only sends {@code Key=} for an empty string, never for a meaningful value.
 */
public final class Params {

    private static final Pattern LIST_INDEX = Pattern.compile("[1-9][0-9]{0,8}");

    private final String path;
    private final Map<String, Params> children = new TreeMap<>();
    private String value;

    private Params(String path) {
        this.path = path;
    }

    /** Builds the tree from decoded query parameters. */
    public static Params of(Map<String, String> flat) {
        Params root = new Params("");
        flat.forEach((key, value) -> {
            Params node = root;
            for (String segment : key.split("\\.", -1)) {
                node = node.children.computeIfAbsent(segment, node::childPath);
            }
            node.value = value;
        });
        return root;
    }

    private Params childPath(String name) {
        return new Params(path.isEmpty() ? name : path + "." + name);
    }

    /** The full dotted parameter name of this node, e.g. {@code Container.1.Port.2}. */
    public String path() {
        return path;
    }

    /** The named child; an empty node (no value, no children) when it was not sent. Never null. */
    public Params child(String name) {
        Params child = children.get(name);
        return child != null ? child : childPath(name);
    }

    /** This node's own value, if non-empty. */
    public Optional<String> value() {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public Optional<String> string(String name) {
        return child(name).value();
    }

    /** @throws ApiException MissingParameter when absent or empty */
    public String required(String name) {
        return string(name).orElseThrow(() -> ApiException.missingParameter(child(name).path()));
    }

    /**
     * The items of list {@code name}, in index order. Indexes need not be contiguous (only their order matters),
     * but every child of a list must be a positive integer.
     */
    public List<Params> list(String name) {
        Params list = child(name);
        List<Map.Entry<String, Params>> items = new ArrayList<>(list.children.entrySet());
        for (Map.Entry<String, Params> item : items) {
            if (!LIST_INDEX.matcher(item.getKey()).matches()) {
                throw ApiException.invalidParameter(item.getValue().path(),
                        "list items are numbered 1, 2, 3...; \"" + item.getKey() + "\" is not an item number.");
            }
        }
        items.sort(Comparator.comparingInt(item -> Integer.parseInt(item.getKey())));
        return items.stream().map(Map.Entry::getValue).toList();
    }

    /** The values of a list of scalars ({@code Command.1}, {@code Command.2}...); empty items are kept as "". */
    public List<String> strings(String name) {
        return list(name).stream().map(item -> item.value == null ? "" : item.value).toList();
    }

    /** A non-negative decimal number. */
    public Optional<BigDecimal> decimal(String name) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            BigDecimal number = new BigDecimal(raw.get().trim());
            if (number.signum() < 0) {
                throw ApiException.invalidParameter(child(name).path(), "the value must not be negative.");
            }
            return Optional.of(number);
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter(child(name).path(), "\"" + raw.get() + "\" is not a number.");
        }
    }

    /** An integer within {@code [min, max]}. */
    public OptionalInt integer(String name, int min, int max) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return OptionalInt.empty();
        }
        int number;
        try {
            number = Integer.parseInt(raw.get().trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter(child(name).path(), "\"" + raw.get() + "\" is not an integer.");
        }
        if (number < min || number > max) {
            throw ApiException.invalidParameter(child(name).path(),
                    "the value must be between " + min + " and " + max + ".");
        }
        return OptionalInt.of(number);
    }

    /** A whole number within {@code [min, max]}, for the API's Long fields. */
    public Optional<Long> longInteger(String name, long min, long max) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        long number;
        try {
            number = Long.parseLong(raw.get().trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter(child(name).path(), "\"" + raw.get() + "\" is not an integer.");
        }
        if (number < min || number > max) {
            throw ApiException.invalidParameter(child(name).path(),
                    "the value must be between " + min + " and " + max + ".");
        }
        return Optional.of(number);
    }

    /** {@link #integer} boxed: null when absent. */
    public Integer integerOrNull(String name, int min, int max) {
        OptionalInt value = integer(name, min, max);
        return value.isPresent() ? value.getAsInt() : null;
    }

    /** Whether anything (a value or any child) was sent under this node. */
    public boolean isPresent() {
        return value().isPresent() || children.values().stream().anyMatch(Params::isPresent);
    }

    /** {@code true} or {@code false}, case-insensitively (the SDK sends {@code String.valueOf(Boolean)}). */
    public Optional<Boolean> bool(String name) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(Boolean.TRUE);
            case "false" -> Optional.of(Boolean.FALSE);
            default -> throw ApiException.invalidParameter(child(name).path(), "expected true or false.");
        };
    }

    /** The value, which must be one of {@code allowed} (case-sensitive, as the API is); the default when absent. */
    public String oneOf(String name, String defaultValue, Set<String> allowed) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        if (!allowed.contains(raw.get())) {
            throw ApiException.invalidParameter(child(name).path(),
                    "\"" + raw.get() + "\" is not one of " + String.join(", ", new TreeSet<>(allowed)) + ".");
        }
        return raw.get();
    }
}
