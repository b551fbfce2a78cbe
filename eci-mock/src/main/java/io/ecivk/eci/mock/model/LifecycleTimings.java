package io.ecivk.eci.mock.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a simulated group spends in each transient status: Scheduling, then Pending, then Running until deleted;
 * once deleted, Terminating before it disappears. An accepted UpdateContainerGroup makes it Updating for
 * {@code updating}.
 */
public record LifecycleTimings(Duration scheduling, Duration pending, Duration terminating, Duration updating) {

    public static final LifecycleTimings DEFAULT = new LifecycleTimings(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(1), Duration.ofSeconds(1));

    public LifecycleTimings {
        for (Duration duration : new Duration[] {scheduling, pending, terminating, updating}) {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("lifecycle durations must not be negative: " + duration);
            }
        }
    }

    /** Timings with the default Updating period (1 s). */
    public LifecycleTimings(Duration scheduling, Duration pending, Duration terminating) {
        this(scheduling, pending, terminating, Duration.ofSeconds(1));
    }
}
