package io.ecivk.eci.mock.model;

import java.time.Instant;

/**
 * A container's state at an instant.
 *
 * @param state      Waiting, Running or Terminated
 * @param startTime  null unless started
 * @param finishTime null unless terminated
 * @param exitCode   null unless terminated
 */
public record ContainerState(String state, String reason, Instant startTime, Instant finishTime, Integer exitCode,
        boolean ready) {

    /**
     * Containers wait in {@code ContainerCreating} until the group runs, then run; they are ready only while the
     * group is Running (not while Terminating). Init containers have completed (exit 0) by the time the group runs.
     * The simulated containers never exit on their own.
     */
    public static ContainerState of(ContainerGroup group, boolean initContainer, Instant now) {
        if (!group.isStartedAt(now)) {
            return new ContainerState("Waiting", "ContainerCreating", null, null, null, false);
        }
        if (initContainer) {
            return new ContainerState("Terminated", "Completed", group.scheduledAt(), group.runningAt(), 0, false);
        }
        return new ContainerState("Running", "", group.runningAt(), null, null,
                group.statusAt(now) == EciStatus.RUNNING);
    }
}
