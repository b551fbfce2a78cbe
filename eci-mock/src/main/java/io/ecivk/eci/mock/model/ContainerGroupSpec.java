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
 * @param parameters        every query parameter received, so later features can echo fields not modelled here;
 *                          it is also the idempotency fingerprint
 */
public record ContainerGroupSpec(String name, String securityGroupId, String restartPolicy,
        List<VSwitch> vSwitchCandidates, ScheduleStrategy scheduleStrategy, SpecMatch size,
        List<ContainerSpec> containers, List<ContainerSpec> initContainers, List<VolumeSpec> volumes, List<Tag> tags,
        String clientToken, SortedMap<String, String> parameters) {

    public ContainerGroupSpec {
        vSwitchCandidates = List.copyOf(vSwitchCandidates);
        containers = List.copyOf(containers);
        initContainers = List.copyOf(initContainers);
        volumes = List.copyOf(volumes);
        tags = List.copyOf(tags);
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    /** The value of tag {@code key}, or null. */
    public String tag(String key) {
        return tags.stream().filter(tag -> tag.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    public boolean hasTags(Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(entry -> entry.getValue().equals(tag(entry.getKey())));
    }
}
