package io.ecivk.agent;

import io.ecivk.eci.client.EciCredentials;
import io.fabric8.kubernetes.api.model.Quantity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the agent needs, validated once. Built from flags and environment variables by the {@code run}
 * command, or directly by the demo and tests.
 *
 * @param clusterId tags every container group; null means "the UID of the kube-system namespace"
 * @param nodeIp the node's InternalIP (where the kubelet API is reached)
 * @param clusterDns the cluster DNS servers for ClusterFirst pods; empty means "the kube-system/kube-dns Service
 *     IP", looked up at start (pods fall back to the VPC's DNS, with a warning event, when there is none)
 * @param clusterDomain the cluster's DNS domain, e.g. {@code cluster.local}
 * @param kubeletPort the kubelet API's port, advertised on the node; 0 picks a free port (tests, the demo)
 * @param kubeletApi how the kubelet API is secured
 * @param burst the burst binder's settings
 */
public record AgentConfig(
    String nodeName,
    String region,
    String zone,
    Map<String, String> extraNodeLabels,
    List<String> vSwitchIds,
    String securityGroupId,
    URI eciEndpoint,
    EciCredentials credentials,
    String clusterId,
    String nodeIp,
    int kubeletPort,
    Map<String, Quantity> capacity,
    int workers,
    Duration statusInterval,
    Duration pingInterval,
    Duration leaseRenewInterval,
    Duration nodeStatusInterval,
    List<String> clusterDns,
    String clusterDomain,
    Webhook webhook,
    KubeletApi kubeletApi,
    Burst burst) {

  public static final String COMPONENT = "eci-virtual-kubelet";
  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

  public AgentConfig {
    require(nodeName, "node name");
    require(region, "region");
    require(zone, "zone");
    extraNodeLabels = Map.copyOf(extraNodeLabels);
    vSwitchIds = List.copyOf(vSwitchIds);
    if (vSwitchIds.isEmpty()) {
      throw new IllegalArgumentException("at least one vSwitch is needed (--vswitch / ECI_VSWITCH)");
    }
    require(securityGroupId, "security group (--security-group / ECI_SECURITY_GROUP)");
    Objects.requireNonNull(eciEndpoint, "eciEndpoint");
    Objects.requireNonNull(credentials, "credentials");
    require(nodeIp, "node IP");
    if (kubeletPort < 0 || kubeletPort > 65535) {
      throw new IllegalArgumentException("kubelet port must be 0-65535, got " + kubeletPort);
    }
    capacity = Map.copyOf(capacity);
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    positive(statusInterval, "status interval");
    positive(pingInterval, "provider ping interval");
    positive(leaseRenewInterval, "lease renew interval");
    positive(nodeStatusInterval, "node status interval");
    clusterDns = List.copyOf(clusterDns);
    require(clusterDomain, "cluster domain (--cluster-domain)");
    Objects.requireNonNull(webhook, "webhook");
    Objects.requireNonNull(kubeletApi, "kubeletApi");
    Objects.requireNonNull(burst, "burst");
  }

  /**
   * The burst binder ({@code io.ecivk.agent.burst}): binds pods that ask for ECI to the virtual node once the
   * scheduler found no room for them.
   *
   * @param enabled whether the binder runs
   * @param delay how long a {@code burst-resource: eci} pod must have been Unschedulable before it is bound, so
   *     that a cluster-autoscaler can add an owned node first; zero binds at once
   */
  public record Burst(boolean enabled, Duration delay) {
    public Burst {
      if (delay == null || delay.isNegative()) {
        throw new IllegalArgumentException("burst delay must be zero or positive, got " + delay);
      }
    }

    /** On, no delay. */
    public static Burst defaults() {
      return new Burst(true, Duration.ZERO);
    }
  }

  /**
   * The pod mutating admission webhook ({@code io.ecivk.agent.webhook}).
   *
   * @param enabled whether it runs at all
   * @param bindAddress where it listens, e.g. {@code 0.0.0.0}
   * @param port its HTTPS port; 0 picks a free one (tests)
   * @param certFile serving certificate (PEM); null: self-signed at start for the target's name or IP
   * @param keyFile its key (PEM); set together with {@code certFile}
   * @param url how the API server reaches it (URL mode), e.g. {@code https://10.0.0.5:9443/mutate-pods}
   * @param service how the API server reaches it (Service mode): {@code namespace/name[:port]}; with neither, the
   *     MutatingWebhookConfiguration is not managed by the agent
   * @param agentNamespace the agent's own namespace, never mutated; null when unknown
   */
  public record Webhook(boolean enabled, String bindAddress, int port, Path certFile, Path keyFile, URI url,
      String service, String agentNamespace) {
    public static final int DEFAULT_PORT = 9443;

    public Webhook {
      if ((certFile == null) != (keyFile == null)) {
        throw new IllegalArgumentException("--webhook-cert-file and --webhook-key-file must be given together");
      }
      if (enabled) {
        require(bindAddress, "webhook bind address");
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("webhook port must be 0-65535, got " + port);
        }
        if (url != null && service != null) {
          throw new IllegalArgumentException("--webhook-url and --webhook-service are exclusive");
        }
        target(); // validates
      }
    }

    public static Webhook disabled() {
      return new Webhook(false, null, 0, null, null, null, null, null);
    }

    /** Where the API server reaches the webhook, or null when the agent does not register it. */
    public io.ecivk.agent.webhook.WebhookConfigurations.Target target() {
      if (url != null) {
        return io.ecivk.agent.webhook.WebhookConfigurations.Target.url(url);
      }
      if (service != null) {
        return io.ecivk.agent.webhook.WebhookConfigurations.Target.service(service);
      }
      return null;
    }
  }

  /**
   * Security of the kubelet API, as the kubelet's own flags say it.
   *
   * @param tlsCertFile the serving certificate (PEM, chain allowed); null: a self-signed one made at start for
   *     the node's name and IP (the API server does not verify kubelet certificates unless told to)
   * @param tlsPrivateKeyFile its key (PEM); set together with {@code tlsCertFile}
   * @param clientCaFile CA bundle that client certificates are verified against; null: the cluster CA from the
   *     {@code kube-system/kube-root-ca.crt} ConfigMap (it signs the API server's kubelet client certificate in
   *     kubeadm-style clusters)
   * @param anonymousAuth whether requests without credentials are served (as {@code system:anonymous}, still
   *     subject to authorization)
   */
  public record KubeletApi(Path tlsCertFile, Path tlsPrivateKeyFile, Path clientCaFile, boolean anonymousAuth) {
    public KubeletApi {
      if ((tlsCertFile == null) != (tlsPrivateKeyFile == null)) {
        throw new IllegalArgumentException("--tls-cert-file and --tls-private-key-file must be given together");
      }
    }

    /** Self-signed serving certificate, cluster CA for clients, no anonymous access. */
    public static KubeletApi defaults() {
      return new KubeletApi(null, null, null, false);
    }
  }

  /**
   * A builder whose defaults are the {@code run} command's: tests, the demo and the command set only what they
   * mean. New settings get a component, a builder field with its default and a setter here, so call sites that
   * do not care stay untouched.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private String nodeName;
    private String region;
    private String zone;
    private Map<String, String> extraNodeLabels = Map.of();
    private List<String> vSwitchIds = List.of();
    private String securityGroupId;
    private URI eciEndpoint;
    private EciCredentials credentials;
    private String clusterId;
    private String nodeIp;
    private int kubeletPort = 10250;
    private Map<String, Quantity> capacity = Map.of(
        "cpu", new Quantity("1000"), "memory", new Quantity("4Ti"), "pods", new Quantity("1000"));
    private int workers = 10;
    private Duration statusInterval = Duration.ofSeconds(3);
    private Duration pingInterval = Duration.ofSeconds(10);
    private Duration leaseRenewInterval = Duration.ofSeconds(10);
    private Duration nodeStatusInterval = Duration.ofSeconds(60);
    private List<String> clusterDns = List.of();
    private String clusterDomain = DEFAULT_CLUSTER_DOMAIN;
    private Webhook webhook = Webhook.disabled();
    private KubeletApi kubeletApi = KubeletApi.defaults();
    private Burst burst = Burst.defaults();

    private Builder() {}

    /** Default: {@code virtual-kubelet-<zone>}. */
    public Builder nodeName(String nodeName) {
      this.nodeName = nodeName;
      return this;
    }

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    public Builder extraNodeLabels(Map<String, String> extraNodeLabels) {
      this.extraNodeLabels = extraNodeLabels;
      return this;
    }

    public Builder vSwitchIds(List<String> vSwitchIds) {
      this.vSwitchIds = vSwitchIds;
      return this;
    }

    public Builder securityGroupId(String securityGroupId) {
      this.securityGroupId = securityGroupId;
      return this;
    }

    public Builder eciEndpoint(URI eciEndpoint) {
      this.eciEndpoint = eciEndpoint;
      return this;
    }

    public Builder credentials(EciCredentials credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder clusterId(String clusterId) {
      this.clusterId = clusterId;
      return this;
    }

    public Builder nodeIp(String nodeIp) {
      this.nodeIp = nodeIp;
      return this;
    }

    public Builder kubeletPort(int kubeletPort) {
      this.kubeletPort = kubeletPort;
      return this;
    }

    public Builder capacity(Map<String, Quantity> capacity) {
      this.capacity = capacity;
      return this;
    }

    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    public Builder statusInterval(Duration statusInterval) {
      this.statusInterval = statusInterval;
      return this;
    }

    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = pingInterval;
      return this;
    }

    public Builder leaseRenewInterval(Duration leaseRenewInterval) {
      this.leaseRenewInterval = leaseRenewInterval;
      return this;
    }

    public Builder nodeStatusInterval(Duration nodeStatusInterval) {
      this.nodeStatusInterval = nodeStatusInterval;
      return this;
    }

    public Builder clusterDns(List<String> clusterDns) {
      this.clusterDns = clusterDns;
      return this;
    }

    public Builder clusterDomain(String clusterDomain) {
      this.clusterDomain = clusterDomain;
      return this;
    }

    public Builder webhook(Webhook webhook) {
      this.webhook = webhook;
      return this;
    }

    public Builder kubeletApi(KubeletApi kubeletApi) {
      this.kubeletApi = kubeletApi;
      return this;
    }

    public Builder burst(Burst burst) {
      this.burst = burst;
      return this;
    }

    /** Validates and returns the configuration; IllegalArgumentException names the bad setting. */
    public AgentConfig build() {
      String name = nodeName == null || nodeName.isBlank()
          ? (zone == null ? null : defaultNodeName(zone)) : nodeName;
      return new AgentConfig(name, region, zone, extraNodeLabels, vSwitchIds, securityGroupId, eciEndpoint,
          credentials, clusterId, nodeIp, kubeletPort, capacity, workers, statusInterval, pingInterval,
          leaseRenewInterval, nodeStatusInterval, clusterDns, clusterDomain, webhook, kubeletApi, burst);
    }
  }

  /** The name ACK gives a zone's virtual node. */
  public static String defaultNodeName(String zone) {
    return "virtual-kubelet-" + zone;
  }

  private static void require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing " + what);
    }
  }

  private static void positive(Duration d, String what) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}
