package io.ecivk.kubeletapi.stats;

import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatsSource.PodStats;
import io.ecivk.spi.PodStatsSource.PodStatsBatch;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One answer of the provider's {@code PodStatsSource}, with what the node-level figures need. The node's usage is
 * the sum over its pods (a virtual node has no system processes of its own): {@link #nodeTime()} is the newest
 * pod timestamp, or {@code now} when no pod reported. A pod leaving makes the node's cumulative CPU counter drop,
 * which Prometheus-style consumers treat as a counter reset.
 *
 * @param nodeStart when this node (the virtual kubelet) started
 * @param now when the scrape happened (used only when no pod reported a time)
 * @param failed pods the backend could not report on (the answer is partial)
 */
public record StatsSnapshot(String nodeName, Instant nodeStart, Instant now, List<PodStats> pods,
    List<PodRef> failed) {
  public StatsSnapshot {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(nodeStart, "nodeStart");
    Objects.requireNonNull(now, "now");
    pods = List.copyOf(pods);
    failed = List.copyOf(failed);
  }

  public static StatsSnapshot of(String nodeName, Instant nodeStart, Instant now, PodStatsBatch batch) {
    return new StatsSnapshot(nodeName, nodeStart, now, batch.pods(), batch.failed());
  }

  public Instant nodeTime() {
    Instant t = null;
    for (PodStats p : pods) {
      if (t == null || p.timestamp().isAfter(t)) {
        t = p.timestamp();
      }
    }
    return t == null ? now : t;
  }

  public long nodeCpuUsageNanoCores() {
    return pods.stream().mapToLong(p -> p.usage().cpuUsageNanoCores().orElse(0)).sum();
  }

  public long nodeCpuUsageCoreNanoSeconds() {
    return pods.stream().mapToLong(p -> p.usage().cpuUsageCoreNanoSeconds().orElse(0)).sum();
  }

  public long nodeMemoryWorkingSetBytes() {
    return pods.stream().mapToLong(p -> p.usage().memoryWorkingSetBytes().orElse(0)).sum();
  }

  public long nodeMemoryUsageBytes() {
    return pods.stream().mapToLong(p -> p.usage().memoryUsageBytes().orElse(0)).sum();
  }

  public long nodeMemoryRssBytes() {
    return pods.stream().mapToLong(p -> p.usage().memoryRssBytes().orElse(0)).sum();
  }
}
