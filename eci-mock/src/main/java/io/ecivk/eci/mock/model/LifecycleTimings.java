package io.ecivk.eci.mock.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a simulated group spends in each transient status: Scheduling, then Pending, then Running until deleted;
 * once deleted, Terminating before it disappears.
 */
public record LifecycleTimings(Duration scheduling, Duration pending, Duration terminating) {

    public static final LifecycleTimings DEFAULT =
            new LifecycleTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1));

    public LifecycleTimings {
        for (Duration duration : new Duration[] {scheduling, pending, terminating}) {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("lifecycle durations must not be negative: " + duration);
            }
        }
    }
}
