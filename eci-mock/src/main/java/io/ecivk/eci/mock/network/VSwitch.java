package io.ecivk.eci.mock.network;

import java.util.Objects;

/** A vSwitch the simulated account owns: one zone, one CIDR block that group IPs are taken from. */
public record VSwitch(String id, String zoneId, Ipv4Cidr cidr) {

    public VSwitch {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(cidr, "cidr");
        if (!id.startsWith("vsw-")) {
            throw new IllegalArgumentException("vSwitch ids start with vsw-: " + id);
        }
        if (zoneId.isBlank()) {
            throw new IllegalArgumentException("zone of " + id + " is blank");
        }
    }
}
