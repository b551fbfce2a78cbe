package io.ecivk.eci.metrics;

import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.model.ContainerGroupMetricRecord;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricRequest;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricResponse;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatsSource;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod usage from DescribeMultiContainerGroupMetric: the pods' groups in batches of at most 20, the batches
 * concurrently, the newest record of each group mapped by {@link PodStatsMapper}. Records are cached per group for
 * a scrape window ({@code window} of the injected clock; default 15 s, metrics-server's default resolution), so
 * that several scrapers within a window cost one call per batch: with 2,000 pods that is 100 calls a window, 400 a
 * minute at 15 s, within ECI's 500 a minute for this call. Concurrent scrapes share the batches in flight.
 *
 * <p>Failures never fail the answer: a pod without a known group, a group ECI left out or sent no record for, and
 * every group of a batch that failed (throttled included) are named in {@link PodStatsBatch#failed()}.
 */
public final class EciPodStats implements PodStatsSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EciPodStats.class);
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(15);

  private record Cached(Instant fetchedAt, ContainerGroupMetricRecord record) {}

  private final EciClient client;
  private final Function<Pod, Optional<String>> groupIdOf;
  private final Clock clock;
  private final Duration window;
  private final ExecutorService executor;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  /** Batches being fetched, by group id: a concurrent scrape waits for them instead of asking ECI again. */
  private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

  public EciPodStats(EciClient client, Function<Pod, Optional<String>> groupIdOf, Clock clock, Duration window,
      int threads) {
    this.client = Objects.requireNonNull(client, "client");
    this.groupIdOf = Objects.requireNonNull(groupIdOf, "groupIdOf");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.window = Objects.requireNonNull(window, "window");
    this.executor = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "eci-metrics");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public CompletableFuture<PodStatsBatch> stats(List<Pod> pods) {
    List<Pod> copy = List.copyOf(pods);
    return CompletableFuture.supplyAsync(() -> copy, executor).thenCompose(this::collect);
  }

  private CompletableFuture<PodStatsBatch> collect(List<Pod> pods) {
    Instant now = clock.instant();
    Map<Pod, String> groups = new LinkedHashMap<>();
    List<PodRef> failed = new ArrayList<>();
    Set<String> toFetch = new LinkedHashSet<>();
    for (Pod pod : pods) {
      Optional<String> groupId = groupIdOf.apply(pod);
      if (groupId.isEmpty()) {
        failed.add(PodRef.of(pod));
        continue;
      }
      groups.put(pod, groupId.get());
      Cached cached = cache.get(groupId.get());
      if (!fresh(cached, now)) {
        toFetch.add(groupId.get());
      }
    }
    List<CompletableFuture<Void>> batches = new ArrayList<>();
    List<String> mine = new ArrayList<>();
    synchronized (inFlight) {
      for (String groupId : toFetch) {
        CompletableFuture<Void> running = inFlight.get(groupId);
        if (running != null) {
          batches.add(running);
        } else if (!fresh(cache.get(groupId), now)) { // another scrape may have just fetched it
          mine.add(groupId);
        }
      }
      for (int from = 0; from < mine.size(); from += DescribeMultiContainerGroupMetricRequest.MAX_IDS) {
        List<String> batch = List.copyOf(mine.subList(from,
            Math.min(mine.size(), from + DescribeMultiContainerGroupMetricRequest.MAX_IDS)));
        CompletableFuture<Void> fetch = new CompletableFuture<>();
        batch.forEach(groupId -> inFlight.put(groupId, fetch));
        batches.add(fetch);
        executor.execute(() -> {
          try {
            fetch(batch, now);
          } finally {
            synchronized (inFlight) {
              batch.forEach(groupId -> inFlight.remove(groupId, fetch));
            }
            fetch.complete(null);
          }
        });
      }
    }
    evictOlderThan(now.minus(window.multipliedBy(EVICT_AFTER_WINDOWS)));
    return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).handle((ignored, error) -> {
      List<PodStats> stats = new ArrayList<>();
      for (Map.Entry<Pod, String> entry : groups.entrySet()) {
        Cached cached = cache.get(entry.getValue());
        if (!fresh(cached, now)) {
          failed.add(PodRef.of(entry.getKey()));
        } else {
          stats.add(PodStatsMapper.toPodStats(entry.getKey(), cached.record()));
        }
      }
      return new PodStatsBatch(stats, failed);
    });
  }

  /** One batch; on failure its groups simply get no fresh cache entry (and so are reported failed). */
  private void fetch(List<String> batch, Instant now) {
    DescribeMultiContainerGroupMetricResponse response;
    try {
      response = client.describeMultiContainerGroupMetric(DescribeMultiContainerGroupMetricRequest.summary(batch));
    } catch (ProviderException e) {
      LOG.info("metrics batch failed groups={} category={} code={}", batch.size(), e.category(), e.code());
      return;
    } catch (RuntimeException e) {
      LOG.warn("metrics batch failed groups={}", batch.size(), e);
      return;
    }
    Map<String, ContainerGroupMetricRecord> newest = new HashMap<>();
    for (DescribeMultiContainerGroupMetricResponse.MonitorData data : response.monitorDatas()) {
      if (data.containerGroupId() != null) {
        PodStatsMapper.newest(data.records()).ifPresent(record -> newest.put(data.containerGroupId(), record));
      }
    }
    for (String groupId : batch) {
      ContainerGroupMetricRecord record = newest.get(groupId);
      if (record != null) {
        cache.put(groupId, new Cached(now, record));
      } else {
        cache.remove(groupId);
      }
    }
  }

  private boolean fresh(Cached cached, Instant now) {
    return cached != null && now.isBefore(cached.fetchedAt().plus(window));
  }

  /** Records unused for this many windows are dropped (their pods are gone or no longer scraped). */
  static final int EVICT_AFTER_WINDOWS = 20;

  private void evictOlderThan(Instant limit) {
    cache.values().removeIf(cached -> cached.fetchedAt().isBefore(limit));
  }

  /** Groups with a cached record (fresh or not yet evicted). */
  int cachedGroups() {
    return cache.size();
  }

  /** Drops the cache entry of a group (its pod was deleted). */
  public void forget(String containerGroupId) {
    cache.remove(containerGroupId);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
