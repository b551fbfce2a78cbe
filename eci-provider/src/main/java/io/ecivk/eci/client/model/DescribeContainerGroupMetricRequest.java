package io.ecivk.eci.client.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * DescribeContainerGroupMetric: the samples of one group in a window ({@code startTime}..{@code endTime}, within
 * the last 30 days), one every {@code period} seconds (15, 30, 60 or 600).
 */
public record DescribeContainerGroupMetricRequest(
    String containerGroupId, Instant startTime, Instant endTime, Integer period) implements EciRequest {

  public static final Set<Integer> PERIODS = Set.of(15, 30, 60, 600);

  public DescribeContainerGroupMetricRequest {
    Objects.requireNonNull(containerGroupId, "containerGroupId");
    if (period != null && !PERIODS.contains(period)) {
      throw new IllegalArgumentException("period must be one of 15, 30, 60, 600; got " + period);
    }
  }

  public static Builder builder(String containerGroupId) {
    return new Builder(containerGroupId);
  }

  @Override
  public String action() {
    return "DescribeContainerGroupMetric";
  }

  @Override
  public Map<String, Object> toParams() {
    return new ParamMap()
        .put("ContainerGroupId", containerGroupId)
        .put("StartTime", startTime == null ? null : startTime.toString())
        .put("EndTime", endTime == null ? null : endTime.toString())
        .put("Period", period)
        .build();
  }

  public static final class Builder {
    private final String containerGroupId;
    private Instant startTime;
    private Instant endTime;
    private Integer period;

    private Builder(String containerGroupId) {
      this.containerGroupId = containerGroupId;
    }

    public Builder startTime(Instant startTime) {
      this.startTime = startTime;
      return this;
    }

    public Builder endTime(Instant endTime) {
      this.endTime = endTime;
      return this;
    }

    /** Seconds between samples: 15, 30, 60 or 600. */
    public Builder period(Integer period) {
      this.period = period;
      return this;
    }

    public DescribeContainerGroupMetricRequest build() {
      return new DescribeContainerGroupMetricRequest(containerGroupId, startTime, endTime, period);
    }
  }
}
