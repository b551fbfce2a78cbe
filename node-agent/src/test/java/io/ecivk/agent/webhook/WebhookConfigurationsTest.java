package io.ecivk.agent.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.kubeletapi.tls.ServingCertificate;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookConfigurationsTest {

  @Test
  void urlConfigurationHasTheSafetySettingsAndCaBundle() throws Exception {
    ServingCertificate cert = ServingCertificate.selfSigned(List.of(), List.of(InetAddress.getByName("127.0.0.1")),
        Clock.systemUTC());
    MutatingWebhookConfiguration config = WebhookConfigurations.build("eci-virtual-kubelet-vk1",
        WebhookConfigurations.Target.url(URI.create("https://127.0.0.1:9443/mutate-pods")), cert.chain(),
        WebhookConfigurations.excludingNamespaces(List.of("kube-system", "vk")));

    assertThat(config.getMetadata().getName()).isEqualTo("eci-virtual-kubelet-vk1");
    MutatingWebhook hook = config.getWebhooks().get(0);
    assertThat(hook.getName()).isEqualTo("pods.eci-virtual-kubelet.ecivk.io");
    assertThat(hook.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(hook.getSideEffects()).isEqualTo("None");
    assertThat(hook.getTimeoutSeconds()).isEqualTo(5);
    assertThat(hook.getAdmissionReviewVersions()).containsExactly("v1", "v1beta1");
    assertThat(hook.getClientConfig().getUrl()).isEqualTo("https://127.0.0.1:9443/mutate-pods");
    assertThat(hook.getClientConfig().getService()).isNull();
    assertThat(hook.getRules()).singleElement().satisfies(r -> {
      assertThat(r.getOperations()).containsExactly("CREATE");
      assertThat(r.getResources()).containsExactly("pods");
      assertThat(r.getApiGroups()).containsExactly("");
    });
    assertThat(hook.getNamespaceSelector().getMatchExpressions()).singleElement().satisfies(e -> {
      assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
      assertThat(e.getOperator()).isEqualTo("NotIn");
      assertThat(e.getValues()).containsExactly("kube-system", "vk");
    });
    String pem = new String(Base64.getDecoder().decode(hook.getClientConfig().getCaBundle()), StandardCharsets.US_ASCII);
    assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
  }

  @Test
  void serviceTargetParsesAndNamesTheCertificate() {
    WebhookConfigurations.Target t = WebhookConfigurations.Target.service("vk-system/eci-webhook:8443");
    assertThat(t.serviceNamespace()).isEqualTo("vk-system");
    assertThat(t.serviceName()).isEqualTo("eci-webhook");
    assertThat(t.servicePort()).isEqualTo(8443);
    assertThat(t.dnsNames()).containsExactly("eci-webhook.vk-system.svc", "eci-webhook.vk-system.svc.cluster.local");
    assertThat(WebhookConfigurations.Target.service("a/b").servicePort()).isEqualTo(443);

    MutatingWebhookConfiguration config = WebhookConfigurations.build("n", t, List.of(), null);
    var svc = config.getWebhooks().get(0).getClientConfig().getService();
    assertThat(svc.getPath()).isEqualTo("/mutate-pods");
    assertThat(svc.getPort()).isEqualTo(8443);
    assertThat(config.getWebhooks().get(0).getClientConfig().getUrl()).isNull();
  }

  @Test
  void badTargetsAreRejected() {
    assertThatThrownBy(() -> WebhookConfigurations.Target.service("no-namespace"))
        .hasMessageContaining("namespace/name[:port]");
    assertThatThrownBy(() -> WebhookConfigurations.Target.service("a/b:x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> WebhookConfigurations.Target.url(URI.create("http://127.0.0.1/mutate-pods")))
        .hasMessageContaining("must be https");
  }
}
