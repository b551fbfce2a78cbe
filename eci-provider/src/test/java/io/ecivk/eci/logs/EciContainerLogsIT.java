package io.ecivk.eci.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.eci.provider.EciProvider;
import io.ecivk.eci.provider.EciProviderConfig;
import io.ecivk.spi.ContainerLogs.LogOptions;
import io.ecivk.spi.ContainerLogs.LogStream;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EciProvider}'s container logs against the simulator over loopback. The simulator writes one line a second
 * of the shared manual clock; a pod created at {@code t0} runs from {@code T = t0 + 3 s}, its line N written at
 * {@code T + N - 1 s}. Following is driven by moving the clock while waiting.
 */
class EciContainerLogsIT {
  private static final String AK = "LTAI5tLOGSIT";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private ManualClock clock;
  private Instant t0;
  private EciSimulator simulator;
  private EciProvider provider;

  @BeforeEach
  void start() {
    t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    clock = new ManualClock(t0);
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16").clock(clock).build();
    simulator.start();
    TeaEciClient client = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    provider = new EciProvider(client, new EciProviderConfig("cluster-it", "vk-logs", List.of("vsw-a"), "sg-a",
        null, Duration.ofMillis(100), null, List.of("10.96.0.10"), "cluster.local"), clock);
    provider.start();
  }

  @AfterEach
  void stop() {
    provider.close();
    simulator.close();
  }

  private Instant running() {
    return t0.plusSeconds(3);
  }

