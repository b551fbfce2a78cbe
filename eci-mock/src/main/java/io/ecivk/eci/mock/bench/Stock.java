package io.ecivk.eci.mock.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which zones and specs are out of stock. A rule names a zone, a spec label (e.g. {@code 2.0-4.0Gi}) or both; a
 * null part matches anything. Everything is in stock by default. Thread-safe.
 */
public final class Stock {

    /** The key of a rule; {@code null} parts are wildcards. */
    public record Key(String zoneId, String spec) {
    }

    private final Map<Key, StockOutMode> outages = new LinkedHashMap<>();

    /** Marks {@code zoneId}/{@code spec} out of stock (null = any). */
    public synchronized void outOfStock(String zoneId, String spec, StockOutMode mode) {
        if (zoneId == null && spec == null) {
            throw new IllegalArgumentException("name a zone, a spec or both");
        }
        outages.put(new Key(zoneId, spec), Objects.requireNonNull(mode, "mode"));
    }

    /** Removes the rule for exactly this zone/spec pair; returns whether there was one. */
    public synchronized boolean restore(String zoneId, String spec) {
        return outages.remove(new Key(zoneId, spec)) != null;
    }

    public synchronized void restoreAll() {
        outages.clear();
    }

    /** The mode of the first rule matching the zone and spec, or empty when in stock. */
    public synchronized Optional<StockOutMode> check(String zoneId, String spec) {
        for (Map.Entry<Key, StockOutMode> outage : outages.entrySet()) {
            Key key = outage.getKey();
            if ((key.zoneId() == null || key.zoneId().equals(zoneId))
                    && (key.spec() == null || key.spec().equals(spec))) {
                return Optional.of(outage.getValue());
            }
        }
        return Optional.empty();
    }

    public synchronized Map<Key, StockOutMode> outages() {
        return Map.copyOf(outages);
    }
}
