package io.ecivk.eci.client.model;

import java.util.Map;

/** DescribeRegions: the regions ECI serves and their zones. Cheap, so also a credentials and reachability probe. */
public record DescribeRegionsRequest() implements EciRequest {
  @Override
  public String action() {
    return "DescribeRegions";
  }

  @Override
  public Map<String, Object> toParams() {
    return Map.of();
  }
}
