package io.ecivk.eci.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.client.model.ConfigFileToPath;
import io.ecivk.eci.client.model.Container;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.EnvironmentVar;
import io.ecivk.eci.client.model.Volume;
import io.ecivk.eci.client.model.VolumeMount;
import io.ecivk.eci.client.ratelimit.RateLimitedEciClient;
import io.ecivk.eci.client.ratelimit.RateLimits;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.eci.provider.EciProvider;
import io.ecivk.eci.provider.EciProviderConfig;
import io.ecivk.spi.ContainerExec;
import io.ecivk.spi.ContainerExec.ExecExit;
import io.ecivk.spi.ContainerExec.ExecOutput;
import io.ecivk.spi.ContainerExec.ExecRequest;
import io.ecivk.spi.ContainerExec.ExecSession;
import io.ecivk.spi.ContainerExec.TerminalSize;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EciContainerExec} through the real client and a real WebSocket to the simulator's exec endpoint. */
class EciContainerExecIT {
  private static final String AK = "LTAI5tEXECIT";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private ManualClock clock;
  private EciSimulator simulator;
  private TeaEciClient client;
  private EciContainerExec exec;
  private String groupId;

  @BeforeEach
  void start() {
    clock = new ManualClock(Instant.now());
    simulator = EciSimulator.builder().region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16").clock(clock).build();
    simulator.start();
    client = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    exec = new EciContainerExec(RateLimitedEciClient.wrap(client, RateLimits.defaults(), clock),
        pod -> Optional.ofNullable(groupId));
    groupId = client.createContainerGroup(CreateContainerGroupRequest.builder("web-0")
        .securityGroupId("sg-a")
        .vSwitchIds(List.of("vsw-a"))
        .volumes(List.of(Volume.configFile("config", null,
            List.of(ConfigFileToPath.ofText("app.conf", "port=8080\nmode=prod\n", null)))))
        .containers(List.of(Container.builder("app", "busybox:1.36")
            .environmentVars(List.of(EnvironmentVar.literal("GREETING", "hello world"),
                EnvironmentVar.literal("MODE", "prod")))
            .volumeMounts(List.of(VolumeMount.of("config", "/etc/app", true)))
            .build()))
        .build()).containerGroupId();
  }

  @AfterEach
  void stop() {
    exec.close();
    simulator.close();
  }

  /** Records a session's output; checks the contract's promises as it goes. */
  private static final class Recorder implements ExecOutput {
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    final CompletableFuture<ExecExit> exit = new CompletableFuture<>();
    final AtomicInteger exits = new AtomicInteger();
    final AtomicInteger afterExit = new AtomicInteger();

    @Override
    public synchronized void stdout(byte[] data) {
      if (exit.isDone()) {
        afterExit.incrementAndGet();
      }
      stdout.writeBytes(data);
    }

    @Override
    public synchronized void stderr(byte[] data) {
      if (exit.isDone()) {
        afterExit.incrementAndGet();
      }
      stderr.writeBytes(data);
    }

    @Override
    public void exited(ExecExit how) {
      exits.incrementAndGet();
      exit.complete(how);
    }

    synchronized String out() {
      return stdout.toString(StandardCharsets.UTF_8);
    }

    synchronized String err() {
      return stderr.toString(StandardCharsets.UTF_8);
    }

    ExecExit awaitExit() throws Exception {
      ExecExit how = exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(exits.get()).isEqualTo(1);
      assertThat(afterExit.get()).isZero();
      return how;
    }
  }

