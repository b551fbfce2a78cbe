package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.model.ContainerGroup;
import io.ecivk.eci.mock.model.ContainerSpec;
import io.ecivk.eci.mock.model.ContainerState;
import io.ecivk.eci.mock.model.EciStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * Renders a group as a {@code DescribeContainerGroupStatus} item: the Kubernetes-shaped status (eci-openapi.md
 * §3.3). The keys follow the SDK model literally, odd casing included ({@code uuid}, {@code type},
 * {@code status}, {@code lastTransitionTime}, {@code StartedAtstartedAt}).
 * <p>
 * The real service takes Name/Namespace/uuid from its own Kubernetes integration; the simulator reads them from the
 * group's {@code PodName}, {@code PodNamespace} and {@code PodUID} tags, or leaves them empty.
 */
final class PodStatusJson {

    static final String POD_NAME_TAG = "PodName";
    static final String POD_NAMESPACE_TAG = "PodNamespace";
    static final String POD_UID_TAG = "PodUID";

    private PodStatusJson() {
    }

    static JsonObject render(ContainerGroup group, Instant now) {
        EciStatus status = group.statusAt(now);
        JsonObject json = new JsonObject();
        json.addProperty("ContainerGroupId", group.id());
        json.addProperty("Name", Json.orEmpty(group.spec().tag(POD_NAME_TAG)));
        json.addProperty("Namespace", Json.orEmpty(group.spec().tag(POD_NAMESPACE_TAG)));
        json.addProperty("uuid", Json.orEmpty(group.spec().tag(POD_UID_TAG)));
        json.addProperty("Status", status.wireName());
        json.addProperty("Annotations", "{}");
        json.add("PodStatus", podStatus(group, status, now));
        return json;
    }

    private static JsonObject podStatus(ContainerGroup group, EciStatus status, Instant now) {
        boolean scheduled = group.isScheduledAt(now);
        String ip = scheduled ? group.intranetIp() : "";
        JsonObject json = new JsonObject();
        json.addProperty("Phase", status.podPhase());
        json.addProperty("PodIp", ip);
        JsonArray podIps = new JsonArray();
        if (scheduled) {
            JsonObject podIp = new JsonObject();
            podIp.addProperty("Ip", ip);
            podIps.add(podIp);
        }
        json.add("PodIps", podIps);
        // ECI pods have no separate node: the host IP is the pod's own ENI address.
        json.addProperty("HostIp", ip);
        json.addProperty("QosClass", "");
        json.addProperty("StartTime", scheduled ? Json.time(group.scheduledAt()) : "");
        json.add("Conditions", conditions(group, status, now));
        JsonArray statuses = new JsonArray();
        for (ContainerSpec container : group.spec().containers()) {
            statuses.add(containerStatus(container, ContainerState.of(group, container, false, now)));
        }
        json.add("ContainerStatuses", statuses);
        return json;
    }

    private static JsonArray conditions(ContainerGroup group, EciStatus status, Instant now) {
        boolean scheduled = group.isScheduledAt(now);
        boolean initialized = group.spec().initContainers().isEmpty() ? scheduled : group.isStartedAt(now);
        Instant initializedAt = group.spec().initContainers().isEmpty() ? group.scheduledAt() : group.runningAt();
        boolean ready = status == EciStatus.RUNNING;
        Instant readySince = ready ? group.runningAt()
                : group.isDeleted() && group.isStartedAt(now) ? group.deletedAt() : group.createdAt();
        String unready = ready ? "" : "containers with unready status: ["
                + group.spec().containers().stream().map(ContainerSpec::name).collect(Collectors.joining(" ")) + "]";

        JsonArray conditions = new JsonArray();
        conditions.add(condition("ContainerInstanceCreated", scheduled, scheduled ? group.scheduledAt()
                : group.createdAt(), "", ""));
        conditions.add(condition("PodScheduled", scheduled, scheduled ? group.scheduledAt() : group.createdAt(),
                "", ""));
        conditions.add(condition("Initialized", initialized, initialized ? initializedAt : group.createdAt(),
                "", ""));
        conditions.add(condition("ContainersReady", ready, readySince, ready ? "" : "ContainersNotReady", unready));
        conditions.add(condition("Ready", ready, readySince, ready ? "" : "ContainersNotReady", unready));
        return conditions;
    }

    private static JsonObject condition(String type, boolean value, Instant since, String reason, String message) {
        JsonObject json = new JsonObject();
        json.addProperty("type", type);
        json.addProperty("status", value ? "True" : "False");
        json.addProperty("lastTransitionTime", Json.time(since));
        json.addProperty("Reason", reason);
        json.addProperty("Message", message);
        return json;
    }

    private static JsonObject containerStatus(ContainerSpec container, ContainerState state) {
        boolean started = state.startTime() != null;
        JsonObject json = new JsonObject();
        json.addProperty("Name", container.name());
        json.addProperty("Image", container.image());
        // A pulled image has a digest; the simulator derives a stable fake one from the image reference.
        json.addProperty("ImageID", started ? imageDigest(container.image()) : "");
        json.addProperty("Ready", state.ready());
        json.addProperty("Started", "Running".equals(state.state()));
        json.addProperty("RestartCount", state.restartCount());
        json.add("State", k8sState(state));
        json.add("LastState", state.lastState() == null ? new JsonObject() : k8sState(state.lastState()));
        return json;
    }

    private static JsonObject k8sState(ContainerState state) {
        boolean started = state.startTime() != null;
        JsonObject current = new JsonObject();
        if ("Terminated".equals(state.state())) {
            JsonObject terminated = new JsonObject();
            terminated.addProperty("ContainerID", "");
            terminated.addProperty("ExitCode", state.exitCode());
            terminated.addProperty("Signal", 0);
            terminated.addProperty("Reason", state.reason());
            terminated.addProperty("Message", "");
            terminated.addProperty("StartedAt", Json.time(state.startTime()));
            terminated.addProperty("FinishedAt", Json.time(state.finishTime()));
            current.add("Terminated", terminated);
        } else if (started) {
            JsonObject running = new JsonObject();
            running.addProperty("StartedAtstartedAt", Json.time(state.startTime()));
            current.add("Running", running);
        } else {
            JsonObject waiting = new JsonObject();
            waiting.addProperty("Reason", state.reason());
            waiting.addProperty("Message", "");
            current.add("Waiting", waiting);
        }
        return current;
    }

    private static String imageDigest(String image) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}
