package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.model.ContainerGroup;
import io.ecivk.eci.mock.model.ContainerSecurityContext;
import io.ecivk.eci.mock.model.ContainerSpec;
import io.ecivk.eci.mock.model.ContainerState;
import io.ecivk.eci.mock.model.EnvVar;
import io.ecivk.eci.mock.model.GroupEvent;
import io.ecivk.eci.mock.model.EciStatus;
import io.ecivk.eci.mock.model.GroupEvents;
import io.ecivk.eci.mock.model.GroupOptions;
import io.ecivk.eci.mock.model.NameValue;
import io.ecivk.eci.mock.model.PortSpec;
import io.ecivk.eci.mock.model.ProbeSpec;
import io.ecivk.eci.mock.model.VolumeMountSpec;
import io.ecivk.eci.mock.model.VolumeSpec;
import java.time.Instant;
import java.util.List;

/**
 * Renders a group as a {@code DescribeContainerGroups} item (eci-openapi.md §3.2). Response list keys are plural
 * ({@code Commands}, {@code EnvironmentVars}...) except that init containers use {@code Command} and {@code Args},
 * exactly as the SDK model maps them ({@code DescribeContainerGroupsResponseBody}). Optional objects (probes, a
 * container's {@code SecurityContext}, {@code DnsConfig}, {@code EciSecurityContext}) are left out when not requested;
 * lists are always present. Registry credentials are never rendered.
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
        GroupOptions options = group.spec().options();
        json.addProperty("InstanceType", options.instanceType() != null
                ? options.instanceType().split(",")[0].trim() : group.spec().size().spec().label());
        json.addProperty("Cpu", Json.floating(group.spec().size().spec().cpu()));
        json.addProperty("Memory", Json.floating(group.spec().size().spec().memory()));
        json.addProperty("CreationTime", Json.time(group.createdAt()));
        var outcome = group.outcomeAt(now);
        json.addProperty("SucceededTime", outcome.filter(o -> o.status() == EciStatus.SUCCEEDED)
                .map(o -> Json.time(o.at())).orElse(""));
        json.addProperty("FailedTime", outcome.filter(o -> o.status() == EciStatus.FAILED
                || o.status() == EciStatus.SCHEDULE_FAILED).map(o -> Json.time(o.at())).orElse(""));
        json.addProperty("ExpiredTime", outcome.filter(o -> o.status() == EciStatus.EXPIRED)
                .map(o -> Json.time(o.at())).orElse(""));
        json.addProperty("IntranetIp", group.isScheduledAt(now) ? group.intranetIp() : "");
        json.addProperty("RestartPolicy", group.spec().restartPolicy());
        options(json, options);
        JsonArray tags = new JsonArray();
        group.spec().tags().forEach(tag -> tags.add(Json.keyValue(tag.key(), tag.value())));
        json.add("Tags", tags);
        JsonArray events = new JsonArray();
        if (withEvents) {
            GroupEvents.at(group, now).forEach(event -> events.add(event(event)));
        }
        json.add("Events", events);
        JsonArray containers = new JsonArray();
        group.spec().containers().forEach(c -> containers.add(container(c, ContainerState.of(group, c, false, now),
                false)));
        json.add("Containers", containers);
        JsonArray initContainers = new JsonArray();
        group.spec().initContainers().forEach(c -> initContainers.add(container(c,
                ContainerState.of(group, c, true, now), true)));
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

    /**
     * The group-level fields of {@link GroupOptions} that the response model has. Registry credentials are never
     * rendered (the real API does not return them).
     */
    private static void options(JsonObject json, GroupOptions options) {
        json.addProperty("ComputeCategory", options.computeCategories().isEmpty() ? ""
                : options.computeCategories().get(0));
        json.addProperty("SpotStrategy", options.spotStrategy());
        if (options.spotPriceLimit() != null && options.spotStrategy().equals("SpotWithPriceLimit")) {
            json.addProperty("SpotPriceLimit", options.spotPriceLimit().doubleValue());
        }
        if (options.ephemeralStorage() != null) {
            json.addProperty("EphemeralStorage", options.ephemeralStorage());
        }
        json.addProperty("RamRoleName", Json.orEmpty(options.ramRoleName()));
        json.addProperty("ResourceGroupId", Json.orEmpty(options.resourceGroupId()));
        json.addProperty("DnsPolicy", Json.orEmpty(options.dnsPolicy()));
        if (options.dnsConfig() != null) {
            JsonObject dns = new JsonObject();
            dns.add("NameServers", Json.strings(options.dnsConfig().nameServers()));
            dns.add("Searches", Json.strings(options.dnsConfig().searches()));
            dns.add("Options", nameValues(options.dnsConfig().options()));
            json.add("DnsConfig", dns);
        }
        JsonArray aliases = new JsonArray();
        for (GroupOptions.HostAlias alias : options.hostAliases()) {
            JsonObject item = new JsonObject();
            item.addProperty("Ip", alias.ip());
            item.add("Hostnames", Json.strings(alias.hostnames()));
            aliases.add(item);
        }
        json.add("HostAliases", aliases);
        if (!options.sysctls().isEmpty()) {
            JsonObject context = new JsonObject();
            context.add("Sysctls", nameValues(options.sysctls()));
            json.add("EciSecurityContext", context);
        }
    }

    private static JsonArray nameValues(List<NameValue> values) {
        JsonArray array = new JsonArray();
        for (NameValue value : values) {
            JsonObject item = new JsonObject();
            item.addProperty("Name", value.name());
            item.addProperty("Value", Json.orEmpty(value.value()));
            array.add(item);
        }
        return array;
    }

    /**
     * A {@code Containers[]} or {@code InitContainers[]} item. Init containers differ as the SDK model does: commands
     * under {@code Command}, no {@code SubPath} in mounts, no stdin/tty flags and no probes.
     */
    private static JsonObject container(ContainerSpec container, ContainerState state, boolean init) {
        JsonObject json = new JsonObject();
        json.addProperty("Name", container.name());
        json.addProperty("Image", container.image());
        json.addProperty("ImagePullPolicy", container.imagePullPolicy());
        json.addProperty("Cpu", Json.floating(container.cpu()));
        json.addProperty("Memory", Json.floating(container.memory()));
        json.addProperty("Ready", state.ready());
        json.addProperty("RestartCount", state.restartCount());
        json.addProperty("WorkingDir", Json.orEmpty(container.workingDir()));
        json.addProperty("Gpu", container.gpu());
        if (!init) {
            json.addProperty("Stdin", container.stdin());
            json.addProperty("StdinOnce", container.stdinOnce());
            json.addProperty("Tty", container.tty());
        }
        json.add(init ? "Command" : "Commands", Json.strings(container.commands()));
        json.add("Args", Json.strings(container.args()));
        JsonArray environment = new JsonArray();
        container.environmentVars().forEach(env -> environment.add(environmentVar(env)));
        json.add("EnvironmentVars", environment);
        JsonArray ports = new JsonArray();
        container.ports().forEach(port -> ports.add(port(port)));
        json.add("Ports", ports);
        JsonArray mounts = new JsonArray();
        container.volumeMounts().forEach(mount -> mounts.add(volumeMount(mount, init)));
        json.add("VolumeMounts", mounts);
        if (container.readinessProbe() != null) {
            json.add("ReadinessProbe", probe(container.readinessProbe()));
        }
        if (container.livenessProbe() != null) {
            json.add("LivenessProbe", probe(container.livenessProbe()));
        }
        if (container.securityContext().hasEchoedFields()) {
            json.add("SecurityContext", securityContext(container.securityContext()));
        }
        json.add("CurrentState", state(state));
        if (state.lastState() != null) {
            json.add("PreviousState", state(state.lastState()));
        }
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

    private static JsonObject probe(ProbeSpec probe) {
        JsonObject json = new JsonObject();
        addIfSet(json, "InitialDelaySeconds", probe.initialDelaySeconds());
        addIfSet(json, "PeriodSeconds", probe.periodSeconds());
        addIfSet(json, "TimeoutSeconds", probe.timeoutSeconds());
        addIfSet(json, "SuccessThreshold", probe.successThreshold());
        addIfSet(json, "FailureThreshold", probe.failureThreshold());
        if (!probe.execCommands().isEmpty()) {
            json.add("Execs", Json.strings(probe.execCommands()));
        }
        if (probe.httpGet() != null) {
            JsonObject httpGet = new JsonObject();
            if (probe.httpGet().path() != null) {
                httpGet.addProperty("Path", probe.httpGet().path());
            }
            httpGet.addProperty("Port", probe.httpGet().port());
            if (probe.httpGet().scheme() != null) {
                httpGet.addProperty("Scheme", probe.httpGet().scheme());
            }
            json.add("HttpGet", httpGet);
        }
        if (probe.tcpSocket() != null) {
            JsonObject tcpSocket = new JsonObject();
            tcpSocket.addProperty("Port", probe.tcpSocket().port());
            json.add("TcpSocket", tcpSocket);
        }
        return json;
    }

    private static void addIfSet(JsonObject json, String key, Number value) {
        if (value != null) {
            json.addProperty(key, value);
        }
    }

    private static JsonObject securityContext(ContainerSecurityContext context) {
        JsonObject json = new JsonObject();
        if (!context.capabilityAdds().isEmpty()) {
            JsonObject capability = new JsonObject();
            capability.add("Adds", Json.strings(context.capabilityAdds()));
            json.add("Capability", capability);
        }
        if (context.readOnlyRootFilesystem() != null) {
            json.addProperty("ReadOnlyRootFilesystem", context.readOnlyRootFilesystem());
        }
        addIfSet(json, "RunAsUser", context.runAsUser());
        return json;
    }

    private static JsonObject volumeMount(VolumeMountSpec mount, boolean init) {
        JsonObject json = new JsonObject();
        json.addProperty("Name", mount.name());
        json.addProperty("MountPath", mount.mountPath());
        json.addProperty("ReadOnly", mount.readOnly());
        if (!init) {
            json.addProperty("SubPath", Json.orEmpty(mount.subPath()));
        }
        json.addProperty("MountPropagation", Json.orEmpty(mount.mountPropagation()));
        return json;
    }

    private static JsonObject volume(VolumeSpec volume) {
        JsonObject json = new JsonObject();
        json.addProperty("Name", volume.name());
        json.addProperty("Type", volume.type());
        if (volume.emptyDir() != null) {
            json.addProperty("EmptyDirVolumeMedium", Json.orEmpty(volume.emptyDir().medium()));
            json.addProperty("EmptyDirVolumeSizeLimit", Json.orEmpty(volume.emptyDir().sizeLimit()));
        }
        if (volume.nfs() != null) {
            json.addProperty("NFSVolumeServer", volume.nfs().server());
            json.addProperty("NFSVolumePath", volume.nfs().path());
            json.addProperty("NFSVolumeReadOnly", volume.nfs().readOnly());
        }
        if (volume.configFile() != null) {
            JsonArray files = new JsonArray();
            for (VolumeSpec.ConfigFileToPath file : volume.configFile().files()) {
                JsonObject item = new JsonObject();
                item.addProperty("Path", file.path());
                item.addProperty("Content", Json.orEmpty(file.content()));
                files.add(item);
            }
            json.add("ConfigFileVolumeConfigFileToPaths", files);
        }
        if (volume.disk() != null) {
            json.addProperty("DiskVolumeDiskId", volume.disk().diskId());
            json.addProperty("DiskVolumeFsType", Json.orEmpty(volume.disk().fsType()));
        }
        if (volume.flex() != null) {
            json.addProperty("FlexVolumeDriver", volume.flex().driver());
            json.addProperty("FlexVolumeFsType", Json.orEmpty(volume.flex().fsType()));
            json.addProperty("FlexVolumeOptions", Json.orEmpty(volume.flex().options()));
        }
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
