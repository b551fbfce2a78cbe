package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.model.ContainerGroup;
import io.ecivk.eci.mock.model.ContainerSpec;
import io.ecivk.eci.mock.model.ContainerState;
import io.ecivk.eci.mock.model.EnvVar;
import io.ecivk.eci.mock.model.GroupEvent;
import io.ecivk.eci.mock.model.GroupEvents;
import io.ecivk.eci.mock.model.PortSpec;
import io.ecivk.eci.mock.model.VolumeMountSpec;
import io.ecivk.eci.mock.model.VolumeSpec;
import java.time.Instant;

/**
 * Renders a group as a {@code DescribeContainerGroups} item (eci-openapi.md §3.2). Response list keys are plural
 * ({@code Commands}, {@code EnvironmentVars}...) except that init containers use {@code Command} and {@code Args},
 * exactly as the SDK model maps them.
 */
final class GroupJson {

    private GroupJson() {
    }

    static JsonObject render(ContainerGroup group, String regionId, Instant now, boolean withEvents) {
        JsonObject json = new JsonObject();
        json.addProperty("ContainerGroupId", group.id());
        json.addProperty("ContainerGroupName", group.spec().name());
        json.addProperty("Status", group.statusAt(now).wireName());
        json.addProperty("RegionId", regionId);
        json.addProperty("ZoneId", group.vSwitch().zoneId());
        json.addProperty("VSwitchId", group.vSwitch().id());
        json.addProperty("SecurityGroupId", group.spec().securityGroupId());
        json.addProperty("InstanceType", group.spec().size().spec().label());
        json.addProperty("Cpu", Json.floating(group.spec().size().spec().cpu()));
        json.addProperty("Memory", Json.floating(group.spec().size().spec().memory()));
        json.addProperty("CreationTime", Json.time(group.createdAt()));
        json.addProperty("SucceededTime", "");
        json.addProperty("FailedTime", "");
        json.addProperty("IntranetIp", group.isScheduledAt(now) ? group.intranetIp() : "");
        json.addProperty("RestartPolicy", group.spec().restartPolicy());
        JsonArray tags = new JsonArray();
        group.spec().tags().forEach(tag -> tags.add(Json.keyValue(tag.key(), tag.value())));
        json.add("Tags", tags);
        JsonArray events = new JsonArray();
        if (withEvents) {
            GroupEvents.at(group, now).forEach(event -> events.add(event(event)));
        }
        json.add("Events", events);
        JsonArray containers = new JsonArray();
        group.spec().containers().forEach(c -> containers.add(container(c, ContainerState.of(group, false, now),
                "Commands")));
        json.add("Containers", containers);
        JsonArray initContainers = new JsonArray();
        group.spec().initContainers().forEach(c -> initContainers.add(container(c,
                ContainerState.of(group, true, now), "Command")));
        json.add("InitContainers", initContainers);
        JsonArray volumes = new JsonArray();
        group.spec().volumes().forEach(volume -> volumes.add(volume(volume)));
        json.add("Volumes", volumes);
        return json;
    }

    private static JsonObject event(GroupEvent event) {
        JsonObject json = new JsonObject();
        json.addProperty("Count", 1);
        json.addProperty("Type", event.type());
        json.addProperty("Name", event.name());
        json.addProperty("Reason", event.reason());
        json.addProperty("Message", event.message());
        json.addProperty("FirstTimestamp", Json.time(event.timestamp()));
        json.addProperty("LastTimestamp", Json.time(event.timestamp()));
        return json;
    }

    private static JsonObject container(ContainerSpec container, ContainerState state, String commandKey) {
        JsonObject json = new JsonObject();
        json.addProperty("Name", container.name());
        json.addProperty("Image", container.image());
        json.addProperty("ImagePullPolicy", container.imagePullPolicy());
        json.addProperty("Cpu", Json.floating(container.cpu()));
        json.addProperty("Memory", Json.floating(container.memory()));
        json.addProperty("Ready", state.ready());
        json.addProperty("RestartCount", 0);
        json.addProperty("WorkingDir", Json.orEmpty(container.workingDir()));
        json.add(commandKey, Json.strings(container.commands()));
        json.add("Args", Json.strings(container.args()));
        JsonArray environment = new JsonArray();
        container.environmentVars().forEach(env -> environment.add(environmentVar(env)));
        json.add("EnvironmentVars", environment);
        JsonArray ports = new JsonArray();
        container.ports().forEach(port -> ports.add(port(port)));
        json.add("Ports", ports);
        JsonArray mounts = new JsonArray();
        container.volumeMounts().forEach(mount -> mounts.add(volumeMount(mount)));
        json.add("VolumeMounts", mounts);
        json.add("CurrentState", state(state));
        return json;
    }

    private static JsonObject environmentVar(EnvVar env) {
        JsonObject json = new JsonObject();
        json.addProperty("Key", env.key());
        json.addProperty("Value", Json.orEmpty(env.value()));
        if (env.fieldPath() != null) {
            JsonObject fieldRef = new JsonObject();
            fieldRef.addProperty("FieldPath", env.fieldPath());
            JsonObject valueFrom = new JsonObject();
            valueFrom.add("FieldRef", fieldRef);
            json.add("ValueFrom", valueFrom);
        }
        return json;
    }

    private static JsonObject port(PortSpec port) {
        JsonObject json = new JsonObject();
        json.addProperty("Port", port.port());
        json.addProperty("Protocol", port.protocol());
        return json;
    }

    private static JsonObject volumeMount(VolumeMountSpec mount) {
        JsonObject json = new JsonObject();
        json.addProperty("Name", mount.name());
        json.addProperty("MountPath", mount.mountPath());
        json.addProperty("ReadOnly", mount.readOnly());
        json.addProperty("SubPath", Json.orEmpty(mount.subPath()));
        json.addProperty("MountPropagation", Json.orEmpty(mount.mountPropagation()));
        return json;
    }

    private static JsonObject volume(VolumeSpec volume) {
        JsonObject json = new JsonObject();
        json.addProperty("Name", volume.name());
        json.addProperty("Type", volume.type());
        return json;
    }

    private static JsonObject state(ContainerState state) {
        JsonObject json = new JsonObject();
        json.addProperty("State", state.state());
        json.addProperty("DetailStatus", "");
        json.addProperty("Reason", state.reason());
        json.addProperty("Message", "");
        if (state.exitCode() != null) {
            json.addProperty("ExitCode", state.exitCode());
        }
        json.addProperty("StartTime", Json.time(state.startTime()));
        json.addProperty("FinishTime", Json.time(state.finishTime()));
        return json;
    }
}
