package io.ecivk.eci.client.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The client-side limit of each ECI action. Keys are action names ({@code CreateContainerGroup}) or prefixes
 * ending in {@code *} ({@code Describe*}); an exact name wins over a prefix, a longer prefix over a shorter one,
 * and {@code others} applies to the rest. Every action has its own bucket, even when a prefix gives it its limit.
 *
 * @param limits limits by action name or prefix pattern
 * @param others the limit of actions no key matches
 */
public record RateLimits(Map<String, RateLimit> limits, RateLimit others) {

  /** The published limits (eci-openapi.md §4.3). */
  public static final RateLimit CREATE_DELETE = RateLimit.of(100, 20);
  public static final RateLimit DESCRIBE = RateLimit.perMinute(2000);
  public static final RateLimit UPDATE = RateLimit.perMinute(500);
  public static final RateLimit OTHERS = RateLimit.perMinute(500);
  /** DescribeContainerLog and DescribeMultiContainerGroupMetric: 500 a minute, though named Describe*. */
  public static final RateLimit LOGS = RateLimit.perMinute(500);
  public static final RateLimit MULTI_METRIC = RateLimit.perMinute(500);

  public RateLimits {
    limits = Map.copyOf(limits);
    Objects.requireNonNull(others, "others");
  }

  /**
   * CreateContainerGroup and DeleteContainerGroup: burst 100, 20 a second (the current limits page).
   * Describe*: 2000 a minute, except DescribeContainerLog and DescribeMultiContainerGroupMetric: 500 a minute.
   * UpdateContainerGroup: 500 a minute. Others: 500 a minute.
   */
  public static RateLimits defaults() {
    return new RateLimits(
        Map.of(
            "CreateContainerGroup", CREATE_DELETE,
            "DeleteContainerGroup", CREATE_DELETE,
            "Describe*", DESCRIBE,
            "UpdateContainerGroup", UPDATE,
            "DescribeContainerLog", LOGS,
            "DescribeMultiContainerGroupMetric", MULTI_METRIC),
        OTHERS);
  }

  /** These limits with {@code actionOrPrefix} limited by {@code limit}. */
  public RateLimits with(String actionOrPrefix, RateLimit limit) {
    Map<String, RateLimit> copy = new LinkedHashMap<>(limits);
    copy.put(Objects.requireNonNull(actionOrPrefix, "actionOrPrefix"), Objects.requireNonNull(limit, "limit"));
    return new RateLimits(copy, others);
  }

  /** The limit of {@code action}. */
  public RateLimit forAction(String action) {
    RateLimit exact = limits.get(action);
    if (exact != null) {
      return exact;
    }
    RateLimit best = others;
    int bestLength = -1;
    for (Map.Entry<String, RateLimit> e : limits.entrySet()) {
      String key = e.getKey();
      if (key.endsWith("*")) {
        String prefix = key.substring(0, key.length() - 1);
        if (action.startsWith(prefix) && prefix.length() > bestLength) {
          best = e.getValue();
          bestLength = prefix.length();
        }
      }
    }
    return best;
  }
}
