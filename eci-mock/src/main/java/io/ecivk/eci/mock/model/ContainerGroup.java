package io.ecivk.eci.mock.model;

import io.ecivk.eci.mock.network.VSwitch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored container group. Immutable: deleting or updating it produces a copy, so a reader can render a group
 * outside the store's lock.
 * <p>
 * The status is never stored; it is derived from the clock on every read. The group is Scheduling until
 * {@code scheduledAt}, Pending until {@code runningAt}, then Running. An update makes it Updating from the update
 * instant until {@code updatingUntil} (a Pending group runs once the update is over at the latest). A deletion
 * freezes that progress at {@code deletedAt} and makes the group Terminating until {@code goneAt}, when the store
 * forgets it.
 *
 * @param sequence      creation order, unique and increasing; the stable sort key paging relies on
 * @param updates       when each accepted UpdateContainerGroup happened, oldest first
 * @param updatingUntil when the latest update ends, or null if never updated
 */
public record ContainerGroup(String id, long sequence, ContainerGroupSpec spec, VSwitch vSwitch, String intranetIp,
        Instant createdAt, Instant scheduledAt, Instant runningAt, Instant deletedAt, Instant goneAt,
        List<Instant> updates, Instant updatingUntil) {

    public ContainerGroup {
        updates = List.copyOf(updates);
    }

    static ContainerGroup create(String id, long sequence, ContainerGroupSpec spec, VSwitch vSwitch,
            String intranetIp, Instant createdAt, LifecycleTimings timings) {
        Instant scheduledAt = createdAt.plus(timings.scheduling());
        return new ContainerGroup(id, sequence, spec, vSwitch, intranetIp, createdAt, scheduledAt,
                scheduledAt.plus(timings.pending()), null, null, List.of(), null);
    }

    ContainerGroup deleted(Instant at, Duration terminating) {
        return new ContainerGroup(id, sequence, spec, vSwitch, intranetIp, createdAt, scheduledAt, runningAt, at,
                at.plus(terminating), updates, updatingUntil);
    }

    /** The group after an update accepted at {@code at}: the new spec, Updating for {@code updating}. */
    ContainerGroup updated(ContainerGroupSpec newSpec, Instant at, Duration updating) {
        Instant until = at.plus(updating);
        List<Instant> allUpdates = new ArrayList<>(updates);
        allUpdates.add(at);
        Instant running = runningAt.isAfter(until) ? until : runningAt;
        return new ContainerGroup(id, sequence, newSpec, vSwitch, intranetIp, createdAt, scheduledAt, running,
                deletedAt, goneAt, allUpdates, until);
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    boolean isGoneAt(Instant now) {
        return goneAt != null && !now.isBefore(goneAt);
    }

    /** The instant of the latest update, or null. */
    public Instant lastUpdate() {
        return updates.isEmpty() ? null : updates.get(updates.size() - 1);
    }

    private boolean isUpdatingAt(Instant now) {
        return updatingUntil != null && now.isBefore(updatingUntil) && !now.isBefore(lastUpdate());
    }

    /** The status at {@code now}. */
    public EciStatus statusAt(Instant now) {
        if (isDeleted() && !now.isBefore(deletedAt)) {
            return EciStatus.TERMINATING;
        }
        if (isUpdatingAt(now)) {
            return EciStatus.UPDATING;
        }
        if (now.isBefore(scheduledAt)) {
            return EciStatus.SCHEDULING;
        }
        return now.isBefore(runningAt) ? EciStatus.PENDING : EciStatus.RUNNING;
    }

    /** When the status current at {@code now} began. */
    public Instant statusSince(Instant now) {
        return switch (statusAt(now)) {
            case TERMINATING -> deletedAt;
            case UPDATING -> lastUpdate();
            case SCHEDULING -> createdAt;
            case PENDING -> scheduledAt;
            default -> updatingUntil != null && updatingUntil.isAfter(runningAt) ? updatingUntil : runningAt;
        };
    }

    /** True once the group has been placed (its ENI, and so its IP, exists). Deletion freezes progress. */
    public boolean isScheduledAt(Instant now) {
        return !progress(now).isBefore(scheduledAt);
    }

    /** True once the containers have started. Deletion freezes progress. */
    public boolean isStartedAt(Instant now) {
        return !progress(now).isBefore(runningAt);
    }

    private Instant progress(Instant now) {
        return isDeleted() && deletedAt.isBefore(now) ? deletedAt : now;
    }
}
