package io.ecivk.spi;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Optional capability of a {@link PodLifecycleHandler}: resource usage of running pods, for the kubelet API's
 * {@code /stats/summary} and {@code /metrics/resource} (what metrics-server and so HPA read). Discovered with
 * {@code instanceof}.
 *
 * <p>Contract: returns at once; the future completes on a provider thread. A pod the backend could not report on
 * is left out of the answer (a partial answer, never a failed one) and named in {@link PodStatsBatch#failed()}.
 */
public interface PodStatsSource {

  /** Usage of these pods, as recent as the provider has it (it may cache for a scrape window). */
  CompletableFuture<PodStatsBatch> stats(List<Pod> pods);

  /**
   * @param pods usage of the pods the backend answered for
   * @param failed the pods it could not report on
   */
  record PodStatsBatch(List<PodStats> pods, List<PodRef> failed) {
    public PodStatsBatch {
      pods = List.copyOf(pods);
      failed = List.copyOf(failed);
    }
  }

  /**
   * One pod's usage.
   *
   * @param timestamp when the backend recorded these values (metrics-server computes rates from it)
   * @param startTime when the pod started, as the backend reports it
   */
  record PodStats(
      PodRef pod,
      Instant timestamp,
      Instant startTime,
      Usage usage,
      List<ContainerStats> containers,
      List<NetworkInterface> network) {
    public PodStats {
      Objects.requireNonNull(pod, "pod");
      Objects.requireNonNull(timestamp, "timestamp");
      Objects.requireNonNull(usage, "usage");
      containers = List.copyOf(containers);
      network = List.copyOf(network);
    }
  }

  /** One container's usage; {@code timestamp} as in {@link PodStats}. */
  record ContainerStats(String name, Instant timestamp, Instant startTime, Usage usage) {
    public ContainerStats {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(timestamp, "timestamp");
      Objects.requireNonNull(usage, "usage");
    }
  }

  /**
   * CPU and memory usage in the kubelet's units; absent values are unknown, not zero.
   *
   * @param cpuUsageNanoCores CPU usage rate
   * @param cpuUsageCoreNanoSeconds cumulative CPU time
   * @param memoryWorkingSetBytes working set (what the kubelet evicts on and metrics-server reports)
   * @param memoryUsageBytes total usage including cache
   * @param memoryRssBytes resident set size
   * @param ephemeralStorageUsedBytes ephemeral storage in use, when known
   */
  record Usage(
      OptionalLong cpuUsageNanoCores,
      OptionalLong cpuUsageCoreNanoSeconds,
      OptionalLong memoryWorkingSetBytes,
      OptionalLong memoryUsageBytes,
      OptionalLong memoryRssBytes,
      OptionalLong ephemeralStorageUsedBytes) {}

  /** Counters of one network interface. */
  record NetworkInterface(String name, long rxBytes, long rxErrors, long txBytes, long txErrors) {}
}
