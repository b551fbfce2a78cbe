package io.ecivk.kubeletapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.kubeletapi.auth.KubeReviewers;
import io.ecivk.kubeletapi.auth.KubeletAuth;
import io.ecivk.kubeletapi.tls.ClientCa;
import io.ecivk.kubeletapi.tls.CsrServingCertificate;
import io.ecivk.kubeletapi.tls.ServingCertificate;
import io.ecivk.spi.PodKey;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatsSource.PodStats;
import io.ecivk.spi.PodStatsSource.PodStatsBatch;
import io.ecivk.spi.PodStatsSource.Usage;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kubelet API's authentication and authorization against the real control plane: TokenReview and
 * SubjectAccessReview decide with real RBAC, x509 client certificates verify against a CA made here and against
 * the cluster CA (with which the API server itself authenticates when it proxies {@code pods/log}).
 */
@ExtendWith(KubeControlPlaneExtension.class)
class KubeletApiControlPlaneIT {
  private final TestPki pki = new TestPki("kubelet-api-test-ca");
  private final FakeKubeletProvider provider = new FakeKubeletProvider();
  private final List<Pod> pods = new CopyOnWriteArrayList<>();
  private KubeControlPlane cp;
  private KubernetesClient client;
  private KubeletServer server;
  private ServingCertificate serving;
  private String node;
  private String ns;
  private String alice;
  private String roleName;

