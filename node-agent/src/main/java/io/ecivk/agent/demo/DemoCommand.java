package io.ecivk.agent.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code node-agent demo}: starts the embedded ECI simulator and drives it through the typed ECI client with the
 * pods of the users' burst scenario (nginx, 1 CPU / 1Gi), printing their way to Running.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the agent between an in-process Kubernetes API server and an embedded ECI simulator: registers the"
          + " virtual node, binds the nginx pods of the users' burst scenario to it (1 CPU / 1Gi, which ECI rounds"
          + " to 1.0-2.0Gi), prints them on their way to Running with IPs and events, and deletes them on Ctrl-C.",
      "Needs no cloud account and no cluster; everything listens on 127.0.0.1 only."
    })
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--replicas", defaultValue = "2", description = "Pods to create (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(names = "--port", defaultValue = "0", description = "Simulator port on 127.0.0.1; 0 picks a free one.")
  int port;

  @Option(names = "--once", description = "Exit after the pods are Running (and deleted again) instead of waiting for Ctrl-C.")
  boolean once;

  @Option(names = "--timeout", defaultValue = "PT60S", description = "Give up if the pods are not Running after this ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  private final PrintStream out;

  public DemoCommand() {
    this(System.out);
  }

  DemoCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (replicas < 1 || replicas > 100) {
      throw new IllegalArgumentException("--replicas must be between 1 and 100, got " + replicas);
    }
    AgentDemo demo = new AgentDemo(out, port, timeout);
    if (once) {
      try (demo) {
        boolean running = demo.runUntilAllRunning(replicas);
        demo.deleteAll();
        return running ? 0 : 1;
      }
    }
    if (!demo.runUntilAllRunning(replicas)) {
      demo.close();
      return 1;
    }
    // On Ctrl-C the JVM waits for shutdown hooks only, so the cleanup runs in the hook itself.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (demo) {
        demo.deleteAll();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "demo-shutdown"));
    out.println();
    out.println("The agent keeps running the pods. Press Ctrl-C to delete them and stop.");
    out.flush();
    new CountDownLatch(1).await(); // until the JVM is stopped
    return 0;
  }
}
