package io.ecivk.eci.client.model;

import java.util.List;

/** The answer to DescribeContainerGroupMetric: the group's samples, oldest first. */
public record DescribeContainerGroupMetricResponse(
    String requestId, String containerGroupId, List<ContainerGroupMetricRecord> records) {
  public DescribeContainerGroupMetricResponse {
    records = ParamMap.copy(records);
  }
}
