package io.ecivk.eci.status;

import java.util.Map;

/**
 * The Kubernetes pod phase of an ECI container group status (eci-openapi.md §4.1, Alibaba's lifecycle
 * documentation): an instance being created, restarted or updated has no running containers to speak of yet, so
 * it is Pending; one being deleted still runs its containers (preStop), so it is Running.
 */
public final class EciPhases {

  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String UNKNOWN = "Unknown";

  private static final Map<String, String> PHASES =
      Map.ofEntries(
          Map.entry("Scheduling", PENDING),
          Map.entry("Pending", PENDING),
          Map.entry("Restarting", PENDING),
          Map.entry("Updating", PENDING),
          Map.entry("Running", RUNNING),
          Map.entry("Terminating", RUNNING),
          Map.entry("Succeeded", SUCCEEDED),
          Map.entry("Failed", FAILED),
          // A spot instance ECI reclaimed.
          Map.entry("Expired", FAILED),
          Map.entry("ScheduleFailed", FAILED),
          // Older documentation (doc-detail/122385): Pending for more than 4 h, resources released; and
          // ScheduleFailed for more than 1 h, about to be deleted (sic, "Wating"). Both are final failures.
          Map.entry("StartingFailed", FAILED),
          Map.entry("WatingForDel", FAILED));

  private EciPhases() {}

  /** The pod phase of ECI status {@code eciStatus}; {@code Unknown} for null or a status this table lacks. */
  public static String phase(String eciStatus) {
    return eciStatus == null ? UNKNOWN : PHASES.getOrDefault(eciStatus, UNKNOWN);
  }
}
