package io.ecivk.eci.mock.model;

import io.ecivk.eci.mock.network.VSwitch;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one region the simulator serves and the network resources the simulated account owns there.
 *
 * @param securityGroupIds the security groups that exist; empty means any {@code sg-} id is accepted
 */
public record Region(String regionId, List<VSwitch> vSwitches, Set<String> securityGroupIds) {

    public Region {
        if (regionId == null || regionId.isBlank()) {
            throw new IllegalArgumentException("region id must not be blank");
        }
        if (vSwitches.isEmpty()) {
            throw new IllegalArgumentException("at least one vSwitch is needed to place container groups");
        }
        Map<String, VSwitch> byId = new LinkedHashMap<>();
        for (VSwitch vSwitch : vSwitches) {
            if (byId.putIfAbsent(vSwitch.id(), vSwitch) != null) {
                throw new IllegalArgumentException("vSwitch configured twice: " + vSwitch.id());
            }
        }
        vSwitches = List.copyOf(vSwitches);
        securityGroupIds = Set.copyOf(securityGroupIds);
    }

    public Optional<VSwitch> vSwitch(String id) {
        return vSwitches.stream().filter(vSwitch -> vSwitch.id().equals(id)).findFirst();
    }

    /** Zones that have a vSwitch, in configuration order. */
    public List<String> zones() {
        Set<String> zones = new LinkedHashSet<>();
        vSwitches.forEach(vSwitch -> zones.add(vSwitch.zoneId()));
        return List.copyOf(zones);
    }

    public boolean securityGroupExists(String id) {
        return securityGroupIds.isEmpty() ? id.startsWith("sg-") && id.length() > 3 : securityGroupIds.contains(id);
    }

    /** The service endpoint host, also used as {@code HostId} in error answers. */
    public String endpoint() {
        return "eci." + regionId + ".aliyuncs.com";
    }
}
