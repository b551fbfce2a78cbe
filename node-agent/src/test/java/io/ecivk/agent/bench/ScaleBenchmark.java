package io.ecivk.agent.bench;

import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.eci.mock.model.ContainerGroup;
import io.ecivk.eci.mock.model.Tag;
import io.ecivk.testkit.KubeControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 5's scale benchmark: N pods (default 2,000) bound to the node at once, against the ECI simulator with the
 * published per-action rate limits and 200 ms latency on every call, the agent as its own process (the shaded jar,
 * default settings unless given) on the project's real v1.20.2 control plane. Reports, with the goals:
 *
 * <ul>
 *   <li>create throughput: the time from the first pod create until the simulator holds N groups, divided by the
 *       rate-limit bound (N - 100) / 20 s (a burst of 100, then 20 a second);
 *   <li>status lag: per pod, the instant the pod was first seen Running by a watch on the API server minus the
 *       instant the simulator's timeline made its group Running (same JVM clock), p50/p99;
 *   <li>steady-state ECI calls per pod per minute (the simulator's call counts over one quiet minute);
 *   <li>the agent's heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}) per 1,000 pods;
 *   <li>agent CPU seconds per pod lifecycle (create to Running plus delete to gone, from {@code /proc}).
 * </ul>
 *
 * <p>Run after a build that packaged node-agent and compiled its tests:
 *
 * <pre>
 * mvn -B -q -o -pl node-agent -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp node-agent/target/test-classes:provider-core/target/test-classes:$(cat /tmp/cp.txt) \
 *     io.ecivk.agent.bench.ScaleBenchmark [pods=2000] [extra agent flags...]
 * </pre>
 */
public final class ScaleBenchmark {
  private static final String AK = "LTAI5tSCALEBENCH";
  private static final String SECRET = "FAKEsecretSCALEBENCH";
  private static final Duration LATENCY = Duration.ofMillis(200);
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  private ScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    List<String> extraFlags = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    KubeControlPlane plane = KubeControlPlane.shared();
    KubernetesClient client = plane.client();
    String namespace = plane.createNamespace("scale");
    String zone = "cn-hangzhou-s" + KubeControlPlane.uniqueName("z").substring(2, 8);
    String nodeName = "virtual-kubelet-" + zone;

    EciSimulator simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", zone, "10.224.0.0/16").publishedRateLimits().latency("*", LATENCY).build();
    simulator.start();

    Path log = Files.createTempFile("scale-bench-agent", ".log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", agentJar(), "run",
        "--kubeconfig", plane.kubeconfig().toString(), "--region", "cn-hangzhou", "--zone", zone,
        "--vswitch", "vsw-a", "--security-group", "sg-a", "--cluster-id", "cluster-scale-bench",
        "--eci-endpoint", "http://127.0.0.1:" + simulator.port(), "--node-ip", "127.0.0.1",
        "--kubelet-port", "0", "--pods", String.valueOf(Math.max(1000, n))));
    command.addAll(extraFlags);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("ECI_ACCESS_KEY", AK);
    builder.environment().put("ECI_SECRET_KEY", SECRET);
    builder.environment().put("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    Process agent = builder.start();
    long pid = agent.pid();
    try {
      while (client.nodes().withName(nodeName).get() == null) {
        if (!agent.isAlive()) {
          throw new IllegalStateException("agent exited: " + Files.readString(log));
        }
        Thread.sleep(200);
      }
      double heapIdleMb = heapAfterGcMb(pid);
      double cpuIdle = cpuSeconds(pid);

      Map<String, Instant> runningSeen = new ConcurrentHashMap<>();
      CountDownLatch allRunning = new CountDownLatch(n);
      Watch watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, Pod pod) {
          if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
              && runningSeen.putIfAbsent(pod.getMetadata().getUid(), Instant.now()) == null) {
            allRunning.countDown();
          }
        }

        @Override
        public void onClose(WatcherException cause) {}
      });

      ExecutorService creators = Executors.newFixedThreadPool(16);
      Instant t0 = Instant.now();
      long t0Nanos = System.nanoTime();
      List<Future<?>> creates = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Pod pod = pod(nodeName, i);
        creates.add(creators.submit(() -> client.pods().inNamespace(namespace).resource(pod).create()));
      }
      for (Future<?> f : creates) {
        f.get();
      }
      double podsCreatedSeconds = (System.nanoTime() - t0Nanos) / 1e9;
      creators.shutdown();
      while (simulator.containerGroupCount() < n) {
        Thread.sleep(20);
        if (!agent.isAlive()) {
          throw new IllegalStateException("agent died; log " + log);
        }
      }
      double createsSeconds = (System.nanoTime() - t0Nanos) / 1e9;
      double bound = (n - 100) / 20.0;
      boolean running = allRunning.await(15, TimeUnit.MINUTES);
      double runningSeconds = (System.nanoTime() - t0Nanos) / 1e9;
      double cpuRunning = cpuSeconds(pid);
      List<Double> lags = new ArrayList<>();
      for (ContainerGroup group : simulator.snapshot().groups()) {
        String uid = group.spec().tags().stream().filter(t -> "ecivk.io/pod-uid".equals(t.key()))
            .map(Tag::value).findFirst().orElse(null);
        Instant seen = uid == null ? null : runningSeen.get(uid);
        if (seen != null) {
          lags.add(Duration.between(group.runningAt(), seen).toMillis() / 1000.0);
        }
      }
      lags.sort(null);
      watch.close();

      // Steady state: every pod Running, nothing changing, for one minute.
      SortedMap<String, Long> callsBefore = simulator.callCounts();
      double cpuSteadyStart = cpuSeconds(pid);
      Thread.sleep(60_000);
      SortedMap<String, Long> callsAfter = simulator.callCounts();
      double cpuSteady = cpuSeconds(pid) - cpuSteadyStart;
      long steadyCalls = callsAfter.entrySet().stream()
          .mapToLong(e -> e.getValue() - callsBefore.getOrDefault(e.getKey(), 0L)).sum();
      double heapFullMb = heapAfterGcMb(pid);

      System.out.printf("pods=%d agentFlags=%s allRunning=%s nproc=%d%n", n, extraFlags, running,
          Runtime.getRuntime().availableProcessors());
      System.out.printf("loadavg before: %s; at steady state: %s%n", loadBefore,
          Files.readString(Path.of("/proc/loadavg")).trim());
      System.out.printf("pods created in the API server in %.1f s%n", podsCreatedSeconds);
      System.out.printf("every create issued after %.1f s; bound (N-100)/20 = %.1f s; ratio %.3f (goal <= 1.10)%n",
          createsSeconds, bound, createsSeconds / bound);
      System.out.printf("all Running after %.1f s%n", runningSeconds);
      System.out.printf("status lag (simulator Running -> API server Running), %d pods: p50 %.2f s, p99 %.2f s, "
          + "max %.2f s (goal p99 <= poll interval + 1 s)%n", lags.size(), percentile(lags, 0.50),
          percentile(lags, 0.99), lags.isEmpty() ? Double.NaN : lags.get(lags.size() - 1));
      System.out.printf("steady state: %d ECI calls in 60 s = %.4f calls/pod/min (goal <= 0.2); by action %s; "
          + "agent CPU %.2f s in that minute%n", steadyCalls, steadyCalls / (double) n, diff(callsBefore, callsAfter),
          cpuSteady);
      System.out.printf("agent heap after full GC: %.1f MB idle, %.1f MB with %d pods = %.1f MB per 1,000 pods "
          + "(%.1f MB per 1,000 over idle) (goal <= 25 MB)%n", heapIdleMb, heapFullMb, n, heapFullMb * 1000 / n,
          (heapFullMb - heapIdleMb) * 1000 / n);
      double cpuDeleteStart = cpuSeconds(pid);
      long deleteStart = System.nanoTime();
      // One delete per pod, in parallel: a single deletecollection of thousands of pods outlasts the client's
      // request timeout on a loaded machine.
      ExecutorService deleters = Executors.newFixedThreadPool(16);
      List<Future<?>> deletes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = "p-" + i;
        deletes.add(deleters.submit(() -> client.pods().inNamespace(namespace).withName(name).delete()));
      }
      for (Future<?> f : deletes) {
        f.get();
      }
      deleters.shutdown();
      while (!client.pods().inNamespace(namespace).list().getItems().isEmpty() || simulator.containerGroupCount() > 0) {
        Thread.sleep(500);
      }
      double deleteSeconds = (System.nanoTime() - deleteStart) / 1e9;
      double cpuDelete = cpuSeconds(pid) - cpuDeleteStart;

      System.out.printf("agent CPU: %.1f s create->Running, %.1f s delete (%.1f s to delete all); %.4f CPU s per pod "
          + "lifecycle%n", cpuRunning - cpuIdle, cpuDelete, deleteSeconds,
          (cpuRunning - cpuIdle + cpuDelete) / n);
      System.out.printf("all ECI calls: %s%n", simulator.callCounts());
      System.out.println("agent log: " + log);
    } finally {
      agent.destroy();
      if (!agent.waitFor(30, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
      simulator.close();
      client.namespaces().withName(namespace).delete();
      client.nodes().withName(nodeName).delete();
    }
    System.exit(0);
  }

  private static Pod pod(String nodeName, int i) {
    return new PodBuilder()
        .withNewMetadata().withName("p-" + i).endMetadata()
        .withNewSpec()
        .withNodeName(nodeName)
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .addNewContainer().withName("app").withImage("nginx:1.25")
        .withNewResources().addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("2Gi"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  private static Map<String, Long> diff(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new java.util.TreeMap<>();
    after.forEach((k, v) -> {
      long delta = v - before.getOrDefault(k, 0L);
      if (delta > 0) {
        d.put(k, delta);
      }
    });
    return d;
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** Heap in use after a full GC of the process, by {@code jcmd}: GC.run, then GC.heap_info's "used". */
  private static double heapAfterGcMb(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("no heap figure in: " + info);
    }
    return Long.parseLong(m.group(1)) / 1024.0;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /** utime + stime of a process, from {@code /proc/<pid>/stat} (clock ticks of 1/100 s on Linux). */
  private static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  private static String agentJar() {
    Path jar = Path.of("node-agent", "target", "node-agent.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: package node-agent first (run from the repository root)");
    }
    return jar.toString();
  }
}
