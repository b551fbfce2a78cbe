package io.ecivk.eci.client.model;

import com.google.gson.annotations.SerializedName;
import java.time.Instant;
import java.util.List;

/**
 * One sample of a container group's resource usage, as DescribeContainerGroupMetric and
 * DescribeMultiContainerGroupMetric return it (eci-openapi.md §3.4). Numbers are boxed: a field ECI leaves out is
 * unknown, not zero. {@code timestamp} is when ECI took the sample (rates are computed from it).
 */
public record ContainerGroupMetricRecord(
    Instant timestamp,
    @SerializedName("CPU") Cpu cpu,
    Memory memory,
    Network network,
    List<Filesystem> filesystem,
    List<ContainerMetric> containers) {

  public ContainerGroupMetricRecord {
    filesystem = ParamMap.copy(filesystem);
    containers = ParamMap.copy(containers);
  }

  /**
   * @param limit the CPU limit in millicores (vCPU × 1000)
   * @param usageNanoCores usage rate
   * @param usageCoreNanoSeconds cumulative CPU time
   */
  public record Cpu(Long limit, Double load, Long usageCoreNanoSeconds, Long usageNanoCores) {}

  public record Memory(Long availableBytes, Long cache, Long rss, Long usageBytes, Long workingSet) {}

  public record Network(List<NetworkInterface> interfaces) {
    public Network {
      interfaces = ParamMap.copy(interfaces);
    }
  }

  public record NetworkInterface(
      String name,
      Long rxBytes,
      Long rxDrops,
      Long rxErrors,
      Long rxPackets,
      Long txBytes,
      Long txDrops,
      Long txErrors,
      Long txPackets) {}

  public record Filesystem(String fsName, Long capacity, Long available, Long usage, String category) {}

  /** One container's usage within the sample. */
  public record ContainerMetric(String name, @SerializedName("CPU") Cpu cpu, Memory memory) {}
}