  @BeforeEach
  void setUp(KubeControlPlane cp) {
    this.cp = cp;
    this.client = cp.client();
    node = KubeControlPlane.uniqueName("vk-api");
    ns = cp.createNamespace("kubelet-api");
    alice = KubeControlPlane.uniqueName("alice");
    roleName = KubeControlPlane.uniqueName("kubelet-api-reader");
    // The namespace's default ServiceAccount may read nodes/proxy only; alice may read stats, metrics and proxy.
    client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(roleName + "-proxy")
        .endMetadata().addNewRule().withApiGroups("").withResources("nodes/proxy").withVerbs("get").endRule()
        .build()).create();
    client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(roleName + "-all")
        .endMetadata().addNewRule().withApiGroups("").withResources("nodes/proxy", "nodes/stats", "nodes/metrics")
        .withVerbs("get").endRule().build()).create();
    client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName(roleName + "-sa").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole").withName(roleName + "-proxy").endRoleRef().addNewSubject()
        .withKind("ServiceAccount").withName("default").withNamespace(ns).endSubject().build()).create();
    client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName(roleName + "-alice").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole").withName(roleName + "-all").endRoleRef().addNewSubject()
        .withKind("User").withApiGroup("rbac.authorization.k8s.io").withName(alice).endSubject().build()).create();

    serving = ServingCertificate.selfSigned(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
        Clock.systemUTC());
    var clusterCa = ServingCertificate.readCertificates(Path.of(cp.env().get("KUBE_CA_FILE")));
    List<java.security.cert.X509Certificate> bundle = new java.util.ArrayList<>(clusterCa);
    bundle.add(pki.caCertificate());
    server = KubeletServer.builder()
        .bindAddress(InetAddress.getLoopbackAddress())
        .port(0)
        .nodeName(node)
        .servingCertificate(serving)
        .auth(KubeletAuth.Settings.kubeletDefaults(bundle, Optional.of(KubeReviewers.tokenReviewer(client)),
            Optional.of(KubeReviewers.accessReviewer(client))))
        .pods(() -> pods)
        .provider(provider)
        .eventLoopThreads(2)
        .build()
        .start();
    provider.stats.set(() -> CompletableFuture.completedFuture(new PodStatsBatch(List.of(new PodStats(
        new PodRef(new PodKey(ns, "web"), "uid"), Instant.now(), Instant.now(),
        new Usage(OptionalLong.of(1), OptionalLong.of(2), OptionalLong.of(3), OptionalLong.empty(),
            OptionalLong.empty(), OptionalLong.empty()), List.of(), List.of())), List.of())));
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    client.rbac().clusterRoleBindings().withName(roleName + "-sa").delete();
    client.rbac().clusterRoleBindings().withName(roleName + "-alice").delete();
    client.rbac().clusterRoles().withName(roleName + "-proxy").delete();
    client.rbac().clusterRoles().withName(roleName + "-all").delete();
    client.nodes().withName(node).delete();
  }

  private HttpResponse<String> get(TestPki.Issued cert, String token, String path) throws Exception {
    SSLContext ctx = TestPki.clientContext(serving.chain().get(0), cert);
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(20));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).build()
        .send(req.build(), BodyHandlers.ofString());
  }

  private String serviceAccountToken() {
    var sa = client.serviceAccounts().inNamespace(ns).withName("default").get();
    Secret secret = client.secrets().inNamespace(ns).withName(sa.getSecrets().get(0).getName()).get();
    return new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
  }

  @Test
  void withoutCredentials401() throws Exception {
    HttpResponse<String> r = get(null, null, "/pods");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("Unauthorized");
    assertThat(get(null, "not-a-real-token", "/pods").statusCode()).isEqualTo(401);
  }

  @Test
  void aServiceAccountTokenIsReviewedAndRbacDecides() throws Exception {
    String token = serviceAccountToken();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(
        () -> assertThat(get(null, token, "/pods").statusCode()).isEqualTo(200));
    HttpResponse<String> stats = get(null, token, "/stats/summary");
    assertThat(stats.statusCode()).isEqualTo(403);
    assertThat(stats.body()).isEqualTo("Forbidden (user=system:serviceaccount:" + ns
        + ":default, verb=get, resource=nodes, subresource=stats)");
  }

  @Test
  void aClientCertificateFromTheClientCaIsAuthorizedThroughRbac() throws Exception {
    TestPki.Issued cert = pki.client("CN=" + alice + ",O=kubelet-api-testers");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(
        () -> assertThat(get(cert, null, "/stats/summary").statusCode()).isEqualTo(200));
    HttpResponse<String> metrics = get(cert, null, "/metrics/resource");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("pod_memory_working_set_bytes{namespace=\"" + ns + "\",pod=\"web\"} 3 ");
    HttpResponse<String> bob = get(pki.client("CN=bob-nobody"), null, "/metrics/resource");
    assertThat(bob.statusCode()).isEqualTo(403);
    assertThat(bob.body()).isEqualTo("Forbidden (user=bob-nobody, verb=get, resource=nodes, subresource=metrics)");
  }

  @Test
  void theApiServerProxiesPodLogsToUsWithItsKubeletClientCertificate() {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    // The node controllers may touch the new node meanwhile: edit its status again after a conflict.
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        client.nodes().withName(node).editStatus(n -> new NodeBuilder(n).editOrNewStatus()
            .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
            .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(server.port()).endKubeletEndpoint()
            .endDaemonEndpoints().endStatus().build()));
    Pod pod = client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("web")
        .endMetadata().withNewSpec().withNodeName(node).withAutomountServiceAccountToken(false)
        .addNewContainer().withName("app").withImage("nginx").endContainer().endSpec().build()).create();
    pods.add(pod);
    provider.logs.put(ns + "/web/app", "served by the virtual kubelet\n");
    String log = client.pods().inNamespace(ns).withName("web").inContainer("app").tailingLines(5).getLog();
    assertThat(log).isEqualTo("served by the virtual kubelet\n");
    assertThat(provider.opened).extracting(o -> o.container() + " tail=" + o.options().tailLines())
        .containsExactly("app tail=OptionalLong[5]");
  }

  @Test
  void theClientCaDefaultsToTheKubeRootCaConfigMap() {
    var expected = ServingCertificate.readCertificates(Path.of(cp.env().get("KUBE_CA_FILE")));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(
        () -> assertThat(ClientCa.fromKubeRootCaConfigMap(client, ns)).isEqualTo(expected));
  }

  @Test
  void aServingCertificateIssuedThroughAKubeletServingCsrIsVerifiableWithTheClusterCa() throws Exception {
    CompletableFuture<ServingCertificate> issued = CompletableFuture.supplyAsync(() -> CsrServingCertificate
        .request(client, node, List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
            Duration.ofSeconds(60)));
    var csrs = client.certificates().v1().certificateSigningRequests();
    var csr = await().atMost(Duration.ofSeconds(30)).until(
        () -> csrs.withLabel(CsrServingCertificate.NODE_LABEL, node).list().getItems(), l -> !l.isEmpty()).get(0);
    try {
      assertThat(csr.getSpec().getSignerName()).isEqualTo("kubernetes.io/kubelet-serving");
      assertThat(csr.getSpec().getUsages()).containsExactly("digital signature", "key encipherment", "server auth");
      csrs.withName(csr.getMetadata().getName()).approve();
      ServingCertificate cert = issued.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(cert.chain().get(0).getSubjectX500Principal().getName())
          .isEqualTo("CN=system:node:" + node + ",O=system:nodes");
      server.close();
      serving = cert;
      server = KubeletServer.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0).nodeName(node)
          .servingCertificate(cert)
          .auth(KubeletAuth.Settings.kubeletDefaults(List.of(pki.caCertificate()), Optional.empty(),
              Optional.empty()))
          .pods(() -> pods).provider(provider).eventLoopThreads(2).build().start();
      // A client that trusts only the cluster CA and checks the address 127.0.0.1 against the SANs.
      var clusterCa = ServingCertificate.readCertificates(Path.of(cp.env().get("KUBE_CA_FILE"))).get(0);
      SSLContext ctx = TestPki.clientContext(clusterCa, pki.client("CN=" + alice));
      HttpResponse<String> r = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).build()
          .send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz")).build(),
              BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    } finally {
      csrs.withName(csr.getMetadata().getName()).delete();
    }
  }
}
