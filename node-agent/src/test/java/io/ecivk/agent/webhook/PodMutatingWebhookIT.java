package io.ecivk.agent.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.agent.AgentConfig;
import io.ecivk.events.EventRecorder;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The webhook called by the real API server (v1.20.2): a self-signed HTTPS endpoint on loopback registered through
 * a MutatingWebhookConfiguration scoped by namespaceSelector to this test's namespaces, pods created and read back
 * mutated; the eci-profile hot-reloaded, a malformed version keeping the last good one with a Warning event; and
 * with the webhook gone, pods still created ({@code failurePolicy: Ignore}).
 */
@ExtendWith(KubeControlPlaneExtension.class)
class PodMutatingWebhookIT {
  private static final String SCOPE_LABEL = "ecivk.io/webhook-it";

  private KubernetesClient client;
  private String scope;
  private String plainNs;
  private String eciNs;
  private String configName;
  private PodMutatingWebhook webhook;

  @BeforeEach
  void start(KubeControlPlane controlPlane) throws Exception {
    client = controlPlane.client();
    plainNs = controlPlane.createNamespace("webhook");
    eciNs = controlPlane.createNamespace("webhook-eci");
    scope = plainNs;
    client.namespaces().withName(plainNs).edit(n -> new NamespaceBuilder(n).editMetadata()
        .addToLabels(SCOPE_LABEL, scope).endMetadata().build());
    client.namespaces().withName(eciNs).edit(n -> new NamespaceBuilder(n).editMetadata()
        .addToLabels(SCOPE_LABEL, scope).addToLabels("alibabacloud.com/eci", "true").endMetadata().build());
    client.configMaps().inNamespace("kube-system").withName("eci-profile").delete();
    webhook = PodMutatingWebhook.start(new AgentConfig.Webhook(true, "127.0.0.1", 0, null, null, null, null, null),
        "unused", client, new EventRecorder(client, AgentConfig.COMPONENT, "webhook-it", Clock.systemUTC()),
        Clock.systemUTC());
    // Registered here rather than by start(): the port is only known once bound, and the scope must be this test's.
    configName = KubeControlPlane.uniqueName("webhook-it");
    MutatingWebhookConfiguration config = WebhookConfigurations.build(configName,
        WebhookConfigurations.Target.url(URI.create("https://127.0.0.1:" + webhook.port() + WebhookServer.PATH)),
        webhook.servingChain(),
        new LabelSelectorBuilder().addToMatchLabels(SCOPE_LABEL, scope).build());
    WebhookConfigurations.apply(client, config);
    // The API server picks configurations up from its informer: wait until a pod in the scope is mutated.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      Pod probe = client.pods().inNamespace(eciNs).resource(pod(KubeControlPlane.uniqueName("probe"), Map.of(),
          Map.of())).create();
      client.pods().inNamespace(eciNs).resource(probe).withGracePeriod(0).delete();
      return probe.getSpec().getNodeSelector() != null && probe.getSpec().getNodeSelector().containsKey("type");
    });
  }

  @AfterEach
  void stop() {
    if (webhook != null) {
      webhook.close();
    }
    client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(configName).delete();
    client.configMaps().inNamespace("kube-system").withName("eci-profile").delete();
    client.namespaces().withName(plainNs).delete();
    client.namespaces().withName(eciNs).delete();
  }

  private static Pod pod(String name, Map<String, String> labels, Map<String, String> annotations) {
    return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations)
        .endMetadata()
        .withNewSpec().withAutomountServiceAccountToken(false)
        .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build();
  }

  private Pod create(String namespace, String name, Map<String, String> labels, Map<String, String> annotations) {
    return client.pods().inNamespace(namespace).resource(pod(name, labels, annotations)).create();
  }

  private static boolean routed(Pod pod) {
    List<Toleration> tolerations = pod.getSpec().getTolerations();
    boolean tolerates = tolerations != null && tolerations.stream().anyMatch(t ->
        "virtual-kubelet.io/provider".equals(t.getKey()) && "alibabacloud".equals(t.getValue())
            && "NoSchedule".equals(t.getEffect()) && "Equal".equals(t.getOperator()));
    boolean selects = pod.getSpec().getNodeSelector() != null
        && "virtual-kubelet".equals(pod.getSpec().getNodeSelector().get("type"));
    assertThat(tolerates).as("toleration and node selector come together").isEqualTo(selects);
    return tolerates;
  }

  @Test
  void routesEciOnlyLabelledAndNamespaceLabelledPodsButNotBurstOrPlainOnes() {
    Pod eciOnly = create(plainNs, "eci-only", Map.of(), Map.of("alibabacloud.com/burst-resource", "eci_only"));
    Pod labelled = create(plainNs, "labelled", Map.of("alibabacloud.com/eci", "true"), Map.of());
    Pod inEciNamespace = create(eciNs, "in-eci-ns", Map.of(), Map.of());
    Pod burst = create(eciNs, "burst", Map.of(), Map.of("alibabacloud.com/burst-resource", "eci"));
    Pod plain = create(plainNs, "plain", Map.of("app", "web"), Map.of());

    assertThat(routed(eciOnly)).isTrue();
    assertThat(routed(labelled)).isTrue();
    assertThat(routed(inEciNamespace)).isTrue();
    assertThat(routed(burst)).isFalse();
    assertThat(routed(plain)).isFalse();
    // Read back from the API server: stored as mutated, nothing duplicated.
    Pod stored = client.pods().inNamespace(plainNs).withName("eci-only").get();
    assertThat(stored.getSpec().getTolerations()).filteredOn(t -> "virtual-kubelet.io/provider".equals(t.getKey()))
        .hasSize(1);
    assertThat(stored.getSpec().getNodeSelector()).containsExactly(Map.entry("type", "virtual-kubelet"));
  }

  @Test
  void profileIsHotReloadedAndAMalformedVersionKeepsTheLastGoodOneWithAnEvent() {
    String v1 = "[{\"name\":\"web-to-eci\",\"namespaceSelector\":{\"matchLabels\":{\"" + SCOPE_LABEL + "\":\"" + scope
        + "\"}},\"objectSelector\":{\"matchLabels\":{\"app\":\"web\"}},"
        + "\"effect\":{\"annotations\":{\"k8s.aliyun.com/eci-use-specs\":\"2-4Gi\"},"
        + "\"labels\":{\"alibabacloud.com/eci\":\"true\"}}}]";
    client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
        .withName("eci-profile").withNamespace("kube-system").endMetadata().addToData("selectors", v1).build())
        .create();
    await().atMost(Duration.ofSeconds(10)).until(() -> webhook.profile().selectors().size() == 1);

    Pod web = create(plainNs, "web-1", Map.of("app", "web"), Map.of());
    Pod db = create(plainNs, "db-1", Map.of("app", "db"), Map.of());

    assertThat(web.getMetadata().getAnnotations()).containsEntry("k8s.aliyun.com/eci-use-specs", "2-4Gi");
    assertThat(web.getMetadata().getLabels()).containsEntry("alibabacloud.com/eci", "true");
    assertThat(routed(web)).as("the profile's label routes the pod").isTrue();
    assertThat(db.getMetadata().getAnnotations()).doesNotContainKey("k8s.aliyun.com/eci-use-specs");
    assertThat(routed(db)).isFalse();

    // Hot reload: the next pod gets the new effect.
    String v2 = v1.replace("2-4Gi", "4-8Gi").replace("\"app\":\"web\"", "\"app\":\"db\"");
    client.configMaps().inNamespace("kube-system").withName("eci-profile")
        .edit(cm -> new ConfigMapBuilder(cm).addToData("selectors", v2).build());
    await().atMost(Duration.ofSeconds(10)).until(() ->
        webhook.profile().selectors().get(0).annotations().containsValue("4-8Gi"));
    Pod db2 = create(plainNs, "db-2", Map.of("app", "db"), Map.of());
    assertThat(db2.getMetadata().getAnnotations()).containsEntry("k8s.aliyun.com/eci-use-specs", "4-8Gi");
    assertThat(routed(db2)).isTrue();

    // Malformed: admission goes on with the last good profile, and the ConfigMap gets a Warning event.
    client.configMaps().inNamespace("kube-system").withName("eci-profile")
        .edit(cm -> new ConfigMapBuilder(cm).addToData("selectors", "[{\"name\": oops").build());
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      List<Event> events = client.v1().events().inNamespace("kube-system").list().getItems().stream()
          .filter(e -> "eci-profile".equals(e.getInvolvedObject().getName())
              && PodMutatingWebhook.MALFORMED_REASON.equals(e.getReason()))
          .toList();
      assertThat(events).anySatisfy(e -> {
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
        assertThat(e.getMessage()).contains("selectors is not valid JSON");
      });
    });
    Pod db3 = create(plainNs, "db-3", Map.of("app", "db"), Map.of());
    assertThat(db3.getMetadata().getAnnotations()).containsEntry("k8s.aliyun.com/eci-use-specs", "4-8Gi");
  }

  @Test
  void withTheWebhookDownPodsAreStillCreatedUnchanged() {
    webhook.close();
    webhook = null;

    Pod pod = create(eciNs, "while-down", Map.of(), Map.of("alibabacloud.com/burst-resource", "eci_only"));

    assertThat(pod.getMetadata().getUid()).isNotBlank();
    assertThat(routed(pod)).isFalse();
  }

  @Test
  void withAUrlTheWebhookRegistersItsOwnConfigurationWithItsCaBundle() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String ownName = KubeControlPlane.uniqueName("webhook-it-own");
    URI url = URI.create("https://127.0.0.1:" + port + WebhookServer.PATH);
    try (PodMutatingWebhook own = PodMutatingWebhook.start(
        new AgentConfig.Webhook(true, "127.0.0.1", port, null, null, url, null, "vk-system"), ownName, client,
        new EventRecorder(client, AgentConfig.COMPONENT, "webhook-it", Clock.systemUTC()), Clock.systemUTC())) {
      MutatingWebhookConfiguration stored =
          client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(ownName).get();
      var hook = stored.getWebhooks().get(0);
      assertThat(hook.getClientConfig().getUrl()).isEqualTo(url.toString());
      assertThat(hook.getClientConfig().getCaBundle()).isEqualTo(WebhookConfigurations.pemBase64(own.servingChain()));
      assertThat(hook.getFailurePolicy()).isEqualTo("Ignore");
      assertThat(hook.getTimeoutSeconds()).isEqualTo(5);
      assertThat(hook.getAdmissionReviewVersions()).containsExactly("v1", "v1beta1");
      assertThat(hook.getNamespaceSelector().getMatchExpressions().get(0).getValues())
          .containsExactly("kube-system", "vk-system");

      // Our own webhook is stopped first, so a routed pod proves the API server trusted the registered caBundle.
      webhook.close();
      webhook = null;
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
        Pod probe = create(plainNs, KubeControlPlane.uniqueName("own"), Map.of("alibabacloud.com/eci", "true"),
            Map.of());
        return routed(probe);
      });
    } finally {
      client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(ownName).delete();
    }
  }
}
