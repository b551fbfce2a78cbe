package io.ecivk.kubeletapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.kubeletapi.FakeKubeletProvider.FedStream;
import io.ecivk.kubeletapi.FakeKubeletProvider.FirehoseStream;
import io.ecivk.kubeletapi.auth.KubeletAuth;
import io.ecivk.kubeletapi.auth.UserInfo;
import io.ecivk.kubeletapi.tls.ServingCertificate;
import io.ecivk.spi.ContainerLogs.LogOptions;
import io.ecivk.spi.PodKey;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatsSource.ContainerStats;
import io.ecivk.spi.PodStatsSource.PodStats;
import io.ecivk.spi.PodStatsSource.PodStatsBatch;
import io.ecivk.spi.PodStatsSource.Usage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kubelet API over real HTTPS on loopback, with a fake provider and fake (in-process) reviewers. */
class KubeletServerIT {
  private static final String NODE = "vk-test";
  private static final Instant T = Instant.parse("2026-11-23T10:00:00.250Z");

  private final TestPki pki = new TestPki("test-client-ca");
  private final TestPki otherPki = new TestPki("someone-else");
  private final FakeKubeletProvider provider = new FakeKubeletProvider();
  private final List<Pod> pods = new CopyOnWriteArrayList<>();
  private final List<StreamTarget> handedOff = new CopyOnWriteArrayList<>();
  private final List<String> pipelineAtHandOff = new CopyOnWriteArrayList<>();
  private final List<String> denied = new CopyOnWriteArrayList<>();
  private KubeletServer server;
  private ServingCertificate serving;

  @BeforeEach
  void start() {
    pods.add(pod("shop", "web-1", "uid-web", true, "nginx", "sidecar"));
    pods.add(pod("jobs", "pending-1", "uid-pending", false, "main"));
    serving = ServingCertificate.selfSigned(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
        Clock.systemUTC());
    KubeletAuth.Settings auth = new KubeletAuth.Settings(List.of(pki.caCertificate()),
        Optional.of(token -> token.equals("good-token")
            ? Optional.of(new UserInfo("token-user", "u1", List.of("g"), Map.of())) : Optional.empty()),
        Optional.of((user, attrs) -> !denied.contains(user.name() + ":" + attrs.subresource())),
        false, Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofSeconds(30));
    server = startServer(auth, (ctx, req, target) -> {
      pipelineAtHandOff.addAll(ctx.pipeline().names());
      handedOff.add(target);
      var resp = new io.netty.handler.codec.http.DefaultFullHttpResponse(
          io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
          io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST,
          io.netty.buffer.Unpooled.copiedBuffer("handed off " + target.kind(), StandardCharsets.UTF_8));
      io.netty.handler.codec.http.HttpUtil.setContentLength(resp, resp.content().readableBytes());
      ctx.writeAndFlush(resp).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    });
  }

