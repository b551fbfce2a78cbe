package io.ecivk.kubeletapi.remotecommand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real kubectl (its client-go remote-command executors) against the handler, with a stand-in API server in
 * front: WebSocket {@code v5.channel.k8s.io} (kubectl's default since 1.30) and SPDY/3.1 through moby/spdystream
 * (forced with {@code KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false}, what older kubectl and API servers use).
 * Skipped where no kubectl is installed.
 */
class KubectlInteropIT {

  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");

  private FakeContainerExec exec;
  private FakeApiServer api;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed");
    exec = new FakeContainerExec();
    api = new FakeApiServer(new RemoteCommandHandler(exec));
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  record Result(int exitCode, String stdout, String stderr) {}

  private Result kubectl(boolean websocket, String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--server=" + api.url(),
        "--insecure-skip-tls-verify=true", "--token=fake", "-n", "default"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", Boolean.toString(websocket));
    builder.environment().put("KUBECONFIG", "/dev/null");
    Process process = builder.start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
    return new Result(process.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
        new String(err.get(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      in.transferTo(buffer);
      return buffer.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "websocket={0}")
  @ValueSource(booleans = {true, false})
  void execWithStdinEchoesAndExitsZero(boolean websocket) throws Exception {
    Result result = kubectl(websocket, "hello from kubectl\n", "exec", "-i", "web", "-c", "main", "--", "cat");
    assertThat(result.stdout()).as(result.stderr()).isEqualTo("hello from kubectl\n");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(exec.requests.get(0).stdin()).isTrue();
    // WebSocket upgrades are GETs, SPDY upgrades POSTs: exactly one, so kubectl did not fall back to SPDY.
    assertThat(api.requests.stream().filter(r -> r.contains("/pods/web/exec?")).toList())
        .singleElement().satisfies(r -> assertThat(r)
            .startsWith((websocket ? "GET" : "POST") + " /api/v1/namespaces/default/pods/web/exec?")
            .contains("stdin=true").contains("command=cat"));
  }

  /** The API server reaches a kubelet over HTTPS only: the same exchange with the {@code ssl} handler first. */
  @ParameterizedTest(name = "websocket={0}")
  @ValueSource(booleans = {true, false})
  void execOverTls(boolean websocket) throws Exception {
    api.close();
    SelfSignedCertificate certificate = new SelfSignedCertificate("127.0.0.1");
    api = new FakeApiServer(new RemoteCommandHandler(exec),
        SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build());
    assertThat(api.url()).startsWith("https://");
    Result result = kubectl(websocket, "over tls\n", "exec", "-i", "web", "-c", "main", "--", "cat");
    assertThat(result.stdout()).as(result.stderr()).isEqualTo("over tls\n");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
  }

  @ParameterizedTest(name = "websocket={0}")
  @ValueSource(booleans = {true, false})
  void execPropagatesTheNonZeroExitCode(boolean websocket) throws Exception {
    Result result = kubectl(websocket, null, "exec", "web", "-c", "main", "--", "exit", "3");
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
    assertThat(api.requests.stream().filter(r -> r.contains("/pods/web/exec?")).count()).isEqualTo(1);
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).contains("err\n").contains("command terminated with exit code 3");
  }

  @ParameterizedTest(name = "websocket={0}")
  @ValueSource(booleans = {true, false})
  void largeOutputArrivesWhole(boolean websocket) throws Exception {
    // Far past SPDY's initial window (which spdystream never replenishes) and four times the hard bound on
    // pending output: the fake provider writes from memory, far faster than kubectl reads, so it is suspended
    // and resumed along the way instead of the session being ended.
    int size = 8_000_000;
    Result result = kubectl(websocket, null, "exec", "web", "-c", "main", "--", "big", Integer.toString(size));
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).hasSize(size);
  }

  /** kubectl -t needs a terminal: util-linux {@code script} gives it a pseudo-terminal of a known size. */
  @ParameterizedTest(name = "websocket={0}")
  @ValueSource(booleans = {true, false})
  void execWithATerminalSendsItsSize(boolean websocket) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script is not installed");
    String kubectl = String.join(" ", KUBECTL.toString(), "--server=" + api.url(), "--token=fake", "-n", "default",
        "exec", "-it", "web", "-c", "main", "--", "tty");
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/script", "-qec", "stty cols 101 rows 33; " + kubectl,
        "/dev/null");
    builder.environment().put("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", Boolean.toString(websocket));
    builder.environment().put("KUBECONFIG", "/dev/null");
    builder.redirectErrorStream(true);
    Process process = builder.start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    OutputStream in = process.getOutputStream();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> !exec.resizes.isEmpty());
    in.write(new byte[] {'h', 'i', 4});
    in.flush();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
    in.close();
    String output = new String(out.get(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(exec.requests.get(0).tty()).isTrue();
    assertThat(exec.resizes.get(0)).isEqualTo(new io.ecivk.spi.ContainerExec.TerminalSize(101, 33));
    assertThat(output).contains("resize 101x33").contains("hi").contains("bye");
  }

  @ParameterizedTest(name = "websocket={0}")
  @ValueSource(booleans = {true, false})
  void attachWithStdin(boolean websocket) throws Exception {
    Result result = kubectl(websocket, "attached\n", "attach", "-i", "web", "-c", "main");
    assertThat(result.stdout()).as(result.stderr()).contains("attached\n");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
  }
}
