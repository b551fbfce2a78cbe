package io.ecivk.kubeletapi.stats;

import io.ecivk.spi.PodStatsSource.ContainerStats;
import io.ecivk.spi.PodStatsSource.PodStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Renders {@code /metrics/resource} in the Prometheus text format (0.0.4) as the kubelet (1.29) serves it, which
 * is what metrics-server scrapes: families sorted by name, each with {@code # HELP} (the kubelet's texts with
 * their stability prefix) and {@code # TYPE}; samples sorted by label values in label-name order; every CPU and
 * memory sample carrying its own timestamp in milliseconds (the backend's record time: metrics-server computes
 * CPU rates from two samples' timestamps and drops pods without samples), {@code container_start_time_seconds}
 * and the scrape-error gauges without one, as in the kubelet. Values are formatted as the Go client does
 * ({@link GoFloat}). Families without samples are left out, as the Go client does.
 *
 * <p>{@code scrape_error} (deprecated in 1.29 in favour of {@code resource_scrape_error}, both served by 1.29) is
 * 1 when the provider could not report on some pod (a partial answer) or failed altogether, else 0.
 */
public final class ResourceMetrics {
  /** The Content-Type of the Prometheus text format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private ResourceMetrics() {}

  private record Row(String container, String namespace, String pod, String value, long timestampMs) {}

  private static final Comparator<Row> ORDER = Comparator.comparing(Row::container)
      .thenComparing(Row::namespace).thenComparing(Row::pod);

  /** Renders a successful (possibly partial) answer. */
  public static String render(StatsSnapshot s) {
    int n = s.pods().size();
    List<Row> ctrCpu = new ArrayList<>(n * 2);
    List<Row> ctrMem = new ArrayList<>(n * 2);
    List<Row> ctrStart = new ArrayList<>(n * 2);
    List<Row> podCpu = new ArrayList<>(n);
    List<Row> podMem = new ArrayList<>(n);
    for (PodStats p : s.pods()) {
      String ns = p.pod().key().namespace();
      String pod = p.pod().key().name();
      for (ContainerStats c : p.containers()) {
        long t = c.timestamp().toEpochMilli();
        if (c.startTime() != null && c.startTime().getEpochSecond() > 0) {
          double start = (double) (c.startTime().getEpochSecond() * 1_000_000_000L + c.startTime().getNano()) / 1e9;
          ctrStart.add(new Row(c.name(), ns, pod, GoFloat.format(start), Long.MIN_VALUE));
        }
        c.usage().cpuUsageCoreNanoSeconds().ifPresent(v -> ctrCpu.add(new Row(c.name(), ns, pod, seconds(v), t)));
        c.usage().memoryWorkingSetBytes().ifPresent(v -> ctrMem.add(new Row(c.name(), ns, pod, bytes(v), t)));
      }
      long t = p.timestamp().toEpochMilli();
      p.usage().cpuUsageCoreNanoSeconds().ifPresent(v -> podCpu.add(new Row("", ns, pod, seconds(v), t)));
      p.usage().memoryWorkingSetBytes().ifPresent(v -> podMem.add(new Row("", ns, pod, bytes(v), t)));
    }
    StringBuilder b = new StringBuilder(512 + n * 900);
    family(b, "container_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the container in "
        + "core-seconds", "counter", ctrCpu, true);
    family(b, "container_memory_working_set_bytes", "[STABLE] Current working set of the container in bytes",
        "gauge", ctrMem, true);
    family(b, "container_start_time_seconds", "[STABLE] Start time of the container since unix epoch in seconds",
        "gauge", ctrStart, true);
    long nodeT = s.nodeTime().toEpochMilli();
    family(b, "node_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the node in core-seconds",
        "counter", List.of(new Row("", "", "", seconds(s.nodeCpuUsageCoreNanoSeconds()), nodeT)), false);
    family(b, "node_memory_working_set_bytes", "[STABLE] Current working set of the node in bytes", "gauge",
        List.of(new Row("", "", "", bytes(s.nodeMemoryWorkingSetBytes()), nodeT)), false);
    family(b, "pod_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the pod in core-seconds",
        "counter", podCpu, true);
    family(b, "pod_memory_working_set_bytes", "[STABLE] Current working set of the pod in bytes", "gauge", podMem,
        true);
    scrapeErrors(b, !s.failed().isEmpty());
    return b.toString();
  }

  /** What the kubelet serves when the stats could not be had at all: only the scrape-error gauges, at 1. */
  public static String renderFailure() {
    StringBuilder b = new StringBuilder(512);
    scrapeErrors(b, true);
    return b.toString();
  }

  private static void scrapeErrors(StringBuilder b, boolean error) {
    String v = error ? "1" : "0";
    family(b, "resource_scrape_error",
        "[STABLE] 1 if there was an error while getting container metrics, 0 otherwise", "gauge",
        List.of(new Row("", "", "", v, Long.MIN_VALUE)), false);
    family(b, "scrape_error",
        "[ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise",
        "gauge", List.of(new Row("", "", "", v, Long.MIN_VALUE)), false);
  }

  private static String seconds(long nanos) {
    return GoFloat.format(nanos / 1e9);
  }

  private static String bytes(long bytes) {
    return GoFloat.format((double) bytes);
  }

  private static void family(StringBuilder b, String name, String help, String type, List<Row> rows,
      boolean labelled) {
    if (rows.isEmpty()) {
      return;
    }
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(ORDER);
    for (Row r : sorted) {
      b.append(name);
      if (labelled) {
        b.append('{');
        if (!r.container().isEmpty()) {
          label(b, "container", r.container()).append(',');
        }
        label(b, "namespace", r.namespace()).append(',');
        label(b, "pod", r.pod());
        b.append('}');
      }
      b.append(' ').append(r.value());
      if (r.timestampMs() != Long.MIN_VALUE) {
        b.append(' ').append(r.timestampMs());
      }
      b.append('\n');
    }
  }

  private static StringBuilder label(StringBuilder b, String name, String value) {
    b.append(name).append("=\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"');
  }
}
