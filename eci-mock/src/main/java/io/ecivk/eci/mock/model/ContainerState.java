package io.ecivk.eci.mock.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A container's state at an instant.
 *
 * @param state        Waiting, Running or Terminated
 * @param startTime    null unless started
 * @param finishTime   null unless terminated
 * @param exitCode     null unless terminated
 * @param restartCount restarts so far
 * @param lastState    the previous run's (Terminated) state, or null
 */
public record ContainerState(String state, String reason, Instant startTime, Instant finishTime, Integer exitCode,
        boolean ready, int restartCount, ContainerState lastState) {

    /** Exit code shown for containers stopped by a spot reclamation (SIGKILL); an assumption. */
    public static final int RECLAIMED_EXIT_CODE = 137;

    public ContainerState(String state, String reason, Instant startTime, Instant finishTime, Integer exitCode,
            boolean ready) {
        this(state, reason, startTime, finishTime, exitCode, ready, 0, null);
    }

    /**
     * The state of the group's first container (or first init container); kept for callers that do not name one.
     */
    public static ContainerState of(ContainerGroup group, boolean initContainer, Instant now) {
        var list = initContainer ? group.spec().initContainers() : group.spec().containers();
        return of(group, list.isEmpty() ? null : list.get(0), initContainer, now);
    }

    /**
     * Containers wait in {@code ContainerCreating} until the group runs, then run; they are ready only while the
     * group is Running (not while Terminating). Init containers have completed (exit 0) by the time the group runs.
     * A container with a {@link JobBehaviour} exits (and maybe restarts) on its own; a container still running when
     * its spot group expires is Terminated with reason {@code Expired}, exit code 137.
     */
    public static ContainerState of(ContainerGroup group, ContainerSpec container, boolean initContainer,
            Instant now) {
        if (!group.isStartedAt(now)) {
            return new ContainerState("Waiting", "ContainerCreating", null, null, null, false);
        }
        if (initContainer) {
            return new ContainerState("Terminated", "Completed", group.scheduledAt(), group.runningAt(), 0, false);
        }
        boolean groupRunning = group.statusAt(now) == EciStatus.RUNNING;
        Instant progress = group.progress(now);
        Optional<JobBehaviour> job = container == null ? Optional.empty() : JobBehaviour.of(container);
        ContainerState state;
        if (job.isPresent() && job.get().restarts(group.spec().restartPolicy())) {
            Duration period = job.get().period();
            long restarts = Duration.between(group.runningAt(), progress).toNanos() / period.toNanos();
            Instant start = group.runningAt().plus(period.multipliedBy(restarts));
            ContainerState last = restarts == 0 ? null : new ContainerState("Terminated", job.get().reason(),
                    start.minus(period), start, job.get().exitCode(), false);
            state = new ContainerState("Running", "", start, null, null, groupRunning, (int) restarts, last);
        } else if (job.isPresent() && !progress.isBefore(group.runningAt().plus(job.get().runFor()))) {
            return new ContainerState("Terminated", job.get().reason(), group.runningAt(),
                    group.runningAt().plus(job.get().runFor()), job.get().exitCode(), false);
        } else {
            state = new ContainerState("Running", "", group.runningAt(), null, null, groupRunning);
        }
        if (group.outcomeAt(now).map(outcome -> outcome.status() == EciStatus.EXPIRED).orElse(false)) {
            return new ContainerState("Terminated", "Expired", state.startTime(), group.expiresAt(),
                    RECLAIMED_EXIT_CODE, false, state.restartCount(), state.lastState());
        }
        return state;
    }
}
