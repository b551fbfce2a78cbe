package io.ecivk.kubeletapi.bench;

import io.ecivk.kubeletapi.FakeKubeletProvider;
import io.ecivk.kubeletapi.KubeletServer;
import io.ecivk.kubeletapi.TestPki;
import io.ecivk.kubeletapi.auth.KubeletAuth;
import io.ecivk.kubeletapi.tls.ServingCertificate;
import io.ecivk.spi.PodKey;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatsSource.ContainerStats;
import io.ecivk.spi.PodStatsSource.PodStats;
import io.ecivk.spi.PodStatsSource.PodStatsBatch;
import io.ecivk.spi.PodStatsSource.Usage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Latency of a {@code /metrics/resource} scrape of a node with 2,000 pods (two containers each) when the
 * provider answers from its cache: HTTPS on loopback with a client certificate, authorization cached, as
 * metrics-server scrapes every 15 s. Goal: under 1 s per scrape.
 *
 * <p>Run from the repository root, after {@code mvn -B -q -o -pl provider-core -am test-compile}:
 *
 * <pre>
 * mvn -B -q -o -pl provider-core dependency:build-classpath -Dmdep.outputFile=/tmp/pc.cp
 * java -cp provider-core/target/classes:provider-core/target/test-classes:$(cat /tmp/pc.cp) \
 *     io.ecivk.kubeletapi.bench.MetricsScrapeBenchmark [pods] [scrapes]
 * </pre>
 */
public final class MetricsScrapeBenchmark {
  private MetricsScrapeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int podCount = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Instant t = Instant.now();
    List<Pod> pods = new ArrayList<>(podCount);
    List<PodStats> stats = new ArrayList<>(podCount);
    for (int i = 0; i < podCount; i++) {
      String ns = "ns-" + (i % 20);
      String name = "pod-" + i;
      pods.add(new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid("uid-" + i)
          .endMetadata().withNewSpec().addNewContainer().withName("app").endContainer().addNewContainer()
          .withName("sidecar").endContainer().endSpec().build());
      Usage u = new Usage(OptionalLong.of(123_456_789L + i), OptionalLong.of(98_765_432_100L + i),
          OptionalLong.of(150_000_000L + i), OptionalLong.of(200_000_000L), OptionalLong.empty(),
          OptionalLong.empty());
      stats.add(new PodStats(new PodRef(new PodKey(ns, name), "uid-" + i), t, t.minusSeconds(3600), u,
          List.of(new ContainerStats("app", t, t.minusSeconds(3500), u),
              new ContainerStats("sidecar", t, t.minusSeconds(3500), u)), List.of()));
    }
    PodStatsBatch cached = new PodStatsBatch(stats, List.of());
    FakeKubeletProvider provider = new FakeKubeletProvider();
    provider.stats.set(() -> CompletableFuture.completedFuture(cached));

    // Rendering alone, without HTTP and TLS, for comparison.
    var snapshot = io.ecivk.kubeletapi.stats.StatsSnapshot.of("bench-node", t, t, cached);
    for (int i = 0; i < 20; i++) {
      io.ecivk.kubeletapi.stats.ResourceMetrics.render(snapshot);
    }
    long r0 = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      io.ecivk.kubeletapi.stats.ResourceMetrics.render(snapshot);
    }
    System.out.printf("metrics_render pods=%d mean_ms=%.1f%n", podCount, (System.nanoTime() - r0) / 20 / 1e6);

    TestPki pki = new TestPki("bench-ca");
    ServingCertificate serving = ServingCertificate.selfSigned(List.of("localhost"),
        List.of(InetAddress.getLoopbackAddress()), Clock.systemUTC());
    try (KubeletServer server = KubeletServer.builder()
        .bindAddress(InetAddress.getLoopbackAddress())
        .port(0)
        .nodeName("bench-node")
        .servingCertificate(serving)
        .auth(KubeletAuth.Settings.kubeletDefaults(List.of(pki.caCertificate()), Optional.empty(),
            Optional.empty()))
        .pods(() -> pods)
        .provider(provider)
        .eventLoopThreads(2)
        .build()
        .start()) {
      HttpClient client = HttpClient.newBuilder()
          .sslContext(TestPki.clientContext(serving.chain().get(0), pki.client("CN=metrics-server")))
          .version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest req = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port()
          + "/metrics/resource")).build();
      int bytes = 0;
      for (int i = 0; i < 10; i++) {
        bytes = client.send(req, HttpResponse.BodyHandlers.ofByteArray()).body().length;
      }
      long[] nanos = new long[scrapes];
      for (int i = 0; i < scrapes; i++) {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        nanos[i] = System.nanoTime() - t0;
        if (r.statusCode() != 200) {
          throw new IllegalStateException("scrape failed: " + r.statusCode());
        }
      }
      Arrays.sort(nanos);
      System.out.printf("metrics_scrape pods=%d containers=%d body_bytes=%d scrapes=%d p50_ms=%.1f p90_ms=%.1f "
              + "max_ms=%.1f%n", podCount, podCount * 2, bytes, scrapes, nanos[scrapes / 2] / 1e6,
          nanos[(int) (scrapes * 0.9)] / 1e6, nanos[scrapes - 1] / 1e6);
    }
  }
}
