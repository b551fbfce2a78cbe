package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;

/**
 * DescribeMultiContainerGroupMetric: the latest sample of up to {@value #MAX_IDS} groups in one call
 * ({@code MetricType=summary}). Limited to 500 calls a minute (eci-openapi.md §4.3).
 */
public record DescribeMultiContainerGroupMetricRequest(
    List<String> containerGroupIds, String metricType, String resourceGroupId) implements EciRequest {

  public static final int MAX_IDS = 20;
  public static final String SUMMARY = "summary";

  public DescribeMultiContainerGroupMetricRequest {
    containerGroupIds = ParamMap.copy(containerGroupIds);
    if (containerGroupIds.isEmpty() || containerGroupIds.size() > MAX_IDS) {
      throw new IllegalArgumentException(
          "1.." + MAX_IDS + " container group ids per call, got " + containerGroupIds.size());
    }
  }

  /** The summary of these groups. */
  public static DescribeMultiContainerGroupMetricRequest summary(List<String> containerGroupIds) {
    return builder(containerGroupIds).build();
  }

  public static Builder builder(List<String> containerGroupIds) {
    return new Builder(containerGroupIds);
  }

  @Override
  public String action() {
    return "DescribeMultiContainerGroupMetric";
  }

  @Override
  public Map<String, Object> toParams() {
    return new ParamMap()
        .put("ContainerGroupIds", EciJson.jsonArray(containerGroupIds))
        .put("MetricType", metricType)
        .put("ResourceGroupId", resourceGroupId)
        .build();
  }

  public static final class Builder {
    private final List<String> containerGroupIds;
    private String metricType = SUMMARY;
    private String resourceGroupId;

    private Builder(List<String> containerGroupIds) {
      this.containerGroupIds = containerGroupIds;
    }

    public Builder metricType(String metricType) {
      this.metricType = metricType;
      return this;
    }

    public Builder resourceGroupId(String resourceGroupId) {
      this.resourceGroupId = resourceGroupId;
      return this;
    }

    public DescribeMultiContainerGroupMetricRequest build() {
      return new DescribeMultiContainerGroupMetricRequest(containerGroupIds, metricType, resourceGroupId);
    }
  }
}
