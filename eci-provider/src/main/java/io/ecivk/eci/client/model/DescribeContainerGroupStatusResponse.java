package io.ecivk.eci.client.model;

import com.google.gson.annotations.SerializedName;
import java.time.Instant;
import java.util.List;

/**
 * The answer to DescribeContainerGroupStatus: one page of Kubernetes-shaped statuses. A few keys are not
 * PascalCase on the wire ({@code uuid}, {@code type}, {@code status}, {@code lastTransitionTime}, and the
 * generator's {@code StartedAtstartedAt}); they are named explicitly below.
 */
public record DescribeContainerGroupStatusResponse(
    String requestId, Integer totalCount, String nextToken, List<ContainerGroupStatus> data) {

  public DescribeContainerGroupStatusResponse {
    data = ParamMap.copy(data);
  }

  /** Whether another page follows this one. */
  public boolean hasNextPage() {
    return nextToken != null && !nextToken.isEmpty();
  }

  /** One group's status; {@code status} is the ECI status, e.g. {@code Running}. */
  public record ContainerGroupStatus(
      String containerGroupId,
      String name,
      String namespace,
      @SerializedName("uuid") String uuid,
      String status,
      String annotations,
      PodStatus podStatus) {}

  /** The pod-shaped part of a status; {@code phase} is a Kubernetes pod phase. */
  public record PodStatus(
      String phase,
      String podIp,
      List<PodIp> podIps,
      String hostIp,
      String qosClass,
      Instant startTime,
      List<Condition> conditions,
      List<ContainerStatus> containerStatuses) {

    public PodStatus {
      podIps = ParamMap.copy(podIps);
      conditions = ParamMap.copy(conditions);
      containerStatuses = ParamMap.copy(containerStatuses);
    }
  }

  /** One of the pod's IP addresses. */
  public record PodIp(String ip) {}

  /** A pod condition, e.g. {@code Ready}, or ECI's own {@code ContainerInstanceCreated}. */
  public record Condition(
      @SerializedName("type") String type,
      @SerializedName("status") String status,
      @SerializedName("lastTransitionTime") Instant lastTransitionTime,
      String reason,
      String message) {}

  /** A container's status, shaped like the Kubernetes one. */
  public record ContainerStatus(
      String name,
      String image,
      @SerializedName("ImageID") String imageId,
      Boolean ready,
      Boolean started,
      Integer restartCount,
      State state,
      State lastState) {}

  /** Exactly one of the three is set. */
  public record State(Waiting waiting, Running running, Terminated terminated) {}

  /** A waiting container. */
  public record Waiting(String reason, String message) {}

  /** A running container; the wire key of its start time is {@code StartedAtstartedAt}. */
  public record Running(@SerializedName("StartedAtstartedAt") Instant startedAt) {}

  /** A terminated container. */
  public record Terminated(
      @SerializedName("ContainerID") String containerId,
      Integer exitCode,
      Integer signal,
      String reason,
      String message,
      Instant startedAt,
      Instant finishedAt) {}
}
