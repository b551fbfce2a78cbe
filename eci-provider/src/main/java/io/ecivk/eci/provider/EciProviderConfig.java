package io.ecivk.eci.provider;

import io.ecivk.eci.client.ratelimit.RateLimits;
import io.ecivk.eci.sizing.EciSpecTable;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the {@link EciProvider}.
 *
 * @param clusterId tags every container group, so groups of different clusters in one account never mix
 * @param nodeName the virtual node; also a tag, so each node touches only its own groups
 * @param vSwitchIds where groups may be placed, one per zone; ECI picks among them
 * @param securityGroupId the security group of every group
 * @param capacity what the node advertises (cpu, memory, pods)
 * @param statusInterval how often container group statuses are polled (one batched call per 200 groups)
 * @param specTable the ECI specs pods are rounded up to
 * @param clusterDns the cluster DNS servers ClusterFirst pods resolve with; empty when the cluster has none known
 * @param clusterDomain the cluster's DNS domain, e.g. {@code cluster.local}
 * @param fullResyncInterval how often a full status pass (every group of the node, not only the recently
 *     changed ones) runs; only a full pass may conclude that a group is gone. Default 60 s; at least
 *     {@code statusInterval}
 * @param rateLimits the client-side limits per ECI action the provider's client is held to; default
 *     {@link RateLimits#defaults()}, the published limits
 */
public record EciProviderConfig(
    String clusterId,
    String nodeName,
    List<String> vSwitchIds,
    String securityGroupId,
    Map<String, Quantity> capacity,
    Duration statusInterval,
    EciSpecTable specTable,
    List<String> clusterDns,
    String clusterDomain,
    Duration fullResyncInterval,
    RateLimits rateLimits) {

  /** The capacity the legacy ECI virtual kubelet advertised by default; ECI's real limit is the account quota. */
  public static final Map<String, Quantity> DEFAULT_CAPACITY =
      Map.of("cpu", new Quantity("1000"), "memory", new Quantity("4Ti"), "pods", new Quantity("1000"));

  public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofSeconds(3);
  public static final Duration DEFAULT_FULL_RESYNC_INTERVAL = Duration.ofSeconds(60);

  /** The settings before full resyncs and rate limits were configurable: both get their defaults. */
  public EciProviderConfig(
      String clusterId,
      String nodeName,
      List<String> vSwitchIds,
      String securityGroupId,
      Map<String, Quantity> capacity,
      Duration statusInterval,
      EciSpecTable specTable,
      List<String> clusterDns,
      String clusterDomain) {
    this(clusterId, nodeName, vSwitchIds, securityGroupId, capacity, statusInterval, specTable, clusterDns,
        clusterDomain, null, null);
  }

  public EciProviderConfig {
    requireText(clusterId, "clusterId");
    requireText(nodeName, "nodeName");
    vSwitchIds = List.copyOf(vSwitchIds);
    if (vSwitchIds.isEmpty() || vSwitchIds.size() > 10) {
      throw new IllegalArgumentException("between 1 and 10 vSwitches are needed, got " + vSwitchIds.size());
    }
    requireText(securityGroupId, "securityGroupId");
    capacity = Map.copyOf(capacity == null ? DEFAULT_CAPACITY : capacity);
    statusInterval = statusInterval == null ? DEFAULT_STATUS_INTERVAL : statusInterval;
    if (statusInterval.isZero() || statusInterval.isNegative()) {
      throw new IllegalArgumentException("statusInterval must be positive, got " + statusInterval);
    }
    specTable = specTable == null ? EciSpecTable.standard() : specTable;
    clusterDns = clusterDns == null ? List.of() : List.copyOf(clusterDns);
    clusterDomain = clusterDomain == null ? "cluster.local" : clusterDomain;
    fullResyncInterval = fullResyncInterval == null ? DEFAULT_FULL_RESYNC_INTERVAL : fullResyncInterval;
    if (fullResyncInterval.compareTo(statusInterval) < 0) {
      throw new IllegalArgumentException("fullResyncInterval must be at least statusInterval (" + statusInterval
          + "), got " + fullResyncInterval);
    }
    rateLimits = rateLimits == null ? RateLimits.defaults() : rateLimits;
  }

  /** These settings with another full resync interval. */
  public EciProviderConfig withFullResyncInterval(Duration interval) {
    return new EciProviderConfig(clusterId, nodeName, vSwitchIds, securityGroupId, capacity, statusInterval,
        specTable, clusterDns, clusterDomain, interval, rateLimits);
  }

  /** These settings with other client-side rate limits. */
  public EciProviderConfig withRateLimits(RateLimits limits) {
    return new EciProviderConfig(clusterId, nodeName, vSwitchIds, securityGroupId, capacity, statusInterval,
        specTable, clusterDns, clusterDomain, fullResyncInterval, limits);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    Objects.requireNonNull(value);
  }
}
