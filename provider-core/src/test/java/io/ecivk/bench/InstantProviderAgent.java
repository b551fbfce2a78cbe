package io.ecivk.bench;

import io.ecivk.node.NodeConfig;
import io.ecivk.node.NodeController;
import io.ecivk.pod.PodController;
import io.ecivk.pod.PodControllerConfig;
import io.ecivk.testkit.FakeNodeProvider;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The agent side of {@link FrameworkOverheadBenchmark}, run as its own JVM so its CPU time and RSS are its own:
 * node controller and pod controller with their default settings, backed by {@link InstantProvider}. Prints
 * {@code READY} once the node is registered, then runs until its standard input closes.
 *
 * <p>Arguments: {@code <kubeconfig> <nodeName> [workers]}.
 */
public final class InstantProviderAgent {
  private InstantProviderAgent() {}

  public static void main(String[] args) throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
    config.setNoProxy(new String[] {"127.0.0.1", "localhost"});
    String nodeName = args[1];
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : PodControllerConfig.DEFAULT_WORKERS;
    Clock clock = Clock.systemUTC();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "bench-scheduler");
      t.setDaemon(true);
      return t;
    });
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      InstantProvider provider = new InstantProvider(clock);
      PodController pods = new PodController(client, provider,
          new PodControllerConfig(nodeName, "eci-virtual-kubelet", workers, PodControllerConfig.DEFAULT_RESYNC),
          clock, scheduler);
      pods.start();
      pods.ready().get(2, TimeUnit.MINUTES);
      NodeController node = new NodeController(client, FakeNodeProvider.withCapacity("1000", "4Ti", "5000"),
          NodeConfig.builder().nodeName(nodeName).internalIp("127.0.0.1").kubeletVersion("v1.20.2-bench")
              .labels(Map.of("type", "virtual-kubelet")).build(),
          clock, scheduler);
      node.start();
      node.ready().get(2, TimeUnit.MINUTES);
      System.out.println("READY");
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the harness closes our stdin
      }
      node.close();
      pods.close();
    } finally {
      scheduler.shutdownNow();
    }
  }
}
