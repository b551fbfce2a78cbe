package io.ecivk.eci.mock.model;

import io.ecivk.eci.mock.network.VSwitch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A stored container group. Immutable: deleting or updating it produces a copy, so a reader can render a group
 * outside the store's lock.
 * <p>
 * The status is never stored; it is derived from the clock on every read. The group is Scheduling until
 * {@code scheduledAt}, Pending until {@code runningAt}, then Running. An update makes it Updating from the update
 * instant until {@code updatingUntil} (a Pending group runs once the update is over at the latest). A deletion
 * freezes that progress at {@code deletedAt} and makes the group Terminating until {@code goneAt}, when the store
 * forgets it.
 * <p>
 * Test-bench outcomes: a group {@code held} for a stock-out stays Pending (runningAt is {@link #NEVER}) until the
 * store releases it; a group with {@code scheduleFailedAt} is ScheduleFailed from then; a spot group marked at
 * {@code spotMarkedAt} is Expired from {@code expiresAt}; a group whose containers all exit for good (see
 * {@link JobBehaviour}) is Succeeded or Failed from the last exit. Any such terminal status reached before a
 * deletion sticks until the store's retention period has passed.
 *
 * @param sequence      creation order, unique and increasing; the stable sort key paging relies on
 * @param updates       when each accepted UpdateContainerGroup happened, oldest first
 * @param updatingUntil when the latest update ends, or null if never updated
 * @param noStock       null, or the stock-out the group met at creation (zone, spec and when)
 */
public record ContainerGroup(String id, long sequence, ContainerGroupSpec spec, VSwitch vSwitch, String intranetIp,
        Instant createdAt, Instant scheduledAt, Instant runningAt, Instant deletedAt, Instant goneAt,
        List<Instant> updates, Instant updatingUntil, NoStock noStock, boolean held, Instant scheduleFailedAt,
        Instant spotMarkedAt, Instant expiresAt) {

    /** Stands for "not yet known" in timelines (a held group's start). */
    public static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");

    /** A stock-out met at {@code at}; {@code detail} completes the NoStock event message. */
    public record NoStock(Instant at, String detail) {
    }

    /** A terminal status and since when. */
    public record Outcome(EciStatus status, Instant at) {
    }

    public ContainerGroup {
        updates = List.copyOf(updates);
    }

    static ContainerGroup create(String id, long sequence, ContainerGroupSpec spec, VSwitch vSwitch,
            String intranetIp, Instant createdAt, LifecycleTimings timings) {
        Instant scheduledAt = createdAt.plus(timings.scheduling());
        return new ContainerGroup(id, sequence, spec, vSwitch, intranetIp, createdAt, scheduledAt,
                scheduledAt.plus(timings.pending()), null, null, List.of(), null, null, false, null, null, null);
    }

    ContainerGroup deleted(Instant at, Duration terminating) {
        return new ContainerGroup(id, sequence, spec, vSwitch, intranetIp, createdAt, scheduledAt, runningAt, at,
                at.plus(terminating), updates, updatingUntil, noStock, held, scheduleFailedAt, spotMarkedAt,
                expiresAt);
    }

    /** The group after an update accepted at {@code at}: the new spec, Updating for {@code updating}. */
    ContainerGroup updated(ContainerGroupSpec newSpec, Instant at, Duration updating) {
        Instant until = at.plus(updating);
        List<Instant> allUpdates = new ArrayList<>(updates);
        allUpdates.add(at);
        Instant running = !held && runningAt.isAfter(until) ? until : runningAt;
        return new ContainerGroup(id, sequence, newSpec, vSwitch, intranetIp, createdAt, scheduledAt, running,
                deletedAt, goneAt, allUpdates, until, noStock, held, scheduleFailedAt, spotMarkedAt, expiresAt);
    }

    /** Held for a stock-out: Pending (after Scheduling) until released. */
    ContainerGroup heldForStock(NoStock stockOut) {
        return new ContainerGroup(id, sequence, spec, vSwitch, intranetIp, createdAt, scheduledAt, NEVER, deletedAt,
                goneAt, updates, updatingUntil, stockOut, true, null, spotMarkedAt, expiresAt);
    }

    /** ScheduleFailed at the end of Scheduling because of a stock-out. */
    ContainerGroup scheduleFailed(NoStock stockOut) {
        return new ContainerGroup(id, sequence, spec, vSwitch, intranetIp, createdAt, scheduledAt, NEVER, deletedAt,
                goneAt, updates, updatingUntil, stockOut, false, scheduledAt, spotMarkedAt, expiresAt);
    }

    /** Released from a stock hold at {@code at}, possibly on another vSwitch: scheduled now, running after pending. */
    ContainerGroup released(VSwitch newVSwitch, String newIp, Instant at, Duration pending) {
        Instant scheduled = scheduledAt.isAfter(at) ? scheduledAt : at;
        return new ContainerGroup(id, sequence, spec, newVSwitch, newIp, createdAt, scheduled,
                scheduled.plus(pending), deletedAt, goneAt, updates, updatingUntil, noStock, false, null,
                spotMarkedAt, expiresAt);
    }

    /** Marked for spot reclamation at {@code at}; Expired from {@code expiry}. */
    ContainerGroup markedForReclaim(Instant at, Instant expiry) {
        return new ContainerGroup(id, sequence, spec, vSwitch, intranetIp, createdAt, scheduledAt, runningAt,
                deletedAt, goneAt, updates, updatingUntil, noStock, held, scheduleFailedAt, at, expiry);
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    /** Gone: its Terminating period is over, or it has been terminal for {@code retention}. */
    boolean isGoneAt(Instant now, Duration retention) {
        if (goneAt != null && !now.isBefore(goneAt)) {
            return true;
        }
        Optional<Outcome> outcome = outcome();
        return outcome.isPresent() && !now.isBefore(outcome.get().at().plus(retention));
    }

    /** The instant of the latest update, or null. */
    public Instant lastUpdate() {
        return updates.isEmpty() ? null : updates.get(updates.size() - 1);
    }

    private boolean isUpdatingAt(Instant now) {
        return updatingUntil != null && now.isBefore(updatingUntil) && !now.isBefore(lastUpdate());
    }

    /**
     * The terminal status the group reaches (ScheduleFailed, Expired, Succeeded or Failed) and when, if it reaches one
     * before being deleted.
     */
    public Optional<Outcome> outcome() {
        Outcome best = null;
        if (scheduleFailedAt != null) {
            best = new Outcome(EciStatus.SCHEDULE_FAILED, scheduleFailedAt);
        }
        if (expiresAt != null && (best == null || expiresAt.isBefore(best.at()))) {
            best = new Outcome(EciStatus.EXPIRED, expiresAt);
        }
        Outcome jobs = jobsOutcome();
        if (jobs != null && (best == null || jobs.at().isBefore(best.at()))) {
            best = jobs;
        }
        if (best == null || (isDeleted() && !best.at().isBefore(deletedAt))) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    /** Succeeded/Failed once every container has exited for good; null when some container keeps running. */
    private Outcome jobsOutcome() {
        if (held || scheduleFailedAt != null || spec.containers().isEmpty()) {
            return null;
        }
        Instant last = runningAt;
        boolean failed = false;
        for (ContainerSpec container : spec.containers()) {
            Optional<JobBehaviour> job = JobBehaviour.of(container);
            if (job.isEmpty() || job.get().restarts(spec.restartPolicy())) {
                return null;
            }
            Instant exit = runningAt.plus(job.get().runFor());
            last = exit.isAfter(last) ? exit : last;
            failed |= job.get().exitCode() != 0;
        }
        return new Outcome(failed ? EciStatus.FAILED : EciStatus.SUCCEEDED, last);
    }

    /** The terminal status reached by {@code now}, if any. */
    public Optional<Outcome> outcomeAt(Instant now) {
        return outcome().filter(outcome -> !now.isBefore(outcome.at()));
    }

    /** The status at {@code now}. */
    public EciStatus statusAt(Instant now) {
        Optional<Outcome> outcome = outcomeAt(now);
        if (outcome.isPresent()) {
            return outcome.get().status();
        }
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
        Optional<Outcome> outcome = outcomeAt(now);
        if (outcome.isPresent()) {
            return outcome.get().at();
        }
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
        return !held && scheduleFailedAt == null && !progress(now).isBefore(scheduledAt);
    }

    /** True once the containers have started. Deletion freezes progress. */
    public boolean isStartedAt(Instant now) {
        return !progress(now).isBefore(runningAt);
    }

    /** Containers progress until the group is deleted or reaches a terminal status. */
    Instant progress(Instant now) {
        Instant limit = now;
        if (isDeleted() && deletedAt.isBefore(limit)) {
            limit = deletedAt;
        }
        Optional<Outcome> outcome = outcome();
        if (outcome.isPresent() && outcome.get().at().isBefore(limit)) {
            limit = outcome.get().at();
        }
        return limit;
    }
}
