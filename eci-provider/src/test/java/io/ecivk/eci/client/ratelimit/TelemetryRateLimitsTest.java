package io.ecivk.eci.client.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The log and multi-metric calls are Describe* by name but have ECI's 500-a-minute limit (eci-openapi.md §4.3). */
class TelemetryRateLimitsTest {

  @Test
  void logsAndMultiMetricGetFiveHundredAMinuteWhileTheSingleMetricKeepsTheDescribeLimit() {
    RateLimits limits = RateLimits.defaults();

    assertThat(limits.forAction("DescribeContainerLog")).isEqualTo(RateLimit.perMinute(500));
    assertThat(limits.forAction("DescribeMultiContainerGroupMetric")).isEqualTo(RateLimit.perMinute(500));
    assertThat(limits.forAction("DescribeContainerGroupMetric")).isEqualTo(RateLimit.perMinute(2000));
  }
}
