package io.ecivk.eci.client.model;

import java.time.Instant;
import java.util.List;

/**
 * The answer to DescribeContainerGroups: one page. {@code nextToken} is empty (or null) on the last page.
 */
public record DescribeContainerGroupsResponse(
    String requestId, Integer totalCount, String nextToken, List<ContainerGroup> containerGroups) {

  public DescribeContainerGroupsResponse {
    containerGroups = ParamMap.copy(containerGroups);
  }

  /** Whether another page follows this one. */
  public boolean hasNextPage() {
    return nextToken != null && !nextToken.isEmpty();
  }

  /** A container group as DescribeContainerGroups shows it. Times are UTC; cpu in vCPUs, memory in GiB. */
  public record ContainerGroup(
      String containerGroupId,
      String containerGroupName,
      String status,
      String regionId,
      String zoneId,
      String vSwitchId,
      String securityGroupId,
      String instanceType,
      Float cpu,
      Float memory,
      Instant creationTime,
      Instant succeededTime,
      Instant failedTime,
      String intranetIp,
      String internetIp,
      String restartPolicy,
      List<Tag> tags,
      List<Event> events,
      List<ContainerInfo> containers,
      List<InitContainerInfo> initContainers) {

    public ContainerGroup {
      tags = ParamMap.copy(tags);
      events = ParamMap.copy(events);
      containers = ParamMap.copy(containers);
      initContainers = ParamMap.copy(initContainers);
    }
  }

  /** An ECI event, e.g. reason {@code AutoInstanceTypeMatch}; {@code type} is {@code Normal} or {@code Warning}. */
  public record Event(
      Integer count,
      String type,
      String name,
      String reason,
      String message,
      Instant firstTimestamp,
      Instant lastTimestamp) {}

  /** A container of a described group. */
  public record ContainerInfo(
      String name,
      String image,
      String imagePullPolicy,
      Float cpu,
      Float memory,
      Boolean ready,
      Integer restartCount,
      String workingDir,
      List<String> commands,
      List<String> args,
      List<Port> ports,
      ContainerState currentState,
      ContainerState previousState) {

    public ContainerInfo {
      commands = ParamMap.copy(commands);
      args = ParamMap.copy(args);
      ports = ParamMap.copy(ports);
    }
  }

  /**
   * An init container of a described group. The API names its command list {@code Command}, unlike the
   * {@code Commands} of app containers.
   */
  public record InitContainerInfo(
      String name,
      String image,
      Float cpu,
      Float memory,
      Boolean ready,
      Integer restartCount,
      @com.google.gson.annotations.SerializedName("Command") List<String> commands,
      List<String> args,
      ContainerState currentState,
      ContainerState previousState) {

    public InitContainerInfo {
      commands = ParamMap.copy(commands);
      args = ParamMap.copy(args);
    }
  }

  /** A port of a described container. */
  public record Port(Integer port, String protocol) {}

  /** A container's state: {@code state} is {@code Waiting}, {@code Running} or {@code Terminated}. */
  public record ContainerState(
      String state,
      String detailStatus,
      String reason,
      String message,
      Integer exitCode,
      Integer signal,
      Instant startTime,
      Instant finishTime) {}
}