  private static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("web-0").withNamespace("default").withUid("uid-web-0")
        .endMetadata().build();
  }

  private static ExecRequest request(boolean stdin, boolean tty, Optional<TerminalSize> size, String... command) {
    return new ExecRequest(List.of(command), stdin, true, !tty, tty, size);
  }

  private Recorder run(String... command) throws Exception {
    running();
    Recorder recorder = new Recorder();
    exec.exec(pod(), "app", request(false, false, Optional.empty(), command), recorder)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    recorder.awaitExit();
    return recorder;
  }

  private void running() {
    clock.advance(Duration.ofSeconds(3));
  }

  @Test
  void echo() throws Exception {
    Recorder recorder = run("echo", "hello", "from", "eci");
    assertThat(recorder.out()).isEqualTo("hello from eci\n");
    assertThat(recorder.err()).isEmpty();
    assertThat(recorder.awaitExit()).isEqualTo(ExecExit.code(0));
  }

  @Test
  void env() throws Exception {
    assertThat(run("env").out()).isEqualTo("GREETING=hello world\nMODE=prod\n");
  }

  @Test
  void catOfAMountedConfigFile() throws Exception {
    Recorder recorder = run("cat", "/etc/app/app.conf");
    assertThat(recorder.out()).isEqualTo("port=8080\nmode=prod\n");
    assertThat(recorder.awaitExit()).isEqualTo(ExecExit.code(0));
  }

  @Test
  void nonZeroExitCode() throws Exception {
    Recorder recorder = run("sh", "-c", "echo before; exit 3; echo after");
    assertThat(recorder.out()).isEqualTo("before\n");
    assertThat(recorder.awaitExit()).isEqualTo(ExecExit.code(3));
  }

  @Test
  void unknownCommandIs127() throws Exception {
    Recorder recorder = run("kubectl", "version");
    assertThat(recorder.err()).isEqualTo("kubectl: command not found\n");
    assertThat(recorder.awaitExit()).isEqualTo(ExecExit.code(127));
  }

  @Test
  void streamsTheClientDidNotAskForAreDropped() throws Exception {
    running();
    Recorder recorder = new Recorder();
    exec.exec(pod(), "app", new ExecRequest(List.of("sh", "-c", "echo out; nope"), false, false, true, false,
        Optional.empty()), recorder).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(recorder.awaitExit()).isEqualTo(ExecExit.code(127));
    assertThat(recorder.out()).isEmpty();
    assertThat(recorder.err()).isEqualTo("nope: command not found\n");
  }

  @Test
  void stdinRoundTripWithCat() throws Exception {
    running();
    Recorder recorder = new Recorder();
    ExecSession session = exec.exec(pod(), "app", request(true, false, Optional.empty(), "cat"), recorder)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    session.stdin("first line\n".getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> recorder.out().equals("first line\n"));
    assertThat(recorder.exit).isNotDone();
    session.stdin("second".getBytes(StandardCharsets.UTF_8));
    session.closeStdin();
    assertThat(recorder.awaitExit()).isEqualTo(ExecExit.code(0));
    assertThat(recorder.out()).isEqualTo("first line\nsecond");
  }

  /**
   * A reader that takes output only when told to drain: it suspends the session above 512 KiB unconsumed and
   * resumes it at 128 KiB, as the kubelet API's bridge does toward a slow client.
   */
  private static final class SlowReader implements ExecOutput {
    static final long SUSPEND_ABOVE = 512 * 1024;
    static final long RESUME_AT = 128 * 1024;
    final AtomicReference<ExecSession> session = new AtomicReference<>();
    final AtomicLong received = new AtomicLong();
    final AtomicLong unconsumed = new AtomicLong();
    final AtomicLong peakUnconsumed = new AtomicLong();
    final AtomicInteger suspensions = new AtomicInteger();
    final AtomicInteger mismatches = new AtomicInteger();
    final CompletableFuture<ExecExit> exit = new CompletableFuture<>();
    private final java.util.function.LongFunction<Byte> expected;
    private final byte[] tail = new byte[16];
    private boolean suspended;

    /** @param expected the byte expected at each offset, or null not to check */
    SlowReader(java.util.function.LongFunction<Byte> expected) {
      this.expected = expected;
    }

    @Override
    public synchronized void stdout(byte[] data) {
      long offset = received.getAndAdd(data.length);
      for (int i = 0; expected != null && i < data.length; i++) {
        if (expected.apply(offset + i) != data[i]) {
          mismatches.incrementAndGet();
        }
      }
      int keep = Math.min(data.length, tail.length);
      System.arraycopy(tail, keep, tail, 0, tail.length - keep);
      System.arraycopy(data, data.length - keep, tail, tail.length - keep, keep);
      peakUnconsumed.accumulateAndGet(unconsumed.addAndGet(data.length), Math::max);
      flow();
    }

    @Override
    public void stderr(byte[] data) {
      mismatches.incrementAndGet();
    }

    @Override
    public void exited(ExecExit how) {
      exit.complete(how);
    }

    synchronized void attach(ExecSession s) {
      session.set(s);
      flow();
    }

    /** Takes up to {@code bytes} of what was received. */
    synchronized void consume(long bytes) {
      unconsumed.addAndGet(-Math.min(bytes, unconsumed.get()));
      flow();
    }

    synchronized boolean suspended() {
      return suspended;
    }

    synchronized String tail() {
      return new String(tail, StandardCharsets.ISO_8859_1);
    }

    private void flow() {
      ExecSession s = session.get();
      if (s == null) {
        return;
      }
      if (!suspended && unconsumed.get() > SUSPEND_ABOVE) {
        suspended = true;
        suspensions.incrementAndGet();
        s.suspendOutput();
      } else if (suspended && unconsumed.get() <= RESUME_AT) {
        suspended = false;
        s.resumeOutput();
      }
    }
  }

  /** Output bound while the reader takes nothing: the reader's threshold plus what one socket read can carry. */
  private static final long HELD_BOUND = SlowReader.SUSPEND_ABOVE + 1024 * 1024;

  /** Drains the reader at 128 KiB every 5 ms (about 25 MB/s) until the session ends. */
  private static void drain(SlowReader reader, ScheduledExecutorService timer) {
    timer.scheduleAtFixedRate(() -> reader.consume(128 * 1024), 0, 5, TimeUnit.MILLISECONDS);
  }

  @Test
  void largeStdinThroughCatToASlowReaderIsPacedBothWays() throws Exception {
    running();
    // More than the kernel can hold in the socket buffers of both directions on loopback (autotuned up to several
    // MB each), so that a sender paced by the reader cannot have pushed everything before the reader reads.
    long total = 40L * 1024 * 1024;
    SlowReader reader = new SlowReader(offset -> (byte) (offset % 251));
    ExecSession session = exec.exec(pod(), "app", request(true, false, Optional.empty(), "cat"), reader)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    reader.attach(session);
    ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
    try {
      // The sender keeps at most 256 KiB of input unacknowledged, as the bridge does.
      AtomicLong acknowledged = new AtomicLong();
      threads.execute(() -> {
        java.util.ArrayDeque<CompletableFuture<Void>> inFlight = new java.util.ArrayDeque<>();
        byte[] piece = new byte[32 * 1024];
        for (long sent = 0; sent < total; sent += piece.length) {
          byte[] chunk = new byte[piece.length];
          for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) ((sent + i) % 251);
          }
          inFlight.add(session.stdin(chunk).toCompletableFuture()
              .thenRun(() -> acknowledged.addAndGet(chunk.length)));
          while (inFlight.size() > 8) {
            inFlight.poll().join();
          }
        }
        inFlight.forEach(CompletableFuture::join);
        session.closeStdin();
      });

      // Nothing is read: the session is suspended, output stops near the threshold, and so does the input
      // (the simulator's cat stops reading stdin while its output is not taken).
      await().atMost(WAIT).until(reader::suspended);
      await().during(Duration.ofMillis(700)).atMost(WAIT).until(() -> reader.unconsumed.get() < HELD_BOUND);
      assertThat(acknowledged.get()).isLessThan(total);

      drain(reader, threads);
      assertThat(reader.exit.get(60, TimeUnit.SECONDS)).isEqualTo(ExecExit.code(0));
      assertThat(reader.received.get()).isEqualTo(total);
      assertThat(reader.mismatches.get()).isZero();
      assertThat(reader.peakUnconsumed.get()).isLessThan(HELD_BOUND);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void seqToASlowReaderStreamsEverythingWithBoundedOutputHeld() throws Exception {
    running();
    int last = 1_000_000;
    long total = 0;
    for (int i = 1; i <= last; i++) {
      total += String.valueOf(i).length() + 1;
    }
    SlowReader reader = new SlowReader(null);
    ExecSession session = exec.exec(pod(), "app", request(false, false, Optional.empty(), "seq",
        String.valueOf(last)), reader).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    reader.attach(session);
    ScheduledExecutorService threads = Executors.newScheduledThreadPool(1);
    try {
      await().atMost(WAIT).until(reader::suspended);
      await().during(Duration.ofMillis(700)).atMost(WAIT).until(() -> reader.unconsumed.get() < HELD_BOUND);
      assertThat(reader.exit).isNotDone();

      drain(reader, threads);
      assertThat(reader.exit.get(60, TimeUnit.SECONDS)).isEqualTo(ExecExit.code(0));
      assertThat(reader.received.get()).isEqualTo(total);
      assertThat(reader.tail()).endsWith("\n999999\n1000000\n");
      assertThat(reader.suspensions.get()).isGreaterThan(1);
      assertThat(reader.peakUnconsumed.get()).isLessThan(HELD_BOUND);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void ttyWithResizeAndSttySize() throws Exception {
    running();
    Recorder recorder = new Recorder();
    ExecSession session = exec.exec(pod(), "app",
            request(true, true, Optional.of(new TerminalSize(80, 24)), "/bin/sh"), recorder)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> recorder.out().equals("# "));
    session.stdin("stty size\r".getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> recorder.out().endsWith("24 80\r\n# "));
    session.resize(new TerminalSize(132, 43));
    session.stdin("stty size\r".getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> recorder.out().endsWith("43 132\r\n# "));
    session.stdin("nope; exit 5\r".getBytes(StandardCharsets.UTF_8));
    assertThat(recorder.awaitExit()).isEqualTo(ExecExit.code(5));
    assertThat(recorder.out()).isEqualTo("# stty size\r\n24 80\r\n# stty size\r\n43 132\r\n# nope; exit 5\r\n"
        + "nope: command not found\r\n");
    assertThat(recorder.err()).isEmpty();
  }

  @Test
  void sessionClosedByTheClient() throws Exception {
    running();
    Recorder recorder = new Recorder();
    ExecSession session = exec.exec(pod(), "app", request(true, false, Optional.empty(), "cat"), recorder)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    session.close();
    assertThat(recorder.awaitExit()).isEqualTo(ExecExit.failure("the exec session was closed by the client"));
    session.stdin("ignored".getBytes(StandardCharsets.UTF_8));
    session.close();
    assertThat(recorder.exits.get()).isEqualTo(1);
  }

  @Test
  void groupNotRunningIsATransientError() {
    Recorder recorder = new Recorder();
    CompletableFuture<ExecSession> future =
        exec.exec(pod(), "app", request(false, false, Optional.empty(), "echo"), recorder);
    assertThat(future).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.TRANSIENT);
          assertThat(e.code()).isEqualTo("IncorrectStatus");
        });
    assertThat(recorder.exits.get()).isZero();
  }

  @Test
  void unknownContainerIsNotFound() {
    running();
    CompletableFuture<ExecSession> future =
        exec.exec(pod(), "sidecar", request(false, false, Optional.empty(), "echo"), new Recorder());
    assertThat(future).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(ProviderException.class,
            e -> assertThat(e.category()).isEqualTo(ErrorCategory.NOT_FOUND));
  }

  @Test
  void refusalsBeforeAnyCall() {
    groupId = null;
    assertThat(exec.exec(pod(), "app", request(false, false, Optional.empty(), "echo"), new Recorder()))
        .failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class).havingCause()
        .isInstanceOfSatisfying(ProviderException.class,
            e -> assertThat(e.category()).isEqualTo(ErrorCategory.NOT_FOUND));
    assertThat(exec.exec(pod(), "app", request(false, false, Optional.empty(), "x".repeat(257)), new Recorder()))
        .failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class).havingCause()
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
          assertThat(e.code()).isEqualTo("InvalidCommand");
        });
    assertThat(exec.attach(pod(), "app", request(true, true, Optional.empty()), new Recorder()))
        .failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class).havingCause()
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
          assertThat(e.code()).isEqualTo(EciContainerExec.ATTACH_NOT_SUPPORTED);
          assertThat(e.getMessage()).contains("kubectl logs -f");
        });
    assertThat(simulator.callCount("ExecContainerCommand")).isZero();
  }

  @Test
  void theProviderDelegatesExecForItsPods() throws Exception {
    try (EciProvider provider = new EciProvider(client, new EciProviderConfig("cluster-it", "vk-exec",
        List.of("vsw-a"), "sg-a", null, Duration.ofMillis(100), null, List.of("10.96.0.10"), "cluster.local"),
        clock)) {
      Pod pod = new PodBuilder().withNewMetadata().withName("job").withNamespace("default").withUid("uid-job")
          .endMetadata().withNewSpec().addNewContainer().withName("main").withImage("busybox:1.36").endContainer()
          .endSpec().build();
      provider.createPod(ResolvedPod.of(pod));
      running();
      Recorder recorder = new Recorder();
      assertThat((Object) provider).isInstanceOf(ContainerExec.class);
      provider.exec(pod, "main", request(false, false, Optional.empty(), "hostname"), recorder)
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(recorder.awaitExit()).isEqualTo(ExecExit.code(0));
      assertThat(recorder.out()).isNotBlank().endsWith("\n");
      assertThat(provider.attach(pod, "main", request(false, false, Optional.empty()), recorder))
          .isCompletedExceptionally();
    }
  }
}