  private KubeletServer startServer(KubeletAuth.Settings auth, StreamingHandler streaming) {
    return KubeletServer.builder()
        .bindAddress(InetAddress.getLoopbackAddress())
        .port(0)
        .nodeName(NODE)
        .servingCertificate(serving)
        .auth(auth)
        .pods(() -> pods)
        .provider(provider)
        .streamingHandler(streaming)
        .eventLoopThreads(2)
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Pod pod(String ns, String name, String uid, boolean running, String... containers) {
    PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid(uid).endMetadata()
        .withNewSpec().withNodeName(NODE).endSpec();
    for (String c : containers) {
      b.editSpec().addNewContainer().withName(c).withImage("img/" + c).endContainer().endSpec();
      if (running) {
        b.editOrNewStatus().withPhase("Running").addNewContainerStatus().withName(c).withImage("img/" + c)
            .withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus();
      }
    }
    return b.build();
  }

  private HttpClient client(TestPki.Issued cert) {
    SSLContext ctx = TestPki.clientContext(serving.chain().get(0), cert);
    return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private TestPki.Issued alice() {
    return pki.client("CN=alice,O=devs,O=ops");
  }

  private URI uri(String pathAndQuery) {
    return URI.create("https://127.0.0.1:" + server.port() + pathAndQuery);
  }

  private HttpResponse<String> get(TestPki.Issued cert, String path) throws Exception {
    return client(cert).send(java.net.http.HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
        BodyHandlers.ofString());
  }

  // ----- authentication and authorization ---------------------------------------------------------------------

  @Test
  void withoutCredentialsTheAnswerIs401Unauthorized() throws Exception {
    HttpResponse<String> r = get(null, "/healthz");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("Unauthorized");
  }

  @Test
  void aValidClientCertificateAuthenticatesAsItsCommonName() throws Exception {
    HttpResponse<String> r = get(alice(), "/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok");
  }

  @Test
  void aCertificateFromAnotherCaOrWithoutClientUsageIsNotAnIdentity() throws Exception {
    assertThat(get(otherPki.client("CN=alice"), "/healthz").statusCode()).isEqualTo(401);
    assertThat(get(pki.serverOnly("CN=alice"), "/healthz").statusCode()).isEqualTo(401);
  }

  @Test
  void aBearerTokenIsReviewed() throws Exception {
    var ok = client(null).send(java.net.http.HttpRequest.newBuilder(uri("/healthz"))
        .header("Authorization", "Bearer good-token").build(), BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    var bad = client(null).send(java.net.http.HttpRequest.newBuilder(uri("/healthz"))
        .header("Authorization", "Bearer bad-token").build(), BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(401);
  }

  @Test
  void aDeniedAccessReviewIs403WithTheKubeletsBody() throws Exception {
    denied.add("alice:stats");
    HttpResponse<String> r = get(alice(), "/stats/summary");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("Forbidden (user=alice, verb=get, resource=nodes, subresource=stats)");
    assertThat(get(alice(), "/pods").statusCode()).as("only stats is denied").isEqualTo(200);
    denied.add("alice:proxy");
    var post2 = client(alice()).send(java.net.http.HttpRequest.newBuilder(uri("/exec/shop/web-1/nginx?command=ls"))
        .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
    assertThat(post2.statusCode()).isEqualTo(403);
    assertThat(post2.body()).isEqualTo("Forbidden (user=alice, verb=create, resource=nodes, subresource=proxy)");
    assertThat(handedOff).isEmpty();
  }

  @Test
  void anonymousAccessWhenEnabledIsAuthorizedAsSystemAnonymous() throws Exception {
    server.close();
    List<String> asked = new CopyOnWriteArrayList<>();
    server = startServer(new KubeletAuth.Settings(List.of(), Optional.empty(),
        Optional.of((u, a) -> {
          asked.add(u.name() + " " + u.groups() + " " + a.verb() + " " + a.subresource());
          return a.subresource().equals("proxy");
        }), true, Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofSeconds(30)), null);
    assertThat(get(null, "/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> r = get(null, "/metrics/resource");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body())
        .isEqualTo("Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource=metrics)");
    assertThat(asked).containsExactly("system:anonymous [system:unauthenticated] get proxy",
        "system:anonymous [system:unauthenticated] get metrics");
  }

  // ----- simple endpoints -------------------------------------------------------------------------------------

  @Test
  void podsListsThisNodesPods() throws Exception {
    HttpResponse<String> r = get(alice(), "/pods");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("application/json");
    PodList list = Serialization.unmarshal(r.body(), PodList.class);
    assertThat(list.getKind()).isEqualTo("PodList");
    assertThat(list.getItems()).extracting(p -> p.getMetadata().getName()).containsExactly("web-1", "pending-1");
    assertThat(list.getItems().get(0).getSpec().getContainers()).hasSize(2);
  }

  @Test
  void runningPodsListsOnlyRunningContainersWithNameAndImage() throws Exception {
    HttpResponse<String> r = get(alice(), "/runningpods/");
    assertThat(r.statusCode()).isEqualTo(200);
    PodList list = Serialization.unmarshal(r.body(), PodList.class);
    assertThat(list.getItems()).hasSize(1);
    Pod p = list.getItems().get(0);
    assertThat(p.getMetadata().getName()).isEqualTo("web-1");
    assertThat(p.getMetadata().getUid()).isEqualTo("uid-web");
    assertThat(p.getSpec().getContainers()).extracting(c -> c.getName() + "=" + c.getImage())
        .containsExactly("nginx=img/nginx", "sidecar=img/sidecar");
    assertThat(p.getStatus()).isNull();
  }

  @Test
  void unknownPathsAre404() throws Exception {
    HttpResponse<String> r = get(alice(), "/nothing/here");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("404 page not found\n");
    assertThat(get(alice(), "/containerLogs/shop/web-1").statusCode()).isEqualTo(404);
    assertThat(get(alice(), "/stats/container").statusCode()).isEqualTo(404);
  }

  @Test
  void portForwardIs501WithAPreciseMessage() throws Exception {
    var r = client(alice()).send(java.net.http.HttpRequest.newBuilder(uri("/portForward/shop/web-1"))
        .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(501);
    assertThat(r.body()).startsWith("port forwarding is not supported by this provider");
    assertThat(get(alice(), "/portForward/shop/nope").statusCode()).isEqualTo(404);
  }

  // ----- exec / attach hand-off -------------------------------------------------------------------------------

  @Test
  void execAndAttachAreHandedToTheStreamingHandlerWithTheDocumentedPipeline() throws Exception {
    var r = client(alice()).send(java.net.http.HttpRequest.newBuilder(
        uri("/exec/shop/web-1/sidecar?command=ls&stdout=1")).POST(BodyPublishers.noBody()).build(),
        BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("handed off EXEC");
    assertThat(get(alice(), "/attach/shop/web-1/uid-web/nginx?stdout=1").body()).isEqualTo("handed off ATTACH");
    assertThat(handedOff).extracting(t -> t.kind() + " " + t.pod().getMetadata().getName() + " " + t.container())
        .containsExactly("EXEC web-1 sidecar", "ATTACH web-1 nginx");
    assertThat(pipelineAtHandOff).containsSubsequence("ssl", StreamingHandler.HTTP_CODEC, StreamingHandler.IDLE,
        StreamingHandler.KUBELET);
  }

  @Test
  void execForAnUnknownPodContainerOrUidIs404() throws Exception {
    assertThat(get(alice(), "/exec/shop/nope/nginx?command=ls").statusCode()).isEqualTo(404);
    HttpResponse<String> r = get(alice(), "/exec/shop/web-1/nope?command=ls");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("container \"nope\" not found in pod \"web-1\"");
    assertThat(get(alice(), "/attach/shop/web-1/other-uid/nginx").statusCode()).isEqualTo(404);
    assertThat(handedOff).isEmpty();
  }

  @Test
  void withoutAStreamingHandlerExecIs501() throws Exception {
    server.close();
    server = startServer(new KubeletAuth.Settings(List.of(pki.caCertificate()), Optional.empty(), Optional.empty(),
        false, Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofSeconds(30)), null);
    HttpResponse<String> r = get(alice(), "/exec/shop/web-1/nginx?command=ls");
    assertThat(r.statusCode()).isEqualTo(501);
    assertThat(r.body()).isEqualTo("exec is not available on this node: no streaming handler is configured");
  }

  // ----- logs -------------------------------------------------------------------------------------------------

  @Test
  void logsPassEveryParameterToTheProvider() throws Exception {
    provider.logs.put("shop/web-1/nginx", "line 1\nline 2\n");
    HttpResponse<String> r = get(alice(), "/containerLogs/shop/web-1/nginx?tailLines=2&timestamps=true"
        + "&previous=true&limitBytes=100&sinceTime=2026-11-23T09:00:00Z");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("line 1\nline 2\n");
    assertThat(provider.opened).containsExactly(new FakeKubeletProvider.Opened("web-1", "nginx",
        new LogOptions(false, OptionalLong.of(2), Optional.of(Instant.parse("2026-11-23T09:00:00Z")), true, true,
            OptionalLong.of(100))));
    provider.opened.clear();
    Instant before = Instant.now();
    assertThat(get(alice(), "/containerLogs/shop/web-1/nginx?sinceSeconds=30").statusCode()).isEqualTo(200);
    Instant since = provider.opened.get(0).options().since().orElseThrow();
    assertThat(since).isBetween(before.minusSeconds(31), Instant.now().minusSeconds(29));
  }

  @Test
  void malformedLogQueriesAre400AndUnknownTargets404() throws Exception {
    HttpResponse<String> both = get(alice(),
        "/containerLogs/shop/web-1/nginx?sinceSeconds=5&sinceTime=2026-11-23T09:00:00Z");
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(both.body()).isEqualTo("at most one of `sinceTime` or `sinceSeconds` may be specified");
    assertThat(get(alice(), "/containerLogs/shop/web-1/nginx?tailLines=x").statusCode()).isEqualTo(400);
    assertThat(get(alice(), "/containerLogs/shop/web-1/nginx?limitBytes=0").statusCode()).isEqualTo(400);
    HttpResponse<String> noPod = get(alice(), "/containerLogs/shop/nope/nginx");
    assertThat(noPod.statusCode()).isEqualTo(404);
    assertThat(noPod.body()).isEqualTo("pod \"nope\" does not exist");
    assertThat(get(alice(), "/containerLogs/shop/web-1/nope").statusCode()).isEqualTo(404);
    assertThat(provider.opened).isEmpty();
    // The provider's own NOT_FOUND (the backend lost the container) is a 404 as well.
    HttpResponse<String> gone = get(alice(), "/containerLogs/shop/web-1/sidecar");
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(gone.body()).isEqualTo("no log for shop/web-1/sidecar");
  }

  @Test
  void followStreamsNewOutputAsItComesAndEndsWithTheContainer() throws Exception {
    FedStream stream = new FedStream();
    provider.nextStream.set(() -> stream);
    stream.push("first\n");
    HttpResponse<InputStream> r = client(alice()).send(java.net.http.HttpRequest.newBuilder(
        uri("/containerLogs/shop/web-1/nginx?follow=true")).build(), BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(provider.opened.get(0).options().follow()).isTrue();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(in.readLine()).isEqualTo("first");
      stream.push("second\n");
      assertThat(in.readLine()).isEqualTo("second");
      stream.push("third\n");
      stream.end();
      assertThat(in.readLine()).isEqualTo("third");
      assertThat(in.readLine()).isNull();
    }
    assertThat(stream.closed).isTrue();
  }

  @Test
  void aClientGoingAwayClosesTheProvidersStream() throws Exception {
    FedStream stream = new FedStream();
    provider.nextStream.set(() -> stream);
    stream.push("hello\n");
    try (SSLSocket socket = rawRequest("/containerLogs/shop/web-1/nginx?follow=1", 0)) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = in.readLine();
      } while (line != null && !line.equals("hello"));
      assertThat(line).isEqualTo("hello");
    }
    await().atMost(Duration.ofSeconds(10)).untilTrue(stream.closed);
  }

  @Test
  void aSlowClientHoldsTheProviderBackInsteadOfFillingMemory() throws Exception {
    // 64 KiB chunks as fast as asked, capped at 256 MiB: without back-pressure the server would pull them all.
    FirehoseStream stream = new FirehoseStream(64 * 1024, 256L * 1024 * 1024);
    provider.nextStream.set(() -> stream);
    try (SSLSocket socket = rawRequest("/containerLogs/shop/web-1/nginx?follow=true", 16 * 1024)) {
      AtomicLong last = new AtomicLong(-1);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
        long now = stream.nextCalls.get();
        return now > 0 && now == last.getAndSet(now);
      });
      long stalledAt = stream.bytesProduced.get();
      // Socket buffers on both ends plus the channel's 64 KiB high-water mark; far below the cap.
      assertThat(stalledAt).isLessThan(32L * 1024 * 1024);
      // Once the client reads, the provider is asked again.
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[256 * 1024];
      long read = 0;
      while (read < stalledAt + 4L * 1024 * 1024) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        read += n;
      }
      assertThat(stream.bytesProduced.get()).isGreaterThan(stalledAt);
    }
    await().atMost(Duration.ofSeconds(10)).untilTrue(stream.closed);
  }

  private SSLSocket rawRequest(String path, int receiveBuffer) throws Exception {
    SSLContext ctx = TestPki.clientContext(serving.chain().get(0), alice());
    SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 5000);
    socket.startHandshake();
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  // ----- stats ------------------------------------------------------------------------------------------------

  private static PodStatsBatch webStats(long cpuNanos, long workingSet) {
    Usage u = new Usage(OptionalLong.of(500_000_000), OptionalLong.of(cpuNanos), OptionalLong.of(workingSet),
        OptionalLong.of(workingSet * 2), OptionalLong.empty(), OptionalLong.empty());
    return new PodStatsBatch(List.of(new PodStats(new PodRef(new PodKey("shop", "web-1"), "uid-web"), T,
        Instant.parse("2026-11-23T09:00:00Z"), u,
        List.of(new ContainerStats("nginx", T, Instant.parse("2026-11-23T09:00:01Z"), u)), List.of())),
        List.of(new PodRef(new PodKey("jobs", "pending-1"), "uid-pending")));
  }

  @Test
  void statsSummaryCarriesTheProvidersFigures() throws Exception {
    provider.stats.set(() -> CompletableFuture.supplyAsync(() -> webStats(7_500_000_000L, 64 * 1024 * 1024)));
    HttpResponse<String> r = get(alice(), "/stats/summary");
    assertThat(r.statusCode()).isEqualTo(200);
    Map<?, ?> json = Serialization.unmarshal(r.body(), Map.class);
    Map<?, ?> node = (Map<?, ?>) json.get("node");
    assertThat(node.get("nodeName")).isEqualTo(NODE);
    assertThat(((Map<?, ?>) node.get("cpu")).get("usageNanoCores")).isEqualTo(500_000_000);
    List<?> podStats = (List<?>) json.get("pods");
    Map<?, ?> web = (Map<?, ?>) podStats.get(0);
    assertThat(((Map<?, ?>) web.get("podRef")).get("uid")).isEqualTo("uid-web");
    assertThat(((Map<?, ?>) web.get("memory")).get("workingSetBytes")).isEqualTo(64 * 1024 * 1024);
    assertThat(((Map<?, ?>) web.get("cpu")).get("usageCoreNanoSeconds")).isEqualTo(7_500_000_000L);
    assertThat(provider.statsCalls.get(0)).extracting(p -> p.getMetadata().getName())
        .containsExactly("web-1", "pending-1");
  }

  @Test
  void metricsResourceIsAcceptedByAThirdPartyPrometheusParserWithTheProvidersValues() throws Exception {
    provider.stats.set(() -> CompletableFuture.supplyAsync(() -> webStats(7_500_000_000L, 64 * 1024 * 1024)));
    HttpResponse<String> r = get(alice(), "/metrics/resource");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("text/plain; version=0.0.4; charset=utf-8");
    Map<String, MetricFamily> families = new HashMap<>();
    var parser = new TextPrometheusMetricDataParser(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
    for (MetricFamily f = parser.parse(); f != null; f = parser.parse()) {
      families.put(f.getName(), f);
    }
    assertThat(families).containsKeys("container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
        "container_start_time_seconds", "node_cpu_usage_seconds_total", "node_memory_working_set_bytes",
        "pod_cpu_usage_seconds_total", "pod_memory_working_set_bytes", "scrape_error", "resource_scrape_error");
    Metric podCpu = families.get("pod_cpu_usage_seconds_total").getMetrics().get(0);
    assertThat(podCpu.getLabels()).isEqualTo(Map.of("namespace", "shop", "pod", "web-1"));
    assertThat(((Counter) podCpu).getValue()).isEqualTo(7.5);
    Metric ctrMem = families.get("container_memory_working_set_bytes").getMetrics().get(0);
    assertThat(ctrMem.getLabels()).isEqualTo(Map.of("container", "nginx", "namespace", "shop", "pod", "web-1"));
    assertThat(((Gauge) ctrMem).getValue()).isEqualTo(64 * 1024 * 1024);
    assertThat(((Gauge) families.get("scrape_error").getMetrics().get(0)).getValue())
        .as("one pod could not be reported").isEqualTo(1);
    // Every usage sample carries the backend's record time in milliseconds.
    List<String> usageLines = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (!line.startsWith("#") && line.contains("_usage_seconds_total") || line.contains("working_set_bytes")
          && !line.startsWith("#")) {
        usageLines.add(line);
      }
    }
    assertThat(usageLines).hasSize(6).allSatisfy(l -> assertThat(l).endsWith(" " + T.toEpochMilli()));
  }

  @Test
  void aFailedStatsCallIsAScrapeErrorForMetricsAnd500ForTheSummary() throws Exception {
    provider.stats.set(() -> CompletableFuture.failedFuture(new IllegalStateException("backend down")));
    HttpResponse<String> m = get(alice(), "/metrics/resource");
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.body()).contains("\nscrape_error 1\n").doesNotContain("pod_cpu");
    assertThat(get(alice(), "/stats/summary").statusCode()).isEqualTo(500);
  }

  @Test
  void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
    HttpClient c = client(alice());
    for (int i = 0; i < 5; i++) {
      assertThat(c.send(java.net.http.HttpRequest.newBuilder(uri("/healthz")).build(), BodyHandlers.ofString())
          .body()).isEqualTo("ok");
    }
  }


  @Test
  void aMetricsServerStyleRateOverTwoScrapesIsTheProvidersCpuUsage() throws Exception {
    // The backend reports 0.75 cores: 7.5 s of CPU at T, 22.5 s twenty seconds later.
    Instant t2 = T.plusSeconds(20);
    List<PodStatsBatch> answers = new CopyOnWriteArrayList<>(List.of(webStats(7_500_000_000L, 1),
        withTime(webStats(22_500_000_000L, 1), t2)));
    provider.stats.set(() -> CompletableFuture.completedFuture(answers.remove(0)));
    String first = get(alice(), "/metrics/resource").body();
    String second = get(alice(), "/metrics/resource").body();
    double[] a = sample(first, "pod_cpu_usage_seconds_total{namespace=\"shop\",pod=\"web-1\"}");
    double[] b = sample(second, "pod_cpu_usage_seconds_total{namespace=\"shop\",pod=\"web-1\"}");
    double cores = (b[0] - a[0]) / ((b[1] - a[1]) / 1000.0);
    assertThat(cores).isEqualTo(0.75);
  }

  private static PodStatsBatch withTime(PodStatsBatch batch, Instant t) {
    PodStats p = batch.pods().get(0);
    return new PodStatsBatch(List.of(new PodStats(p.pod(), t, p.startTime(), p.usage(),
        List.of(new ContainerStats("nginx", t, p.containers().get(0).startTime(), p.usage())), List.of())),
        batch.failed());
  }

  /** Value and millisecond timestamp of the sample whose name and labels are {@code series}. */
  private static double[] sample(String exposition, String series) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(series + " ")) {
        String[] parts = line.substring(series.length() + 1).split(" ");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
      }
    }
    throw new AssertionError("no sample " + series + " in\n" + exposition);
  }
}
