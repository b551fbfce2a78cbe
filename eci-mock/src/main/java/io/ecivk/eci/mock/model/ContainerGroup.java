package io.ecivk.eci.mock.model;

import io.ecivk.eci.mock.network.VSwitch;
import java.time.Duration;
import java.time.Instant;

/**
 * A stored container group. Immutable: deleting it produces a copy with the deletion times set, so a reader can
 * render a group outside the store's lock.
 * <p>
 * The status is never stored; it is derived from the clock on every read. The group is Scheduling until
 * {@code scheduledAt}, Pending until {@code runningAt}, then Running. A deletion freezes that progress at
 * {@code deletedAt} and makes the group Terminating until {@code goneAt}, when the store forgets it.
 *
 * @param sequence creation order, unique and increasing; the stable sort key paging relies on
 */
public record ContainerGroup(String id, long sequence, ContainerGroupSpec spec, VSwitch vSwitch, String intranetIp,
        Instant createdAt, Instant scheduledAt, Instant runningAt, Instant deletedAt, Instant goneAt) {

    static ContainerGroup create(String id, long sequence, ContainerGroupSpec spec, VSwitch vSwitch,
            String intranetIp, Instant createdAt, LifecycleTimings timings) {
        Instant scheduledAt = createdAt.plus(timings.scheduling());
        return new ContainerGroup(id, sequence, spec, vSwitch, intranetIp, createdAt, scheduledAt,
                scheduledAt.plus(timings.pending()), null, null);
    }

    ContainerGroup deleted(Instant at, Duration terminating) {
        return new ContainerGroup(id, sequence, spec, vSwitch, intranetIp, createdAt, scheduledAt, runningAt, at,
                at.plus(terminating));
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    boolean isGoneAt(Instant now) {
        return goneAt != null && !now.isBefore(goneAt);
    }

    /** The status at {@code now}. */
    public EciStatus statusAt(Instant now) {
        if (isDeleted() && !now.isBefore(deletedAt)) {
            return EciStatus.TERMINATING;
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
            case SCHEDULING -> createdAt;
            case PENDING -> scheduledAt;
            default -> runningAt;
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
