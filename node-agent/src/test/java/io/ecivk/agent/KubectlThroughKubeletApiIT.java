package io.ecivk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl logs} and {@code kubectl exec} against a pod on the virtual node, end to end: the machine's
 * kubectl talks to the real API server, which proxies to our kubelet API on 127.0.0.1 authenticating with its
 * kubelet client certificate (verified against the cluster CA from {@code kube-root-ca.crt}, then authorized
 * through SubjectAccessReview); logs come from the simulator's DescribeContainerLog, exec runs through
 * ExecContainerCommand and the simulator's session.
 */
@ExtendWith(KubeControlPlaneExtension.class)
class KubectlThroughKubeletApiIT {
  private static final String AK = "LTAI5tKUBECTL";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret11";
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");

  private KubeControlPlane controlPlane;
  private KubernetesClient client;
  private String namespace;
  private String zone;
  private EciSimulator simulator;
  private Agent agent;

  @BeforeEach
  void start(KubeControlPlane controlPlane) throws Exception {
    assertThat(KUBECTL).as("kubectl on this machine").isExecutable();
    this.controlPlane = controlPlane;
    client = controlPlane.client();
    namespace = controlPlane.createNamespace("kubectl");
    zone = "cn-hangzhou-" + UUID.randomUUID().toString().substring(0, 8);
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", zone, "10.224.0.0/16").build();
    simulator.start();
    AgentConfig config = TestAgentConfigs.onSimulator(zone, URI.create("http://127.0.0.1:" + simulator.port()), AK, SECRET)
        .build();
    agent = Agent.start(config, Config.fromKubeconfig(Files.readString(controlPlane.kubeconfig())));
    client.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName("web").withNamespace(namespace).endMetadata()
        .withNewSpec().withNodeName(agent.nodeName()).withAutomountServiceAccountToken(false)
        .addNewContainer().withName("app").withImage("nginx:1.25").endContainer()
        .endSpec().build()).create();
    await().atMost(Duration.ofSeconds(60)).until(() ->
        "Running".equals(client.pods().inNamespace(namespace).withName("web").get().getStatus().getPhase()));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
      client.nodes().withName(agent.nodeName()).delete();
    }
    simulator.close();
  }

  @Test
  void logsWithTailAndSince() throws Exception {
    // The simulator writes one line a second per container: wait until there are a few.
    await().atMost(Duration.ofSeconds(20)).until(() -> kubectl(null, "logs", "web").stdout().lines().count() >= 3);

    Result tail = kubectl(null, "logs", "web", "--tail=2");
    assertThat(tail.exitCode()).as(tail.stderr()).isZero();
    assertThat(tail.stdout().lines().toList()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("app line "));

    Result since = kubectl(null, "logs", "web", "--since=1h", "--timestamps");
    assertThat(since.exitCode()).as(since.stderr()).isZero();
    assertThat(since.stdout().lines().toList()).isNotEmpty()
        .allSatisfy(l -> assertThat(l).matches("\\d{4}-\\d\\d-\\d\\dT\\S+ app line \\d+"));
  }

  @Test
  void previousWithoutARestartIsRefusedClearly() throws Exception {
    Result previous = kubectl(null, "logs", "web", "--previous");

    assertThat(previous.exitCode()).isNotZero();
    assertThat(previous.stderr()).containsIgnoringCase("previous");
  }

  @Test
  void previousShowsTheLogOfTheInstanceBeforeARestart() {
    // The simulator's job-like container: exits with 1 after 3 s and, under restartPolicy Always, starts again.
    client.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName("restarter").withNamespace(namespace).endMetadata()
        .withNewSpec().withNodeName(agent.nodeName()).withAutomountServiceAccountToken(false)
        .addNewContainer().withName("app").withImage("busybox:1.36")
        .addNewEnv().withName("ECI_MOCK_EXIT_CODE").withValue("1").endEnv()
        .addNewEnv().withName("ECI_MOCK_EXIT_AFTER_SECONDS").withValue("3").endEnv()
        .endContainer()
        .endSpec().build()).create();

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Result previous = kubectl(null, "logs", "restarter", "--previous");
      assertThat(previous.exitCode()).as(previous.stderr()).isZero();
      assertThat(previous.stdout()).isEqualTo("app line 1\napp line 2\napp line 3\n");
    });
  }

  @Test
  void followStreamsNewLines() throws Exception {
    Process follow = new ProcessBuilder(command("logs", "-f", "web", "--tail=1")).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> lines = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        lines.add(out.readLine());
        return lines.size() >= 4;
      });
      assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("app line "));
      List<Integer> numbers = lines.stream().map(l -> Integer.parseInt(l.substring("app line ".length()))).toList();
      assertThat(numbers).as("new lines, in order, none twice").isSorted().doesNotHaveDuplicates();
    } finally {
      follow.destroy();
      follow.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void execRunsACommandPassesStdinAndReportsTheExitCode() throws Exception {
    Result echo = kubectl(null, "exec", "web", "--", "echo", "hello", "eci");
    assertThat(echo.exitCode()).as(echo.stderr()).isZero();
    assertThat(echo.stdout()).isEqualTo("hello eci\n");

    Result cat = kubectl("from stdin\n", "exec", "-i", "web", "--", "cat");
    assertThat(cat.exitCode()).as(cat.stderr()).isZero();
    assertThat(cat.stdout()).isEqualTo("from stdin\n");

    Result exit = kubectl(null, "exec", "web", "--", "sh", "-c", "exit 3");
    assertThat(exit.exitCode()).isEqualTo(3);
  }

  /**
   * {@code kubectl exec -it} needs a terminal: util-linux {@code script} gives it a pseudo-terminal (sized by
   * {@code stty} first). The terminal's name is written to a file so the test can resize it while kubectl runs,
   * as a user resizing the window would (the kernel sends SIGWINCH, kubectl sends the new size).
   */
  @Test
  void execWithATerminalShowsTheShellAndPassesResizes(@TempDir Path dir) throws Exception {
    Path script = Path.of("/usr/bin/script");
    assertThat(script).as("util-linux script on this machine").isExecutable();
    Path ttyName = dir.resolve("tty");
    String kubectl = String.join(" ", command("exec", "-it", "web", "--", "sh"));
    Process process = new ProcessBuilder(script.toString(), "-qec",
        "tty > " + ttyName + "; stty cols 101 rows 33; exec " + kubectl, "/dev/null")
        .redirectErrorStream(true).start();
    StringBuffer output = new StringBuffer();
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[4096];
      try (var in = process.getInputStream()) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // the process ended
      }
    });
    pump.setDaemon(true);
    pump.start();
    OutputStream keyboard = process.getOutputStream();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> output.toString().contains("# "));
      type(keyboard, "stty size\r");
      await().atMost(Duration.ofSeconds(20)).until(() -> output.toString().contains("33 101\r\n"));

      String terminal = Files.readString(ttyName).trim();
      Process resize = new ProcessBuilder("stty", "-F", terminal, "cols", "120", "rows", "40").inheritIO().start();
      assertThat(resize.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(resize.exitValue()).isZero();
      // The new size travels kubectl -> API server -> kubelet API -> ECI session -> the simulator's terminal.
      // SIGWINCH is asynchronous: ask again until the new size shows.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        type(keyboard, "stty size\r");
        return output.toString().contains("40 120\r\n");
      });

      type(keyboard, "echo typed in a tty\r");
      await().atMost(Duration.ofSeconds(20)).until(() -> output.toString().contains("typed in a tty\r\n"));
      type(keyboard, "exit 5\r");
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("kubectl finished: " + output).isTrue();
      assertThat(process.exitValue()).as(output.toString()).isEqualTo(5);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void attachIsRefusedWithAClearMessage() throws Exception {
    Result attach = kubectl(null, "attach", "web", "-c", "app");

    assertThat(attach.exitCode()).isNotZero();
    assertThat(attach.stderr()).contains("attach is not supported on ECI")
        .contains("kubectl logs -f").contains("kubectl exec");
  }

  private static void type(OutputStream keyboard, String keys) throws IOException {
    keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result kubectl(String stdin, String... args) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command(args)).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    var stdout = p.getInputStream().readAllBytes();
    var stderr = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), new String(stdout, StandardCharsets.UTF_8),
        new String(stderr, StandardCharsets.UTF_8));
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig",
        controlPlane.kubeconfig().toString(), "-n", namespace, "--request-timeout=60s"));
    command.addAll(List.of(args));
    return command;
  }
}
