package io.ecivk.agent;

import io.ecivk.agent.webhook.PodMutatingWebhook;
import io.ecivk.agent.burst.BurstBinder;
import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.events.EventRecorder;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.provider.EciProvider;
import io.ecivk.eci.provider.EciProviderConfig;
import io.ecivk.kubeletapi.KubeletServer;
import io.ecivk.kubeletapi.auth.KubeReviewers;
import io.ecivk.kubeletapi.auth.KubeletAuth;
import io.ecivk.kubeletapi.remotecommand.RemoteCommandHandler;
import io.ecivk.kubeletapi.tls.ClientCa;
import io.ecivk.kubeletapi.tls.ServingCertificate;
import io.ecivk.node.NodeConfig;
import io.ecivk.node.NodeController;
import io.ecivk.pod.PodController;
import io.ecivk.pod.PodControllerConfig;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: one virtual node backed by ECI. Starts its parts in the order virtual-kubelet uses, so the
 * node is advertised last: the provider (status polling), the pod controller (informer synced, workers running),
 * then the node (registration, Lease). Stops them in reverse.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  public static final String PROVIDER_TAINT_KEY = "virtual-kubelet.io/provider";
  public static final String PROVIDER_TAINT_VALUE = "alibabacloud";
  public static final String UNREACHABLE_TAINT_KEY = "virtual-kubelet.io/provider-unreachable";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final KubernetesClient client;
  private final EciProvider provider;
  private final PodController pods;
  private final KubeletServer kubelet;
  private final NodeController node;
  private final ScheduledExecutorService scheduler;
  private final String nodeName;
  /** Null when disabled. */
  private final PodMutatingWebhook webhook;
  /** Null when disabled. */
  private final BurstBinder burst;

  private Agent(KubernetesClient client, EciProvider provider, PodController pods, KubeletServer kubelet,
      NodeController node, ScheduledExecutorService scheduler, String nodeName, BurstBinder burst,
      PodMutatingWebhook webhook) {
    this.client = client;
    this.provider = provider;
    this.pods = pods;
    this.kubelet = kubelet;
    this.node = node;
    this.scheduler = scheduler;
    this.nodeName = nodeName;
    this.burst = burst;
    this.webhook = webhook;
  }

  /** Starts an agent and returns once its node is registered; on failure everything started is stopped. */
  public static Agent start(AgentConfig config, Config kubeConfig) throws Exception {
    return start(config, new KubernetesClientBuilder().withConfig(kubeConfig).build(), Clock.systemUTC());
  }

  static Agent start(AgentConfig config, KubernetesClient client, Clock clock) throws Exception {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemonThreads("vk-scheduler"));
    EciProvider provider = null;
    PodController pods = null;
    KubeletServer kubelet = null;
    NodeController node = null;
    PodMutatingWebhook webhook = null;
    BurstBinder burst = null;
    try {
      String clusterId = config.clusterId() != null ? config.clusterId() : kubeSystemUid(client);
      TeaEciClient eci = new TeaEciClient(
          new EciClientConfig(config.eciEndpoint(), config.region(), config.credentials(), null, null));
      provider = new EciProvider(eci, new EciProviderConfig(clusterId, config.nodeName(), config.vSwitchIds(),
          config.securityGroupId(), config.capacity(), config.statusInterval(), null, clusterDns(config, client),
          config.clusterDomain()), clock);
      provider.start();

      pods = new PodController(client, provider,
          new PodControllerConfig(config.nodeName(), AgentConfig.COMPONENT, config.workers(),
              PodControllerConfig.DEFAULT_RESYNC),
          clock, scheduler, provider::capacity);
      pods.start();
      pods.ready().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

      // Before the node: the node advertises the port the kubelet API actually listens on.
      kubelet = startKubeletApi(config, client, provider, pods, clock);

      node = new NodeController(client, provider, nodeConfig(config, client, kubelet.port()), clock, scheduler);
      node.start();
      node.ready().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

      // Last: it binds pods to the node, which must be registered and Ready by then.
      if (config.burst().enabled()) {
        PodController boundPods = pods;
        burst = new BurstBinder(client, config.nodeName(), config.burst().delay(), boundPods::pods,
            PROVIDER_TAINT_KEY, PROVIDER_TAINT_VALUE, AgentConfig.COMPONENT, clock, scheduler);
        burst.start();
        burst.ready().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      LOG.info("agent started node={} region={} zone={} clusterId={} eciEndpoint={} credentials={} clusterDns={}"
              + " kubeletApi={}:{}",
          config.nodeName(), config.region(), config.zone(), clusterId, config.eciEndpoint(), config.credentials(),
          provider.config().clusterDns(), config.nodeIp(), kubelet.port());
      webhook = config.webhook().enabled() ? startWebhook(config, client, clock) : null;
      return new Agent(client, provider, pods, kubelet, node, scheduler, config.nodeName(), burst, webhook);
    } catch (Exception | Error e) {
      stop(webhook, burst, node, kubelet, pods, provider, scheduler, client);
      throw e;
    }
  }

  public String nodeName() {
    return nodeName;
  }

  public KubernetesClient client() {
    return client;
  }

  /** The burst binder; empty when disabled. */
  public Optional<BurstBinder> burstBinder() {
    return Optional.ofNullable(burst);
  }

  /** The port the kubelet API listens on (and the node advertises). */
  public int kubeletPort() {
    return kubelet.port();
  }

  /** The webhook's port; empty when it is disabled. */
  public Optional<Integer> webhookPort() {
    PodMutatingWebhook w = webhook;
    return w == null ? Optional.empty() : Optional.of(w.port());
  }

  /**
   * The mutating admission webhook, last: the virtual node it routes pods to exists by then. Its configuration is
   * named after the node, so agents of several zones do not overwrite each other's caBundle.
   */
  static PodMutatingWebhook startWebhook(AgentConfig config, KubernetesClient client, Clock clock)
      throws UnknownHostException {
    return PodMutatingWebhook.start(config.webhook(), AgentConfig.COMPONENT + "-" + config.nodeName(), client,
        new EventRecorder(client, AgentConfig.COMPONENT, config.nodeName(), clock), clock);
  }

  @Override
  public void close() {
    LOG.info("agent stopping node={}", nodeName);
    stop(webhook, burst, node, kubelet, pods, provider, scheduler, client);
    LOG.info("agent stopped node={}", nodeName);
  }

  /**
   * Stops the parts in the reverse of their start order (those that bind or route pods first, the provider
   * last); null parts were never started.
   */
  private static void stop(PodMutatingWebhook webhook, BurstBinder burst, NodeController node, KubeletServer kubelet,
      PodController pods, EciProvider provider, ScheduledExecutorService scheduler, KubernetesClient client) {
    closeQuietly(webhook);
    closeQuietly(burst);
    closeQuietly(node);
    closeQuietly(kubelet);
    closeQuietly(pods);
    closeQuietly(provider);
    scheduler.shutdownNow();
    client.close();
  }

  /**
   * The kubelet API on {@code nodeIp:kubeletPort}: logs, exec and stats of the node's pods, authenticated and
   * authorized as the kubelet does (client certificates against the client CA, bearer tokens through TokenReview,
   * SubjectAccessReview).
   */
  static KubeletServer startKubeletApi(AgentConfig config, KubernetesClient client, EciProvider provider,
      PodController pods, Clock clock) throws UnknownHostException {
    AgentConfig.KubeletApi api = config.kubeletApi();
    InetAddress address = InetAddress.getByName(config.nodeIp());
    ServingCertificate certificate = api.tlsCertFile() != null
        ? ServingCertificate.fromPem(api.tlsCertFile(), api.tlsPrivateKeyFile())
        : ServingCertificate.selfSigned(List.of(config.nodeName()), List.of(address), clock);
    List<X509Certificate> clientCa = clientCa(api, client);
    return KubeletServer.builder()
        .bindAddress(address)
        .port(config.kubeletPort())
        .nodeName(config.nodeName())
        .servingCertificate(certificate)
        .auth(new KubeletAuth.Settings(clientCa, Optional.of(KubeReviewers.tokenReviewer(client)),
            Optional.of(KubeReviewers.accessReviewer(client)), api.anonymousAuth(), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofSeconds(30)))
        .pods(pods::pods)
        .provider(provider)
        .streamingHandler(new RemoteCommandHandler(provider))
        .clock(clock)
        .build()
        .start();
  }

  /** The configured client CA bundle, else the cluster CA; without either, client certificates are not accepted. */
  private static List<X509Certificate> clientCa(AgentConfig.KubeletApi api, KubernetesClient client) {
    if (api.clientCaFile() != null) {
      return ServingCertificate.readCertificates(api.clientCaFile());
    }
    try {
      return ClientCa.fromKubeRootCaConfigMap(client, "kube-system");
    } catch (RuntimeException e) {
      LOG.warn("no client CA: --client-ca-file not set and kube-system/{} unreadable ({}); the kubelet API accepts"
          + " bearer tokens only", ClientCa.CONFIG_MAP, e.toString());
      return List.of();
    }
  }

  static NodeConfig nodeConfig(AgentConfig config, KubernetesClient client, int kubeletPort) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("type", "virtual-kubelet");
    labels.put("kubernetes.io/role", "agent");
    labels.put("kubernetes.io/hostname", config.nodeName());
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("topology.kubernetes.io/region", config.region());
    labels.put("topology.kubernetes.io/zone", config.zone());
    labels.putAll(config.extraNodeLabels());
    Taint providerTaint = new TaintBuilder()
        .withKey(PROVIDER_TAINT_KEY).withValue(PROVIDER_TAINT_VALUE).withEffect("NoSchedule").build();
    return NodeConfig.builder()
        .nodeName(config.nodeName())
        .labels(labels)
        .taints(List.of(providerTaint))
        .internalIp(config.nodeIp())
        .kubeletPort(kubeletPort)
        .kubeletVersion(kubeletVersion(client))
        .operatingSystem("linux")
        .architecture("amd64")
        .leaseRenewInterval(config.leaseRenewInterval())
        .leaseDuration(config.leaseRenewInterval().multipliedBy(4))
        .statusUpdateInterval(config.nodeStatusInterval())
        .pingInterval(config.pingInterval())
        .providerTaintKey(UNREACHABLE_TAINT_KEY)
        .build();
  }

  /** Like ACK's virtual node: the cluster's version with our own suffix, e.g. v1.20.2-eci-vk-0.1.0. */
  private static String kubeletVersion(KubernetesClient client) {
    String ours = Agent.class.getPackage().getImplementationVersion();
    String cluster;
    try {
      cluster = client.getKubernetesVersion().getGitVersion();
    } catch (RuntimeException e) {
      cluster = "v0.0.0";
    }
    return cluster + "-eci-vk-" + (ours == null ? "dev" : ours);
  }

  /** The configured cluster DNS, else the kube-system/kube-dns Service IP (what kubeadm and ACK clusters run). */
  static List<String> clusterDns(AgentConfig config, KubernetesClient client) {
    if (!config.clusterDns().isEmpty()) {
      return config.clusterDns();
    }
    Service kubeDns = client.services().inNamespace("kube-system").withName("kube-dns").get();
    String ip = kubeDns == null || kubeDns.getSpec() == null ? null : kubeDns.getSpec().getClusterIP();
    if (ip == null || ip.isBlank() || "None".equals(ip)) {
      LOG.warn("no cluster DNS: no --cluster-dns and no kube-system/kube-dns Service; ClusterFirst pods will use"
          + " the VPC's DNS (a MissingClusterDNS event says so on each pod)");
      return List.of();
    }
    return List.of(ip);
  }

  private static String kubeSystemUid(KubernetesClient client) {
    Namespace kubeSystem = client.namespaces().withName("kube-system").get();
    if (kubeSystem == null) {
      throw new IllegalStateException("namespace kube-system not found; pass --cluster-id");
    }
    return kubeSystem.getMetadata().getUid();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
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