  private Pod create(String name, String restartPolicy, EnvVar... env) {
    Pod pod = new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name).endMetadata()
        .withNewSpec().withRestartPolicy(restartPolicy)
        .addNewContainer().withName("app").withImage("busybox").withEnv(env).endContainer()
        .endSpec()
        .build();
    provider.createPod(ResolvedPod.of(pod));
    return pod;
  }

  private static LogOptions options(boolean follow, Long tail, Instant since, boolean timestamps, boolean previous,
      Long limit) {
    return new LogOptions(follow, tail == null ? OptionalLong.empty() : OptionalLong.of(tail),
        Optional.ofNullable(since), timestamps, previous, limit == null ? OptionalLong.empty() : OptionalLong.of(limit));
  }

  private String read(Pod pod, LogOptions options) throws Exception {
    try (LogStream stream = provider.openLog(pod, "app", options)) {
      StringBuilder out = new StringBuilder();
      for (Optional<byte[]> chunk = next(stream); chunk.isPresent(); chunk = next(stream)) {
        out.append(new String(chunk.get(), StandardCharsets.UTF_8));
      }
      return out.toString();
    }
  }

  private static Optional<byte[]> next(LogStream stream) throws Exception {
    return stream.next().get(10, TimeUnit.SECONDS);
  }

  /** Waits for a chunk (or the end) while the simulated time passes, 500 ms of it per 100 ms of waiting. */
  private Optional<byte[]> nextWhileTimePasses(LogStream stream) throws Exception {
    CompletableFuture<Optional<byte[]>> future = stream.next();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (!future.isDone()) {
        clock.advance(Duration.ofMillis(500));
      }
      return future.isDone();
    });
    return future.get();
  }

  private static String lines(int from, int to) {
    StringBuilder out = new StringBuilder();
    IntStream.rangeClosed(from, to).forEach(n -> out.append("app line ").append(n).append('\n'));
    return out.toString();
  }

  @Test
  void readsWithTailSinceLimitAndTimestamps() throws Exception {
    Pod pod = create("plain", "Always");
    clock.set(running().plusSeconds(9));

    assertThat(read(pod, LogOptions.defaults())).isEqualTo(lines(1, 10));
    assertThat(read(pod, options(false, 3L, null, false, false, null))).isEqualTo(lines(8, 10));
    assertThat(read(pod, options(false, 0L, null, false, false, null))).isEmpty();
    assertThat(read(pod, options(false, null, running().plusSeconds(6), false, false, null))).isEqualTo(lines(7, 10));
    assertThat(read(pod, options(false, null, null, false, false, 15L))).isEqualTo("app line 1\napp ");
    String stamped = read(pod, options(false, 2L, null, true, false, null));
    assertThat(stamped.lines()).hasSize(2).allSatisfy(line -> assertThat(line).matches("\\S+Z app line \\d+"));
    assertThat(Instant.parse(stamped.substring(0, stamped.indexOf(' ')))).isEqualTo(running().plusSeconds(8));
  }

  @Test
  void previousIsTheRunBeforeTheRestart() throws Exception {
    Pod pod = create("restarts", "Always", new EnvVar("ECI_MOCK_EXIT_CODE", "1", null),
        new EnvVar("ECI_MOCK_EXIT_AFTER_SECONDS", "4", null));
    clock.set(running().plusSeconds(6));

    assertThat(read(pod, options(false, null, null, false, true, null))).isEqualTo(lines(1, 4));
    assertThat(read(pod, options(false, null, null, false, false, null))).isEqualTo(lines(1, 3));
  }

  @Test
  void unknownContainerOrPodIsNotFound() {
    Pod pod = create("known", "Always");
    Pod stranger = new PodBuilder(pod).editMetadata().withUid("uid-stranger").endMetadata().build();

    for (LogStream stream : List.of(provider.openLog(pod, "nope", LogOptions.defaults()),
        provider.openLog(stranger, "app", LogOptions.defaults()))) {
      CompletableFuture<Optional<byte[]>> next = stream.next();
      assertThat(next).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
          .havingCause().isInstanceOfSatisfying(ProviderException.class,
              e -> assertThat(e.category()).isEqualTo(ErrorCategory.NOT_FOUND));
    }
  }

  @Test
  void followSeesNewLinesOnceEachWithoutTimestampsUnlessAsked() throws Exception {
    Pod pod = create("follow", "Always");
    clock.set(running().plusSeconds(9));
    StringBuilder out = new StringBuilder();
    try (LogStream stream = provider.openLog(pod, "app", options(true, 2L, null, false, false, null))) {
      out.append(new String(next(stream).orElseThrow(), StandardCharsets.UTF_8));
      assertThat(out.toString()).isEqualTo(lines(9, 10));
      while (!out.toString().contains("app line 20\n")) {
        out.append(new String(nextWhileTimePasses(stream).orElseThrow(), StandardCharsets.UTF_8));
      }
    }
    List<String> got = out.toString().lines().toList();
    int last = Integer.parseInt(got.get(got.size() - 1).substring("app line ".length()));
    assertThat(out.toString()).isEqualTo(lines(9, last));

    StringBuilder stamped = new StringBuilder();
    try (LogStream stream = provider.openLog(pod, "app", options(true, 1L, null, true, false, null))) {
      while (stamped.toString().lines().count() < 3) {
        stamped.append(new String(nextWhileTimePasses(stream).orElseThrow(), StandardCharsets.UTF_8));
      }
    }
    assertThat(stamped.toString().lines().toList()).allSatisfy(line -> assertThat(line).matches("\\S+Z app line \\d+"));
  }

  @Test
  void followEndsWhenTheContainerEndsAfterItsLastLines() throws Exception {
    Pod pod = create("job", "Never", new EnvVar("ECI_MOCK_EXIT_CODE", "0", null),
        new EnvVar("ECI_MOCK_EXIT_AFTER_SECONDS", "5", null));
    clock.set(running().plusSeconds(1));
    StringBuilder out = new StringBuilder();
    try (LogStream stream = provider.openLog(pod, "app", options(true, null, null, false, false, null))) {
      for (Optional<byte[]> chunk = nextWhileTimePasses(stream); chunk.isPresent();
          chunk = nextWhileTimePasses(stream)) {
        out.append(new String(chunk.get(), StandardCharsets.UTF_8));
      }
    }
    assertThat(out.toString()).isEqualTo(lines(1, 5));
    assertThat(provider.logs().followers()).isZero();
  }

  @Test
  void followCountsLimitBytesAcrossChunksAndCloseEndsAWaitingRead() throws Exception {
    Pod pod = create("limited", "Always");
    clock.set(running().plusSeconds(9));
    StringBuilder out = new StringBuilder();
    try (LogStream stream = provider.openLog(pod, "app", options(true, 2L, null, false, false, 25L))) {
      for (Optional<byte[]> chunk = nextWhileTimePasses(stream); chunk.isPresent();
          chunk = nextWhileTimePasses(stream)) {
        out.append(new String(chunk.get(), StandardCharsets.UTF_8));
      }
    }
    assertThat(out.toString()).isEqualTo("app line 9\napp line 10\nap");

    LogStream waiting = provider.openLog(pod, "app", options(true, 0L, null, false, false, null));
    CompletableFuture<Optional<byte[]>> pending = waiting.next(); // tail 0 and a still clock: nothing to send
    assertThat(pending).isNotDone();
    waiting.close();
    assertThat(pending).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(Optional.empty());
    assertThat(provider.logs().followers()).isZero();
  }
}
