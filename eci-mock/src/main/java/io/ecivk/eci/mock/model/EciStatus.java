package io.ecivk.eci.mock.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * Container group statuses as ECI documents them, with the Kubernetes pod phase each maps to (eci-openapi.md §4.1).
 * The simulator's lifecycle produces Scheduling, Pending, Running, Updating and Terminating, and with the test
 * bench's jobs, stock-outs and spot reclamation also Succeeded, Failed, ScheduleFailed and Expired; the full list is
 * what request filters are validated against.
 */
public enum EciStatus {
    SCHEDULING("Scheduling", "Pending"),
    PENDING("Pending", "Pending"),
    RUNNING("Running", "Running"),
    RESTARTING("Restarting", "Pending"),
    UPDATING("Updating", "Pending"),
    TERMINATING("Terminating", "Running"),
    SUCCEEDED("Succeeded", "Succeeded"),
    FAILED("Failed", "Failed"),
    EXPIRED("Expired", "Failed"),
    SCHEDULE_FAILED("ScheduleFailed", "Failed");

    private final String wireName;
    private final String podPhase;

    EciStatus(String wireName, String podPhase) {
        this.wireName = wireName;
        this.podPhase = podPhase;
    }

    /** The value of the {@code Status} field, e.g. {@code ScheduleFailed}. */
    public String wireName() {
        return wireName;
    }

    /** The Kubernetes pod phase ECI reports for this status. */
    public String podPhase() {
        return podPhase;
    }

    public static Optional<EciStatus> fromWireName(String name) {
        return Arrays.stream(values()).filter(status -> status.wireName.equals(name)).findFirst();
    }
}
