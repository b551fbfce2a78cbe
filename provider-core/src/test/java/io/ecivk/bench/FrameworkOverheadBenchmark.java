package io.ecivk.bench;

import io.ecivk.testkit.KubeControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Framework overhead, measured the way virtual-kubelet's Go implementation was measured on the same control
 * plane: N pods bound to the node at once (created with {@code spec.nodeName} set), an in-memory provider that
 * answers at once ({@link InstantProvider}), the agent in its own JVM ({@link InstantProviderAgent}) with its
 * default settings. Reports the time from the first create until every pod is Running as seen by a watch, and
 * the agent's CPU seconds and RSS (from {@code /proc}).
 *
 * <p>Run (after {@code mvn -B -q -DskipTests package} or any build that compiled the tests):
 *
 * <pre>
 * mvn -B -q -o -pl provider-core -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp provider-core/target/test-classes:provider-core/target/classes:$(cat /tmp/cp.txt) \
 *     [-Dagent.jvm="JVM options of the agent"] io.ecivk.bench.FrameworkOverheadBenchmark [pods=1000] [workers=10]
 * </pre>
 *
 * The control plane is the project's real v1.20.2 one ({@code scripts/kube-testenv}), started if needed.
 */
public final class FrameworkOverheadBenchmark {
  private FrameworkOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    String workers = args.length > 1 ? args[1] : "10";
    KubeControlPlane plane = KubeControlPlane.shared();
    KubernetesClient client = plane.client();
    String namespace = plane.createNamespace("bench");
    String nodeName = KubeControlPlane.uniqueName("vk-bench");

    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    String jvmOptions = System.getProperty("agent.jvm", "").trim();
    if (!jvmOptions.isEmpty()) {
      command.addAll(List.of(jvmOptions.split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "-Dlogback.configurationFile=" + quietLogback(),
        InstantProviderAgent.class.getName(), plane.kubeconfig().toString(), nodeName, workers));
    Process agent = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals("READY")) {
      System.out.println("agent: " + line);
    }
    if (line == null) {
      throw new IllegalStateException("agent exited before READY: " + agent.waitFor());
    }
    long pid = agent.pid();
    double cpuAtReady = cpuSeconds(pid);
    long rssAtReady = statusKb(pid, "VmRSS");

    java.util.Map<String, Double> requestsBefore = podRequests(client);
    Set<String> running = ConcurrentHashMap.newKeySet();
    CountDownLatch allRunning = new CountDownLatch(n);
    Watch watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
            && running.add(pod.getMetadata().getName())) {
          allRunning.countDown();
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });

    ExecutorService creators = Executors.newFixedThreadPool(32);
    long t0 = System.nanoTime();
    List<Future<?>> creates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Pod pod = new PodBuilder()
          .withNewMetadata().withName("p-" + i).withNamespace(namespace).endMetadata()
          .withNewSpec().withNodeName(nodeName).withAutomountServiceAccountToken(false)
          .withEnableServiceLinks(false)
          .addNewToleration().withOperator("Exists").endToleration()
          .addNewContainer().withName("c").withImage("nginx:1.27").endContainer()
          .endSpec().build();
      creates.add(creators.submit(() -> client.pods().inNamespace(namespace).resource(pod).create()));
    }
    for (Future<?> f : creates) {
      f.get();
    }
    long tCreated = System.nanoTime();
    boolean done = allRunning.await(10, TimeUnit.MINUTES);
    long tRunning = System.nanoTime();
    double cpuAtRunning = cpuSeconds(pid);
    long rssAtRunning = statusKb(pid, "VmRSS");
    long rssPeak = statusKb(pid, "VmHWM");
    watch.close();
    creators.shutdownNow();
    java.util.Map<String, Double> requestsAfter = podRequests(client);

    System.out.printf("pods=%d workers=%s agentJvm=[%s] allRunning=%s%n", n, workers, jvmOptions, done);
    System.out.printf("creates issued in %.2f s; all Running %.2f s after the first create (%.2f s after the last)%n",
        (tCreated - t0) / 1e9, (tRunning - t0) / 1e9, (tRunning - tCreated) / 1e9);
    System.out.printf("agent CPU: %.2f s during the run (%.2f s in total incl. start-up)%n",
        cpuAtRunning - cpuAtReady, cpuAtRunning);
    System.out.printf("agent RSS: %d MB at ready, %d MB after the run, %d MB peak%n",
        rssAtReady / 1024, rssAtRunning / 1024, rssPeak / 1024);

    System.out.println("API server requests on pods during the run (verb subresource: count, the harness's own creates"
        + " and watch included):");
    requestsAfter.forEach((k, v) -> {
      double d = v - requestsBefore.getOrDefault(k, 0.0);
      if (d > 0) {
        System.out.printf("  %s: %.0f%n", k, d);
      }
    });
    agent.getOutputStream().close();
    if (!agent.waitFor(30, TimeUnit.SECONDS)) {
      agent.destroyForcibly();
    }
    client.namespaces().withName(namespace).delete();
    client.nodes().withName(nodeName).delete();
    System.exit(done ? 0 : 1);
  }

  /** {@code apiserver_request_total} for pods (and events), by verb and subresource, from the API server's metrics. */
  static java.util.Map<String, Double> podRequests(KubernetesClient client) {
    java.util.Map<String, Double> counts = new java.util.TreeMap<>();
    java.util.regex.Pattern label = java.util.regex.Pattern.compile("(\\w+)=\"([^\"]*)\"");
    for (String l : client.raw("/metrics").split("\n")) {
      if (!l.startsWith("apiserver_request_total{")) {
        continue;
      }
      java.util.Map<String, String> labels = new java.util.HashMap<>();
      java.util.regex.Matcher m = label.matcher(l.substring(0, l.indexOf('}')));
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
      String resource = labels.getOrDefault("resource", "");
      if (!resource.equals("pods") && !resource.equals("events")) {
        continue;
      }
      String key = resource + " " + labels.get("verb") + " " + labels.getOrDefault("subresource", "");
      counts.merge(key.trim(), Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
    }
    return counts;
  }

  /** utime + stime of a process, from {@code /proc/<pid>/stat} (clock ticks of 1/100 s on Linux). */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields after "(comm) ": state is f[0]; utime is field 14 overall = f[11], stime f[12]
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  static long statusKb(long pid, String key) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (l.startsWith(key + ":")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static String quietLogback() throws IOException {
    Path f = Files.createTempFile("bench-logback", ".xml");
    Files.writeString(f, "<configuration><appender name=\"E\" class=\"ch.qos.logback.core.ConsoleAppender\">"
        + "<target>System.err</target><encoder><pattern>%d %-5level %logger{0} %msg%n</pattern></encoder>"
        + "</appender><root level=\"WARN\"><appender-ref ref=\"E\"/></root></configuration>");
    f.toFile().deleteOnExit();
    return f.toString();
  }
}
