package io.ecivk.kubeletapi.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.spi.PodKey;
import io.ecivk.spi.PodRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceMetricsTest {

  @Test
  void rendersTheKubeletsExpositionWithPerSampleTimestamps() {
    assertThat(ResourceMetrics.render(StatsFixtures.snapshot(List.of()))).isEqualTo("""
        # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
        # TYPE container_cpu_usage_seconds_total counter
        container_cpu_usage_seconds_total{container="main",namespace="jobs",pod="batch-\\"x\\""} 900 1795428010000
        container_cpu_usage_seconds_total{container="nginx",namespace="shop",pod="web-1"} 10 1795428000250
        container_cpu_usage_seconds_total{container="sidecar",namespace="shop",pod="web-1"} 2.5 1795428000250
        # HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes
        # TYPE container_memory_working_set_bytes gauge
        container_memory_working_set_bytes{container="main",namespace="jobs",pod="batch-\\"x\\""} 1e+06 1795428010000
        container_memory_working_set_bytes{container="nginx",namespace="shop",pod="web-1"} 8.388608e+07 1795428000250
        container_memory_working_set_bytes{container="sidecar",namespace="shop",pod="web-1"} 2.097152e+07 1795428000250
        # HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds
        # TYPE container_start_time_seconds gauge
        container_start_time_seconds{container="main",namespace="jobs",pod="batch-\\"x\\""} 1.795426201e+09
        container_start_time_seconds{container="nginx",namespace="shop",pod="web-1"} 1.795424405e+09
        container_start_time_seconds{container="sidecar",namespace="shop",pod="web-1"} 1.7954244065e+09
        # HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
        # TYPE node_cpu_usage_seconds_total counter
        node_cpu_usage_seconds_total 912.5 1795428010000
        # HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes
        # TYPE node_memory_working_set_bytes gauge
        node_memory_working_set_bytes 1.058576e+08 1795428010000
        # HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds
        # TYPE pod_cpu_usage_seconds_total counter
        pod_cpu_usage_seconds_total{namespace="jobs",pod="batch-\\"x\\""} 900 1795428010000
        pod_cpu_usage_seconds_total{namespace="shop",pod="web-1"} 12.5 1795428000250
        # HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes
        # TYPE pod_memory_working_set_bytes gauge
        pod_memory_working_set_bytes{namespace="jobs",pod="batch-\\"x\\""} 1e+06 1795428010000
        pod_memory_working_set_bytes{namespace="shop",pod="web-1"} 1.048576e+08 1795428000250
        # HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise
        # TYPE resource_scrape_error gauge
        resource_scrape_error 0
        # HELP scrape_error [ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise
        # TYPE scrape_error gauge
        scrape_error 0
        """);
  }

  @Test
  void aPartialAnswerSetsTheScrapeErrorButKeepsEverySampleItHas() {
    String out = ResourceMetrics.render(
        StatsFixtures.snapshot(List.of(new PodRef(new PodKey("shop", "lost"), "uid-lost"))));
    assertThat(out).contains("\nresource_scrape_error 1\n", "\nscrape_error 1\n")
        .contains("pod_cpu_usage_seconds_total{namespace=\"shop\",pod=\"web-1\"} 12.5 1795428000250\n");
  }

  @Test
  void aFailedScrapeServesOnlyTheScrapeErrors() {
    assertThat(ResourceMetrics.renderFailure()).isEqualTo("""
        # HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise
        # TYPE resource_scrape_error gauge
        resource_scrape_error 1
        # HELP scrape_error [ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise
        # TYPE scrape_error gauge
        scrape_error 1
        """);
  }
}
