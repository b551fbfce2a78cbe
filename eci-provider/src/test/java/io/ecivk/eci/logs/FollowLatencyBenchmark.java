package io.ecivk.eci.logs;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.eci.provider.EciProvider;
import io.ecivk.eci.provider.EciProviderConfig;
import io.ecivk.spi.ContainerLogs.LogOptions;
import io.ecivk.spi.ContainerLogs.LogStream;
import io.ecivk.spi.ResolvedPod;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how late new log lines reach {@code N} concurrent followers in real time, against the simulator (one
 * line a second per container) through the provider with its default follow budget (400 polls a minute). Latency
 * of a line = the moment it is handed to the reader − the timestamp ECI gave it. Not a test: run by hand,
 * {@code java ... io.ecivk.eci.logs.FollowLatencyBenchmark [followers=50] [seconds=40]}.
 */
public final class FollowLatencyBenchmark {
  private static final String AK = "LTAI5tBENCH";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  public static void main(String[] args) throws Exception {
    int followers = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    Clock clock = Clock.systemUTC();
    try (EciSimulator simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16").clock(clock).build()) {
      simulator.start();
      TeaEciClient client = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
          "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(5)));
      EciProvider provider = new EciProvider(client, new EciProviderConfig("bench", "vk-bench", List.of("vsw-a"),
          "sg-a", null, Duration.ofSeconds(1), null, List.of("10.96.0.10"), "cluster.local"), clock);
      provider.start();
      List<Pod> pods = new ArrayList<>();
      for (int i = 0; i < followers; i++) {
        Pod pod = new PodBuilder()
            .withNewMetadata().withName("f" + i).withNamespace("default").withUid("uid-f" + i).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec()
            .build();
        provider.createPod(ResolvedPod.of(pod));
        pods.add(pod);
      }
      new CountDownLatch(1).await(4, TimeUnit.SECONDS); // the groups run 3 s after creation

      Instant warm = clock.instant().plusSeconds(10);
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      AtomicLong lines = new AtomicLong();
      AtomicBoolean running = new AtomicBoolean(true);
      List<LogStream> streams = new ArrayList<>();
      long callsBefore = simulator.callCount("DescribeContainerLog");
      Instant start = clock.instant();
      for (Pod pod : pods) {
        LogStream stream = provider.openLog(pod, "app",
            new LogOptions(true, OptionalLong.of(1), Optional.empty(), true, false, OptionalLong.empty()));
        streams.add(stream);
        pump(stream, clock, warm, latencies, lines, running);
      }
      new CountDownLatch(1).await(seconds, TimeUnit.SECONDS);
      running.set(false);
      Duration elapsed = Duration.between(start, clock.instant());
      long calls = simulator.callCount("DescribeContainerLog") - callsBefore;
      streams.forEach(LogStream::close);
      List<Long> sorted;
      synchronized (latencies) {
        sorted = new ArrayList<>(latencies);
      }
      Collections.sort(sorted);
      System.out.printf("followers=%d seconds=%d lines=%d measuredLines=%d calls=%d callsPerMinute=%.0f%n",
          followers, elapsed.toSeconds(), lines.get(), sorted.size(), calls, calls * 60_000.0 / elapsed.toMillis());
      if (!sorted.isEmpty()) {
        System.out.printf("latencyMs p50=%d p90=%d p99=%d max=%d maxPollGapMs=%d%n", pct(sorted, 50),
            pct(sorted, 90), pct(sorted, 99), sorted.get(sorted.size() - 1),
            provider.logs().maxFollowPollGap().toMillis());
      }
      provider.close();
    }
  }

  private static void pump(LogStream stream, Clock clock, Instant warm, List<Long> latencies, AtomicLong lines,
      AtomicBoolean running) {
    stream.next().whenComplete((chunk, error) -> {
      if (error != null || chunk.isEmpty() || !running.get()) {
        return;
      }
      Instant now = clock.instant();
      for (String line : new String(chunk.get(), StandardCharsets.UTF_8).split("\n")) {
        int space = line.indexOf(' ');
        if (space > 0) {
          Instant written = Instant.parse(line.substring(0, space));
          lines.incrementAndGet();
          if (written.isAfter(warm)) {
            latencies.add(Duration.between(written, now).toMillis());
          }
        }
      }
      pump(stream, clock, warm, latencies, lines, running);
    });
  }

  private static long pct(List<Long> sorted, int percent) {
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
  }
}
