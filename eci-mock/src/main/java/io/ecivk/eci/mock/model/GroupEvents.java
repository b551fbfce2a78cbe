package io.ecivk.eci.mock.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events a group has accumulated by a given instant, derived from its timeline like its status:
 * {@code AutoInstanceTypeMatch} at creation when the spec was rounded up; {@code Scheduled} and one
 * {@code Pulling} per container when placed; {@code Pulled}, {@code Created}, {@code Started} per container when
 * running; {@code Updated} per accepted UpdateContainerGroup; {@code Killing} per started container when deleted.
 * Warnings: {@code NoStock} when the group met a stock-out, {@code SpotToBeReleased} when marked for reclamation.
 * Init containers come before containers.
 */
public final class GroupEvents {

    private GroupEvents() {
    }

    public static List<GroupEvent> at(ContainerGroup group, Instant now) {
        List<GroupEvent> events = new ArrayList<>();
        Instant createdAt = group.createdAt();
        if (group.spec().size().adjusted() && !now.isBefore(createdAt)) {
            add(events, group, "AutoInstanceTypeMatch", "The most-matched instanceType for current eci instance is "
                    + group.spec().size().spec().label(), createdAt);
        }
        if (group.noStock() != null && !now.isBefore(group.noStock().at())) {
            addWarning(events, group, "NoStock", "Create ECI failed because the specified instance is out of stock. "
                    + group.noStock().detail(), group.noStock().at());
        }
        List<ContainerSpec> all = new ArrayList<>(group.spec().initContainers());
        all.addAll(group.spec().containers());
        if (group.isScheduledAt(now)) {
            add(events, group, "Scheduled",
                    "Successfully assigned " + group.id() + " to " + group.vSwitch().zoneId(), group.scheduledAt());
            for (ContainerSpec container : all) {
                add(events, group, "Pulling", "Pulling image \"" + container.image() + "\"", group.scheduledAt());
            }
        }
        if (group.isStartedAt(now)) {
            for (ContainerSpec container : all) {
                add(events, group, "Pulled", "Successfully pulled image \"" + container.image() + "\"",
                        group.runningAt());
                add(events, group, "Created", "Created container " + container.name(), group.runningAt());
                add(events, group, "Started", "Started container " + container.name(), group.runningAt());
            }
        }
        for (Instant update : group.updates()) {
            if (!now.isBefore(update)) {
                add(events, group, "Updated", "Container group " + group.id() + " updated", update);
            }
        }
        if (group.isDeleted() && !now.isBefore(group.deletedAt()) && group.isStartedAt(now)) {
            for (ContainerSpec container : group.spec().containers()) {
                add(events, group, "Killing", "Stopping container " + container.name(), group.deletedAt());
            }
        }
        if (group.spotMarkedAt() != null && !now.isBefore(group.spotMarkedAt())) {
            addWarning(events, group, "SpotToBeReleased", "The spot instance " + group.id()
                    + " is being reclaimed and will be released at " + group.expiresAt() + ".", group.spotMarkedAt());
        }
        return events;
    }

    private static void addWarning(List<GroupEvent> events, ContainerGroup group, String reason, String message,
            Instant at) {
        add(events, group, reason, message, at);
        GroupEvent normal = events.remove(events.size() - 1);
        events.add(new GroupEvent(normal.name(), "Warning", reason, message, at));
    }

    /**
     * Event names follow Kubernetes' {@code <object>.<hex>} form; the suffix is derived from the timestamp and the
     * event's position so that repeated reads name the same event identically.
     */
    private static void add(List<GroupEvent> events, ContainerGroup group, String reason, String message,
            Instant at) {
        long suffix = at.getEpochSecond() * 1_000_000_000L + at.getNano() + events.size();
        events.add(new GroupEvent(group.id() + "." + String.format("%016x", suffix), "Normal", reason, message, at));
    }
}
