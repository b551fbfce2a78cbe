/**
 * Resource usage of pods on ECI, for the kubelet API's {@code /stats/summary} and {@code /metrics/resource}:
 * {@link io.ecivk.eci.metrics.EciPodStats} implements {@link io.ecivk.spi.PodStatsSource} over
 * DescribeMultiContainerGroupMetric (batches of 20, concurrent, cached per scrape window, partial answers), and
 * {@link io.ecivk.eci.metrics.PodStatsMapper} maps ECI's records, each sample keeping ECI's own record time.
 */
package io.ecivk.eci.metrics;
