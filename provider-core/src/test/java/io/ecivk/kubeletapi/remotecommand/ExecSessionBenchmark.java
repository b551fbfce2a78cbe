package io.ecivk.kubeletapi.remotecommand;

import io.ecivk.kubeletapi.FakeKubeletProvider;
import io.ecivk.kubeletapi.KubeletServer;
import io.ecivk.kubeletapi.TestPki;
import io.ecivk.kubeletapi.auth.KubeletAuth;
import io.ecivk.kubeletapi.bench.LogFollowBenchmark;
import io.ecivk.kubeletapi.tls.ServingCertificate;
import io.ecivk.spi.ContainerExec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * {@code S} concurrent exec sessions (default 50) held for a while (default 60 s) through the real
 * {@link KubeletServer} and {@link RemoteCommandHandler} over WebSocket ({@code v5.channel.k8s.io}) on HTTPS with
 * client certificates, each client typing a line a second that an in-memory provider echoes back and the provider
 * also printing a line a second of its own; together with {@code L} concurrent {@code logs -f} streams (default 200,
 * a line every 100 ms each, as {@link LogFollowBenchmark}) on the same server. Reports what was delivered, the heap
 * in use after a GC at the end, and the process CPU time. Clients run in the same JVM, so the figures include
 * them: an upper bound for the server alone.
 *
 * <p>Run from the repository root, after {@code mvn -B -q -o -pl provider-core -am test-compile}:
 *
 * <pre>
 * mvn -B -q -o -pl provider-core dependency:build-classpath -Dmdep.outputFile=/tmp/pc.cp
 * java -Xmx256m -cp provider-core/target/classes:provider-core/target/test-classes:$(cat /tmp/pc.cp) \
 *     io.ecivk.kubeletapi.remotecommand.ExecSessionBenchmark [sessions] [seconds] [logStreams]
 * </pre>
 */
public final class ExecSessionBenchmark {
  private ExecSessionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int logStreams = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    ScheduledExecutorService ticker = Executors.newScheduledThreadPool(1);
    EventLoopGroup clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    FakeKubeletProvider logs = new FakeKubeletProvider();
    EchoExec exec = new EchoExec(ticker);
    List<Pod> pods = List.of(new PodBuilder().withNewMetadata().withNamespace("bench").withName("busy")
        .withUid("uid").endMetadata().withNewSpec().addNewContainer().withName("app").endContainer().endSpec()
        .build());
    TestPki pki = new TestPki("bench-ca");
    ServingCertificate serving = ServingCertificate.selfSigned(List.of("localhost"),
        List.of(InetAddress.getLoopbackAddress()), Clock.systemUTC());
    TestPki.Issued clientCert = pki.client("CN=bench");
    AtomicLong logLines = new AtomicLong();
    AtomicLong logBytes = new AtomicLong();
    List<AutoCloseable> open = new ArrayList<>();
    try (KubeletServer server = KubeletServer.builder()
        .bindAddress(InetAddress.getLoopbackAddress()).port(0).nodeName("bench-node").servingCertificate(serving)
        .auth(KubeletAuth.Settings.kubeletDefaults(List.of(pki.caCertificate()), Optional.empty(),
            Optional.empty()))
        .pods(() -> pods).provider(logs).streamingHandler(new RemoteCommandHandler(exec))
        .eventLoopThreads(2).build().start()) {
      SslContext ssl = SslContextBuilder.forClient().trustManager(serving.chain().get(0))
          .keyManager(clientCert.keys().getPrivate(), clientCert.cert()).build();
      long cpu0 = cpuNanos();
      long start = System.nanoTime();

      List<WebSocketTestClient> execClients = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        WebSocketTestClient client = new WebSocketTestClient(clients, server.port(),
            "/exec/bench/busy/app?command=sh&input=1&output=1&error=1", "v5.channel.k8s.io", ssl);
        client.keepMessages = false;
        execClients.add(client);
        open.add(client);
      }
      AtomicLong typed = new AtomicLong();
      ScheduledFuture<?> typing = ticker.scheduleAtFixedRate(() -> {
        for (WebSocketTestClient client : execClients) {
          client.send(0, "typed line " + typed.incrementAndGet() + "\n");
        }
      }, 1, 1, TimeUnit.SECONDS);

