package io.ecivk.agent.webhook;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code admissionregistration.k8s.io/v1} MutatingWebhookConfiguration that sends pod CREATEs to this agent,
 * and its create-or-update.
 *
 * <p>Safety settings, fixed: {@code failurePolicy: Ignore} (an agent that is down or slow never blocks pod
 * creation; the pod is then simply not routed), {@code timeoutSeconds: 5}, {@code sideEffects: None},
 * {@code admissionReviewVersions: [v1, v1beta1]}, {@code reinvocationPolicy: IfNeeded} (the mutation is
 * idempotent, so a later webhook adding the ECI label still gets the pod routed). Pods in {@code kube-system} and
 * the agent's own namespace are excluded by the namespace selector (through {@code kubernetes.io/metadata.name},
 * set by the API server from 1.21; the handler excludes them by name as well for older clusters), and any pod
 * labelled {@value #OPT_OUT_LABEL}{@code =false} by the object selector.
 */
public final class WebhookConfigurations {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookConfigurations.class);
  public static final String WEBHOOK_NAME = "pods.eci-virtual-kubelet.ecivk.io";
  public static final String OPT_OUT_LABEL = "ecivk.io/mutate";
  public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
  public static final int TIMEOUT_SECONDS = 5;

  private WebhookConfigurations() {}

  /**
   * Where the API server reaches the webhook: a URL ({@code https://host:port/mutate-pods}), or a Service.
   *
   * @param url set for URL mode
   * @param serviceNamespace with {@code serviceName} and {@code servicePort}, for Service mode
   */
  public record Target(URI url, String serviceNamespace, String serviceName, int servicePort) {
    public Target {
      if ((url == null) == (serviceName == null)) {
        throw new IllegalArgumentException("the webhook needs exactly one of a URL or a Service");
      }
      if (url != null && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException("the webhook URL must be https, got " + url);
      }
      if (serviceName != null && (serviceNamespace == null || servicePort < 1 || servicePort > 65535)) {
        throw new IllegalArgumentException("a webhook Service needs a namespace and a port 1-65535");
      }
    }

    public static Target url(URI url) {
      return new Target(url, null, null, 0);
    }

    /**
     * Parses {@code namespace/name[:port]} (port default 443).
     *
     * @throws IllegalArgumentException when malformed
     */
    public static Target service(String ref) {
      int slash = ref.indexOf('/');
      if (slash <= 0 || slash == ref.length() - 1) {
        throw new IllegalArgumentException("webhook service must be namespace/name[:port], got '" + ref + "'");
      }
      String ns = ref.substring(0, slash);
      String rest = ref.substring(slash + 1);
      int port = 443;
      int colon = rest.indexOf(':');
      if (colon >= 0) {
        try {
          port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("webhook service port is not a number in '" + ref + "'", e);
        }
        rest = rest.substring(0, colon);
      }
      return new Target(null, ns, rest, port);
    }

    /** The DNS names the serving certificate must carry for the API server to verify it. */
    public List<String> dnsNames() {
      if (url != null) {
        return List.of(url.getHost());
      }
      return List.of(serviceName + "." + serviceNamespace + ".svc",
          serviceName + "." + serviceNamespace + ".svc.cluster.local");
    }
  }

  /** The default namespace selector: every namespace except the excluded ones. */
  public static LabelSelector excludingNamespaces(List<String> excluded) {
    return new LabelSelectorBuilder().addNewMatchExpression()
        .withKey(NAMESPACE_NAME_LABEL).withOperator("NotIn").withValues(List.copyOf(excluded))
        .endMatchExpression().build();
  }

  /** Builds the configuration: one webhook for pod CREATE. */
  public static MutatingWebhookConfiguration build(String name, Target target, List<X509Certificate> caBundle,
      LabelSelector namespaceSelector) {
    Objects.requireNonNull(name, "name");
    WebhookClientConfigBuilder client = new WebhookClientConfigBuilder().withCaBundle(pemBase64(caBundle));
    if (target.url() != null) {
      client.withUrl(target.url().toString());
    } else {
      client.withNewService().withNamespace(target.serviceNamespace()).withName(target.serviceName())
          .withPort(target.servicePort()).withPath(WebhookServer.PATH).endService();
    }
    WebhookClientConfig clientConfig = client.build();
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata().withName(name)
        .withLabels(Map.of("app.kubernetes.io/managed-by", "eci-virtual-kubelet")).endMetadata()
        .withWebhooks(new MutatingWebhookBuilder()
            .withName(WEBHOOK_NAME)
            .withClientConfig(clientConfig)
            .withRules(new RuleWithOperationsBuilder()
                .withOperations("CREATE").withApiGroups("").withApiVersions("v1").withResources("pods")
                .withScope("Namespaced").build())
            .withFailurePolicy("Ignore")
            .withMatchPolicy("Equivalent")
            .withSideEffects("None")
            .withTimeoutSeconds(TIMEOUT_SECONDS)
            .withAdmissionReviewVersions("v1", "v1beta1")
            .withReinvocationPolicy("IfNeeded")
            .withNamespaceSelector(namespaceSelector)
            .withObjectSelector(new LabelSelectorBuilder().addNewMatchExpression()
                .withKey(OPT_OUT_LABEL).withOperator("NotIn").withValues("false").endMatchExpression().build())
            .build())
        .build();
  }

  /** Creates the configuration, or replaces an existing one of that name (new caBundle, target). Blocking. */
  public static MutatingWebhookConfiguration apply(KubernetesClient client, MutatingWebhookConfiguration config) {
    MutatingWebhookConfiguration applied = client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .resource(config).createOr(NonDeletingOperation::update);
    LOG.info("event=webhook_configuration_applied name={} resourceVersion={}", applied.getMetadata().getName(),
        applied.getMetadata().getResourceVersion());
    return applied;
  }

  /** The certificates as a base64-encoded PEM bundle, the form of {@code clientConfig.caBundle}. */
  static String pemBase64(List<X509Certificate> certificates) {
    ByteArrayOutputStream pem = new ByteArrayOutputStream();
    Base64.Encoder lines = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    List<X509Certificate> certs = new ArrayList<>(certificates);
    for (X509Certificate c : certs) {
      try {
        pem.writeBytes("-----BEGIN CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII));
        pem.writeBytes(lines.encode(c.getEncoded()));
        pem.writeBytes("\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("cannot encode a CA certificate", e);
      }
    }
    return Base64.getEncoder().encodeToString(pem.toByteArray());
  }
}
