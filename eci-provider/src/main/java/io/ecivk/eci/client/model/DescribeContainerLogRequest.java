package io.ecivk.eci.client.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * DescribeContainerLog: the output of one container of a group. ECI has no follow mode; a follower polls with
 * {@code startTime}. Limits (eci-openapi.md §3.4): {@code tail} 1..{@value #MAX_TAIL} (ECI's default 500),
 * {@code limitBytes} 1..{@value #MAX_LIMIT_BYTES}; the answer is at most 1 MB whatever is asked. {@code lastTime}
 * asks for the previous (terminated) instance of a restarted container.
 */
public record DescribeContainerLogRequest(
    String containerGroupId,
    String containerName,
    Integer tail,
    Integer sinceSeconds,
    Instant startTime,
    Long limitBytes,
    Boolean timestamps,
    Boolean lastTime)
    implements EciRequest {

  public static final int MAX_TAIL = 2000;
  public static final int DEFAULT_TAIL = 500;
  public static final long MAX_LIMIT_BYTES = 1_048_576L;

  public DescribeContainerLogRequest {
    Objects.requireNonNull(containerGroupId, "containerGroupId");
    Objects.requireNonNull(containerName, "containerName");
    if (tail != null && (tail < 1 || tail > MAX_TAIL)) {
      throw new IllegalArgumentException("tail must be 1.." + MAX_TAIL + ", got " + tail);
    }
    if (sinceSeconds != null && sinceSeconds < 1) {
      throw new IllegalArgumentException("sinceSeconds must be at least 1, got " + sinceSeconds);
    }
    if (limitBytes != null && (limitBytes < 1 || limitBytes > MAX_LIMIT_BYTES)) {
      throw new IllegalArgumentException("limitBytes must be 1.." + MAX_LIMIT_BYTES + ", got " + limitBytes);
    }
  }

  public static Builder builder(String containerGroupId, String containerName) {
    return new Builder(containerGroupId, containerName);
  }

  @Override
  public String action() {
    return "DescribeContainerLog";
  }

  @Override
  public Map<String, Object> toParams() {
    return new ParamMap()
        .put("ContainerGroupId", containerGroupId)
        .put("ContainerName", containerName)
        .put("Tail", tail)
        .put("SinceSeconds", sinceSeconds)
        .put("StartTime", startTime == null ? null : startTime.toString())
        .put("LimitBytes", limitBytes)
        .put("Timestamps", timestamps)
        .put("LastTime", lastTime)
        .build();
  }

  /** Builds a request; every field but the group and the container is optional (absent = ECI's default). */
  public static final class Builder {
    private final String containerGroupId;
    private final String containerName;
    private Integer tail;
    private Integer sinceSeconds;
    private Instant startTime;
    private Long limitBytes;
    private Boolean timestamps;
    private Boolean lastTime;

    private Builder(String containerGroupId, String containerName) {
      this.containerGroupId = containerGroupId;
      this.containerName = containerName;
    }

    /** {@code Tail}: only the last N lines, 1..2000. */
    public Builder tail(Integer tail) {
      this.tail = tail;
      return this;
    }

    /** {@code SinceSeconds}: only lines of the last N seconds. */
    public Builder sinceSeconds(Integer sinceSeconds) {
      this.sinceSeconds = sinceSeconds;
      return this;
    }

    /** {@code StartTime}: only lines written at or after this instant. */
    public Builder startTime(Instant startTime) {
      this.startTime = startTime;
      return this;
    }

    /** {@code LimitBytes}: at most this many bytes, 1..1048576. */
    public Builder limitBytes(Long limitBytes) {
      this.limitBytes = limitBytes;
      return this;
    }

    /** {@code Timestamps}: prefix every line with its RFC 3339 time and a space. */
    public Builder timestamps(Boolean timestamps) {
      this.timestamps = timestamps;
      return this;
    }

    /** {@code LastTime}: the previous instance of a restarted container. */
    public Builder lastTime(Boolean lastTime) {
      this.lastTime = lastTime;
      return this;
    }

    public DescribeContainerLogRequest build() {
      return new DescribeContainerLogRequest(
          containerGroupId, containerName, tail, sinceSeconds, startTime, limitBytes, timestamps, lastTime);
    }
  }
}
