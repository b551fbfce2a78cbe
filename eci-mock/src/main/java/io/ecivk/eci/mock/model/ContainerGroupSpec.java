package io.ecivk.eci.mock.model;

import io.ecivk.eci.mock.network.VSwitch;
import io.ecivk.eci.mock.sizing.SpecMatch;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A validated CreateContainerGroup request.
 *
 * @param vSwitchCandidates the requested vSwitches that may host the group, in request order
 * @param clientToken       the idempotency token, or null
 * @param options           the remaining group-level fields (spot, EIP, DNS, host aliases, registry logins...)
 * @param parameters        every query parameter received, so later features can echo fields not modelled here;
 *                          it is also the idempotency fingerprint. It holds registry passwords: never log it
 *                          ({@link #toString()} leaves it out)
 */
public record ContainerGroupSpec(String name, String securityGroupId, String restartPolicy,
        List<VSwitch> vSwitchCandidates, ScheduleStrategy scheduleStrategy, SpecMatch size,
        List<ContainerSpec> containers, List<ContainerSpec> initContainers, List<VolumeSpec> volumes, List<Tag> tags,
        String clientToken, GroupOptions options, SortedMap<String, String> parameters) {

    public ContainerGroupSpec {
        options = options == null ? GroupOptions.NONE : options;
        vSwitchCandidates = List.copyOf(vSwitchCandidates);
        containers = List.copyOf(containers);
        initContainers = List.copyOf(initContainers);
        volumes = List.copyOf(volumes);
        tags = List.copyOf(tags);
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    /** The fields the simulator modelled first; {@link GroupOptions#NONE} for the rest. */
    public ContainerGroupSpec(String name, String securityGroupId, String restartPolicy,
            List<VSwitch> vSwitchCandidates, ScheduleStrategy scheduleStrategy, SpecMatch size,
            List<ContainerSpec> containers, List<ContainerSpec> initContainers, List<VolumeSpec> volumes,
            List<Tag> tags, String clientToken, SortedMap<String, String> parameters) {
        this(name, securityGroupId, restartPolicy, vSwitchCandidates, scheduleStrategy, size, containers,
                initContainers, volumes, tags, clientToken, GroupOptions.NONE, parameters);
    }

    /** Leaves out the raw parameters and the options, which may hold registry passwords. */
    @Override
    public String toString() {
        return "ContainerGroupSpec[name=" + name + ", size=" + size + ", containers=" + containers.size()
                + ", initContainers=" + initContainers.size() + ", volumes=" + volumes.size() + "]";
    }

    /** The value of tag {@code key}, or null. */
    public String tag(String key) {
        return tags.stream().filter(tag -> tag.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    public boolean hasTags(Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(entry -> entry.getValue().equals(tag(entry.getKey())));
    }
}
