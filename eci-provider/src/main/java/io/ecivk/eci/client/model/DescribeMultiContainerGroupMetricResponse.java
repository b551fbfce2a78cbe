package io.ecivk.eci.client.model;

import java.util.List;

/**
 * The answer to DescribeMultiContainerGroupMetric: one entry per group ECI reported on. A group asked for but
 * missing here is one ECI could not report on (for example, it no longer exists).
 */
public record DescribeMultiContainerGroupMetricResponse(String requestId, List<MonitorData> monitorDatas) {
  public DescribeMultiContainerGroupMetricResponse {
    monitorDatas = ParamMap.copy(monitorDatas);
  }

  /** One group's samples (the summary holds the latest one; none while its containers do not run). */
  public record MonitorData(String containerGroupId, List<ContainerGroupMetricRecord> records) {
    public MonitorData {
      records = ParamMap.copy(records);
    }
  }
}
