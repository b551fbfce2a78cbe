package io.ecivk.kubeletapi.stats;

import io.ecivk.spi.PodStatsSource.ContainerStats;
import io.ecivk.spi.PodStatsSource.NetworkInterface;
import io.ecivk.spi.PodStatsSource.PodStats;
import io.ecivk.spi.PodStatsSource.Usage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Renders the kubelet's Summary API ({@code /stats/summary}, {@code stats.k8s.io/v1alpha1 Summary}) as compact
 * JSON, with the field names and order of the kubelet's Go types: {@code node {nodeName, startTime, cpu, memory}}
 * and {@code pods[] {podRef, startTime, containers[] {name, startTime, cpu, memory}, cpu, memory, network,
 * ephemeral-storage}}. Times are RFC 3339 in seconds, UTC, as {@code metav1.Time} marshals them. A figure the
 * provider does not know is left out (unknown, not zero); the node's figures are sums over its pods (see
 * {@link StatsSnapshot}).
 */
public final class SummaryJson {
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private SummaryJson() {}

  public static String render(StatsSnapshot s) {
    StringBuilder b = new StringBuilder(256 + s.pods().size() * 600);
    Instant nodeTime = s.nodeTime();
    b.append("{\"node\":{\"nodeName\":");
    string(b, s.nodeName());
    b.append(",\"startTime\":");
    time(b, s.nodeStart());
    b.append(",\"cpu\":{\"time\":");
    time(b, nodeTime);
    b.append(",\"usageNanoCores\":").append(s.nodeCpuUsageNanoCores())
        .append(",\"usageCoreNanoSeconds\":").append(s.nodeCpuUsageCoreNanoSeconds())
        .append("},\"memory\":{\"time\":");
    time(b, nodeTime);
    b.append(",\"usageBytes\":").append(s.nodeMemoryUsageBytes())
        .append(",\"workingSetBytes\":").append(s.nodeMemoryWorkingSetBytes())
        .append(",\"rssBytes\":").append(s.nodeMemoryRssBytes())
        .append("}},\"pods\":[");
    boolean firstPod = true;
    for (PodStats p : s.pods()) {
      if (!firstPod) {
        b.append(',');
      }
      firstPod = false;
      b.append("{\"podRef\":{\"name\":");
      string(b, p.pod().key().name());
      b.append(",\"namespace\":");
      string(b, p.pod().key().namespace());
      b.append(",\"uid\":");
      string(b, p.pod().uid());
      b.append('}');
      if (p.startTime() != null) {
        b.append(",\"startTime\":");
        time(b, p.startTime());
      }
      b.append(",\"containers\":[");
      boolean firstContainer = true;
      for (ContainerStats c : p.containers()) {
        if (!firstContainer) {
          b.append(',');
        }
        firstContainer = false;
        b.append("{\"name\":");
        string(b, c.name());
        if (c.startTime() != null) {
          b.append(",\"startTime\":");
          time(b, c.startTime());
        }
        usage(b, c.timestamp(), c.usage());
        b.append('}');
      }
      b.append(']');
      usage(b, p.timestamp(), p.usage());
      network(b, p);
      if (p.usage().ephemeralStorageUsedBytes().isPresent()) {
        b.append(",\"ephemeral-storage\":{\"time\":");
        time(b, p.timestamp());
        b.append(",\"usedBytes\":").append(p.usage().ephemeralStorageUsedBytes().getAsLong()).append('}');
      }
      b.append('}');
    }
    return b.append("]}").toString();
  }

  private static void usage(StringBuilder b, Instant t, Usage u) {
    if (u.cpuUsageNanoCores().isPresent() || u.cpuUsageCoreNanoSeconds().isPresent()) {
      b.append(",\"cpu\":{\"time\":");
      time(b, t);
      u.cpuUsageNanoCores().ifPresent(v -> b.append(",\"usageNanoCores\":").append(v));
      u.cpuUsageCoreNanoSeconds().ifPresent(v -> b.append(",\"usageCoreNanoSeconds\":").append(v));
      b.append('}');
    }
    if (u.memoryUsageBytes().isPresent() || u.memoryWorkingSetBytes().isPresent()
        || u.memoryRssBytes().isPresent()) {
      b.append(",\"memory\":{\"time\":");
      time(b, t);
      u.memoryUsageBytes().ifPresent(v -> b.append(",\"usageBytes\":").append(v));
      u.memoryWorkingSetBytes().ifPresent(v -> b.append(",\"workingSetBytes\":").append(v));
      u.memoryRssBytes().ifPresent(v -> b.append(",\"rssBytes\":").append(v));
      b.append('}');
    }
  }

  /** The first interface's counters inline (the kubelet's default interface), then all of them. */
  private static void network(StringBuilder b, PodStats p) {
    if (p.network().isEmpty()) {
      return;
    }
    b.append(",\"network\":{\"time\":");
    time(b, p.timestamp());
    b.append(',');
    iface(b, p.network().get(0));
    b.append(",\"interfaces\":[");
    for (int i = 0; i < p.network().size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append('{');
      iface(b, p.network().get(i));
      b.append('}');
    }
    b.append("]}");
  }

  private static void iface(StringBuilder b, NetworkInterface n) {
    b.append("\"name\":");
    string(b, n.name());
    b.append(",\"rxBytes\":").append(n.rxBytes()).append(",\"rxErrors\":").append(n.rxErrors())
        .append(",\"txBytes\":").append(n.txBytes()).append(",\"txErrors\":").append(n.txErrors());
  }

  private static void time(StringBuilder b, Instant t) {
    b.append('"').append(RFC3339.format(t.truncatedTo(ChronoUnit.SECONDS))).append('"');
  }

  static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
