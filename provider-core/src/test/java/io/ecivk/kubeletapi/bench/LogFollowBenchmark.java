package io.ecivk.kubeletapi.bench;

import io.ecivk.kubeletapi.FakeKubeletProvider;
import io.ecivk.kubeletapi.KubeletServer;
import io.ecivk.kubeletapi.TestPki;
import io.ecivk.kubeletapi.auth.KubeletAuth;
import io.ecivk.kubeletapi.tls.ServingCertificate;
import io.ecivk.spi.ContainerLogs.LogStream;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * {@code N} concurrent {@code logs -f} streams held for a while (default 200 for 60 s), each container writing a
 * line every 100 ms, through HTTPS on loopback with client certificates. Reports lines delivered, the heap in use
 * after a GC at the end, and the process CPU time. Clients run in the same JVM (one reader thread each), so the
 * figures include them: an upper bound for the server alone.
 *
 * <p>Run from the repository root, after {@code mvn -B -q -o -pl provider-core -am test-compile}:
 *
 * <pre>
 * mvn -B -q -o -pl provider-core dependency:build-classpath -Dmdep.outputFile=/tmp/pc.cp
 * java -Xmx256m -cp provider-core/target/classes:provider-core/target/test-classes:$(cat /tmp/pc.cp) \
 *     io.ecivk.kubeletapi.bench.LogFollowBenchmark [streams] [seconds]
 * </pre>
 */
public final class LogFollowBenchmark {
  private LogFollowBenchmark() {}

  public static void main(String[] args) throws Exception {
    int streams = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    ScheduledExecutorService ticker = Executors.newScheduledThreadPool(1);
    FakeKubeletProvider provider = new FakeKubeletProvider();
    List<Pod> pods = List.of(new PodBuilder().withNewMetadata().withNamespace("bench").withName("chatty")
        .withUid("uid").endMetadata().withNewSpec().addNewContainer().withName("app").endContainer().endSpec()
        .build());
    AtomicLong produced = new AtomicLong();
    TestPki pki = new TestPki("bench-ca");
    ServingCertificate serving = ServingCertificate.selfSigned(List.of("localhost"),
        List.of(InetAddress.getLoopbackAddress()), Clock.systemUTC());
    try (KubeletServer server = KubeletServer.builder()
        .bindAddress(InetAddress.getLoopbackAddress()).port(0).nodeName("bench-node").servingCertificate(serving)
        .auth(KubeletAuth.Settings.kubeletDefaults(List.of(pki.caCertificate()), Optional.empty(),
            Optional.empty()))
        .pods(() -> pods).provider(provider).eventLoopThreads(2).build().start()) {
      SSLContext ctx = TestPki.clientContext(serving.chain().get(0), pki.client("CN=bench"));
      AtomicLong received = new AtomicLong();
      List<SSLSocket> sockets = new ArrayList<>();
      List<Thread> readers = new ArrayList<>();
      long cpu0 = cpuNanos();
      for (int i = 0; i < streams; i++) {
        provider.nextStream.set(() -> ticking(ticker, produced));
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.getOutputStream().write(("GET /containerLogs/bench/chatty/app?follow=true HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        // Wait until the server opened this stream before arming the next one.
        while (provider.opened.size() <= i) {
          Thread.onSpinWait();
        }
        sockets.add(s);
        Thread t = new Thread(() -> {
          byte[] buf = new byte[8192];
          try (InputStream in = s.getInputStream()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
              received.addAndGet(n);
            }
          } catch (Exception e) {
            // closed at the end
          }
        });
        t.setDaemon(true);
        t.start();
        readers.add(t);
      }
      Thread.sleep(seconds * 1000L);
      long cpu = cpuNanos() - cpu0;
      System.gc();
      var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      System.out.printf("log_follow streams=%d seconds=%d lines_produced=%d bytes_received=%d "
              + "heap_used_after_gc_mb=%.1f heap_max_mb=%.1f process_cpu_s=%.1f cpu_cores_avg=%.2f%n",
          streams, seconds, produced.get(), received.get(), heap.getUsed() / 1e6, heap.getMax() / 1e6,
          cpu / 1e9, cpu / 1e9 / seconds);
      for (SSLSocket s : sockets) {
        s.close();
      }
    } finally {
      ticker.shutdownNow();
    }
  }

  /** A container writing one line every 100 ms. */
  public static LogStream ticking(ScheduledExecutorService ticker, AtomicLong produced) {
    return new LogStream() {
      private volatile boolean closed;

      @Override
      public CompletableFuture<Optional<byte[]>> next() {
        CompletableFuture<Optional<byte[]>> f = new CompletableFuture<>();
        ticker.schedule(() -> {
          if (closed) {
            f.complete(Optional.empty());
          } else {
            produced.incrementAndGet();
            f.complete(Optional.of((Instant.now() + " INFO handled request in 12ms path=/api/items\n")
                .getBytes(StandardCharsets.UTF_8)));
          }
        }, 100, TimeUnit.MILLISECONDS);
        return f;
      }

      @Override
      public void close() {
        closed = true;
      }
    };
  }

  private static long cpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }
}
