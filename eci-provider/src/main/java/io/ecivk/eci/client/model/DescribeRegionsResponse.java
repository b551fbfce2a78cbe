package io.ecivk.eci.client.model;

import java.util.List;

/** The answer to DescribeRegions. */
public record DescribeRegionsResponse(String requestId, List<Region> regions) {
  public DescribeRegionsResponse {
    regions = ParamMap.copy(regions);
  }

  /** A region with its zones; {@code regionEndpoint} is the API host, e.g. {@code eci.cn-hangzhou.aliyuncs.com}. */
  public record Region(String regionId, String regionEndpoint, List<String> zones, List<String> recommendZones) {
    public Region {
      zones = ParamMap.copy(zones);
      recommendZones = ParamMap.copy(recommendZones);
    }
  }
}
