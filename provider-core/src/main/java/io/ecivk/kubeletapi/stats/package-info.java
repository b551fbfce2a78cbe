/**
 * Renderings of the provider's pod statistics: the Summary API ({@code /stats/summary}) and the Prometheus
 * resource metrics ({@code /metrics/resource}) metrics-server scrapes. Pure functions, tested with literal output.
 */
package io.ecivk.kubeletapi.stats;