      SSLContext jdk = TestPki.clientContext(serving.chain().get(0), clientCert);
      for (int i = 0; i < logStreams; i++) {
        logs.nextStream.set(() -> LogFollowBenchmark.ticking(ticker, logLines));
        SSLSocket s = (SSLSocket) jdk.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.getOutputStream().write(("GET /containerLogs/bench/busy/app?follow=true HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        while (logs.opened.size() <= i) {
          Thread.onSpinWait();
        }
        open.add(s);
        Thread reader = new Thread(() -> {
          byte[] buf = new byte[8192];
          try (InputStream in = s.getInputStream()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
              logBytes.addAndGet(n);
            }
          } catch (Exception e) {
            // closed at the end
          }
        });
        reader.setDaemon(true);
        reader.start();
      }
      long setupMillis = (System.nanoTime() - start) / 1_000_000;

      Thread.sleep(seconds * 1000L);
      typing.cancel(false);
      long cpu = cpuNanos() - cpu0;
      long execBytes = execClients.stream().mapToLong(c -> c.receivedBytes(1)).sum();
      long alive = execClients.stream().filter(c -> c.channel.isActive() && !c.closeStatus.isDone()).count();
      System.gc();
      var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      System.out.printf("exec_sessions=%d alive_at_end=%d log_streams=%d seconds=%d setup_ms=%d "
              + "exec_lines_typed=%d exec_lines_printed=%d exec_stdout_bytes=%d log_lines_produced=%d "
              + "log_bytes_received=%d heap_used_after_gc_mb=%.1f heap_max_mb=%.1f process_cpu_s=%.1f "
              + "cpu_cores_avg=%.2f%n",
          sessions, alive, logStreams, seconds, setupMillis, typed.get(), exec.printed.get(), execBytes,
          logLines.get(), logBytes.get(), heap.getUsed() / 1e6, heap.getMax() / 1e6, cpu / 1e9,
          cpu / 1e9 / (seconds + setupMillis / 1000.0));
    } finally {
      for (AutoCloseable c : open) {
        try {
          c.close();
        } catch (Exception e) {
          // best effort at the end
        }
      }
      ticker.shutdownNow();
      clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static long cpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  /** Echoes stdin and prints a line of its own every second; ends at end of input or when closed. */
  private static final class EchoExec implements ContainerExec {
    final AtomicLong printed = new AtomicLong();
    private final ScheduledExecutorService ticker;

    EchoExec(ScheduledExecutorService ticker) {
      this.ticker = ticker;
    }

    @Override
    public CompletableFuture<ExecSession> exec(Pod pod, String container, ExecRequest request, ExecOutput output) {
      AtomicBoolean ended = new AtomicBoolean();
      Object lock = new Object(); // output calls must not overlap
      ScheduledFuture<?> clock = ticker.scheduleAtFixedRate(() -> {
        synchronized (lock) {
          if (!ended.get()) {
            output.stdout(("tick " + printed.incrementAndGet() + "\n").getBytes(StandardCharsets.UTF_8));
          }
        }
      }, 1, 1, TimeUnit.SECONDS);
      Runnable end = () -> {
        synchronized (lock) {
          if (ended.compareAndSet(false, true)) {
            clock.cancel(false);
            output.exited(ExecExit.code(0));
          }
        }
      };
      return CompletableFuture.completedFuture(new ExecSession() {
        @Override
        public CompletionStage<Void> stdin(byte[] data) {
          // Output comes from the provider's threads, never from the caller's (the event loop).
          return CompletableFuture.runAsync(() -> {
            synchronized (lock) {
              if (!ended.get()) {
                output.stdout(data);
              }
            }
          }, ticker);
        }

        @Override
        public void suspendOutput() {
          // a line a second: nothing to hold back
        }

        @Override
        public void resumeOutput() {}

        @Override
        public void closeStdin() {
          end.run();
        }

        @Override
        public void resize(TerminalSize size) {}

        @Override
        public void close() {
          end.run();
        }
      });
    }

    @Override
    public CompletableFuture<ExecSession> attach(Pod pod, String container, ExecRequest request,
        ExecOutput output) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("attach"));
    }
  }
}
