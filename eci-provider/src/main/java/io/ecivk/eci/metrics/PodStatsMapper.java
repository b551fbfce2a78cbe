package io.ecivk.eci.metrics;

import io.ecivk.eci.client.model.ContainerGroupMetricRecord;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatsSource.ContainerStats;
import io.ecivk.spi.PodStatsSource.NetworkInterface;
import io.ecivk.spi.PodStatsSource.PodStats;
import io.ecivk.spi.PodStatsSource.Usage;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Maps an ECI metric record onto the kubelet's pod stats. Pure. Every sample carries the record's own
 * {@code Timestamp}, because metrics-server computes rates from it. Values ECI left out stay unknown (empty), never
 * zero; ephemeral storage is the {@code Usage} of the filesystem ECI reports with category {@code ephemeral}
 * (case-insensitive), if any. Start times come from the pod's status (ECI's record has none).
 */
public final class PodStatsMapper {
  private PodStatsMapper() {}

  /** The newest record (by timestamp) of a group's records, if any has a timestamp. */
  public static Optional<ContainerGroupMetricRecord> newest(List<ContainerGroupMetricRecord> records) {
    return records.stream()
        .filter(r -> r.timestamp() != null)
        .max(Comparator.comparing(ContainerGroupMetricRecord::timestamp));
  }

  public static PodStats toPodStats(Pod pod, ContainerGroupMetricRecord record) {
    Instant at = record.timestamp();
    List<ContainerStats> containers = new ArrayList<>();
    for (ContainerGroupMetricRecord.ContainerMetric container : record.containers()) {
      if (container.name() == null) {
        continue;
      }
      containers.add(new ContainerStats(container.name(), at, containerStart(pod, container.name()),
          usage(container.cpu(), container.memory(), OptionalLong.empty())));
    }
    List<NetworkInterface> network = new ArrayList<>();
    if (record.network() != null) {
      for (ContainerGroupMetricRecord.NetworkInterface nic : record.network().interfaces()) {
        network.add(new NetworkInterface(nic.name(), orZero(nic.rxBytes()), orZero(nic.rxErrors()),
            orZero(nic.txBytes()), orZero(nic.txErrors())));
      }
    }
    return new PodStats(PodRef.of(pod), at, podStart(pod),
        usage(record.cpu(), record.memory(), ephemeral(record)), containers, network);
  }

  static Usage usage(ContainerGroupMetricRecord.Cpu cpu, ContainerGroupMetricRecord.Memory memory,
      OptionalLong ephemeral) {
    return new Usage(
        of(cpu == null ? null : cpu.usageNanoCores()),
        of(cpu == null ? null : cpu.usageCoreNanoSeconds()),
        of(memory == null ? null : memory.workingSet()),
        of(memory == null ? null : memory.usageBytes()),
        of(memory == null ? null : memory.rss()),
        ephemeral);
  }

  private static OptionalLong ephemeral(ContainerGroupMetricRecord record) {
    return record.filesystem().stream()
        .filter(fs -> fs.category() != null && fs.category().equalsIgnoreCase("ephemeral") && fs.usage() != null)
        .mapToLong(ContainerGroupMetricRecord.Filesystem::usage)
        .reduce(Long::sum);
  }

  private static OptionalLong of(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static Instant podStart(Pod pod) {
    return pod.getStatus() == null ? null : parse(pod.getStatus().getStartTime());
  }

  private static Instant containerStart(Pod pod, String name) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
      if (name.equals(status.getName()) && status.getState() != null && status.getState().getRunning() != null) {
        return parse(status.getState().getRunning().getStartedAt());
      }
    }
    return null;
  }

  private static Instant parse(String time) {
    if (time == null || time.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
