package io.ecivk.agent.webhook;

import io.ecivk.agent.AgentConfig;
import io.ecivk.events.EventRecorder;
import io.ecivk.kubeletapi.tls.ServingCertificate;
import io.ecivk.spi.ProviderEvent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's mutating admission webhook, wired: the namespace-label cache, the eci-profile watcher, the HTTPS
 * server and, when the settings say how the API server reaches it, the MutatingWebhookConfiguration (created or
 * updated with the current caBundle). Start order: caches first (so the first review sees the profile), server,
 * then the configuration (so the API server never calls a port that is not listening yet).
 *
 * <p>On close, the server stops but the configuration stays: with {@code failurePolicy: Ignore} pods are still
 * created while the agent is away (a refused connection fails fast), and a restarting agent replaces it.
 */
public final class PodMutatingWebhook implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodMutatingWebhook.class);
  public static final String MALFORMED_REASON = "MalformedEciProfile";

  private final NamespaceLabels namespaces;
  private final EciProfileWatcher profile;
  private final WebhookServer server;
  private final ServingCertificate certificate;
  private final ExecutorService events;

  private PodMutatingWebhook(NamespaceLabels namespaces, EciProfileWatcher profile, WebhookServer server,
      ServingCertificate certificate, ExecutorService events) {
    this.namespaces = namespaces;
    this.profile = profile;
    this.server = server;
    this.certificate = certificate;
    this.events = events;
  }

  /**
   * Starts the webhook; on failure everything started is stopped.
   *
   * @param configurationName the MutatingWebhookConfiguration's name (one per agent)
   */
  public static PodMutatingWebhook start(AgentConfig.Webhook settings, String configurationName,
      KubernetesClient client, EventRecorder recorder, Clock clock) throws UnknownHostException {
    if (!settings.enabled()) {
      throw new IllegalArgumentException("the webhook is disabled");
    }
    ExecutorService events = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "webhook-events");
      t.setDaemon(true);
      return t;
    });
    NamespaceLabels namespaces = null;
    EciProfileWatcher profile = null;
    WebhookServer server = null;
    try {
      namespaces = NamespaceLabels.start(client);
      profile = new EciProfileWatcher((ConfigMap cm, String error) -> events.execute(() -> recorder.record(cm,
          ProviderEvent.warning(MALFORMED_REASON, "selectors ignored, the previous profile stays in force: "
              + error)))).start(client);
      Set<String> excluded = new LinkedHashSet<>(List.of("kube-system"));
      if (settings.agentNamespace() != null) {
        excluded.add(settings.agentNamespace());
      }
      AdmissionHandler handler = new AdmissionHandler(profile, namespaces, excluded);
      InetAddress bind = InetAddress.getByName(settings.bindAddress());
      WebhookConfigurations.Target target = settings.target();
      ServingCertificate certificate = settings.certFile() != null
          ? ServingCertificate.fromPem(settings.certFile(), settings.keyFile())
          : selfSigned(target, bind, clock);
      server = new WebhookServer(bind, settings.port(), certificate, handler).start();
      if (target != null) {
        List<java.security.cert.X509Certificate> chain = certificate.chain();
        WebhookConfigurations.apply(client, WebhookConfigurations.build(configurationName, target,
            List.of(chain.get(chain.size() - 1)), WebhookConfigurations.excludingNamespaces(List.copyOf(excluded))));
      } else {
        LOG.info("event=webhook_not_registered reason=\"no --webhook-url or --webhook-service\"");
      }
      return new PodMutatingWebhook(namespaces, profile, server, certificate, events);
    } catch (RuntimeException | UnknownHostException e) {
      closeQuietly(server);
      closeQuietly(profile);
      closeQuietly(namespaces);
      events.shutdownNow();
      throw e;
    }
  }

  /** A self-signed certificate naming the target (DNS name or IP) and the bind address. */
  static ServingCertificate selfSigned(WebhookConfigurations.Target target, InetAddress bind, Clock clock)
      throws UnknownHostException {
    List<String> dns = new ArrayList<>();
    List<InetAddress> ips = new ArrayList<>();
    if (target != null) {
      for (String host : target.dnsNames()) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.matches("[0-9.]+") || h.contains(":")) {
          ips.add(InetAddress.getByName(h));
        } else {
          dns.add(h);
        }
      }
    }
    if (!bind.isAnyLocalAddress() && !ips.contains(bind)) {
      ips.add(bind);
    }
    if (dns.isEmpty() && ips.isEmpty()) {
      dns.add("eci-virtual-kubelet-webhook");
    }
    return ServingCertificate.selfSigned(dns, ips, clock);
  }

  public int port() {
    return server.port();
  }

  /** The serving certificate chain (leaf first): what a caBundle must trust when registering elsewhere. */
  public List<java.security.cert.X509Certificate> servingChain() {
    return certificate.chain();
  }

  /** The profile now in force (for diagnostics and tests). */
  public EciProfile profile() {
    return profile.get();
  }

  @Override
  public void close() {
    closeQuietly(server);
    closeQuietly(profile);
    closeQuietly(namespaces);
    events.shutdownNow();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("error while stopping {}", c.getClass().getSimpleName(), e);
    }
  }
}
