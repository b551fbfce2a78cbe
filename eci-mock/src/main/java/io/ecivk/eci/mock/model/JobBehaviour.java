package io.ecivk.eci.mock.model;

import java.time.Duration;
import java.util.Optional;

/**
 * A simulated container that exits on its own: any container whose environment sets both
 * {@code ECI_MOCK_EXIT_CODE} (an integer) and {@code ECI_MOCK_EXIT_AFTER_SECONDS} (an integer >= 0). It exits
 * with that code that many seconds after it starts. With RestartPolicy {@code Always}, or {@code OnFailure} and a
 * non-zero code, it restarts at once and exits again after the same time (at least 1 s), indefinitely. Containers
 * without both variables (or with unparsable values) run until deleted.
 */
public record JobBehaviour(int exitCode, Duration runFor) {

    public static final String EXIT_CODE_ENV = "ECI_MOCK_EXIT_CODE";
    public static final String EXIT_AFTER_ENV = "ECI_MOCK_EXIT_AFTER_SECONDS";

    public static Optional<JobBehaviour> of(ContainerSpec container) {
        String code = null;
        String after = null;
        for (EnvVar env : container.environmentVars()) {
            if (EXIT_CODE_ENV.equals(env.key())) {
                code = env.value();
            } else if (EXIT_AFTER_ENV.equals(env.key())) {
                after = env.value();
            }
        }
        if (code == null || after == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(after.trim());
            if (seconds < 0) {
                return Optional.empty();
            }
            return Optional.of(new JobBehaviour(Integer.parseInt(code.trim()), Duration.ofSeconds(seconds)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the container starts again after exiting under {@code restartPolicy}. */
    public boolean restarts(String restartPolicy) {
        return "Always".equals(restartPolicy) || ("OnFailure".equals(restartPolicy) && exitCode != 0);
    }

    /** The period of a restarting container: the run time, at least one second. */
    public Duration period() {
        return runFor.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : runFor;
    }

    public String reason() {
        return exitCode == 0 ? "Completed" : "Error";
    }
}
