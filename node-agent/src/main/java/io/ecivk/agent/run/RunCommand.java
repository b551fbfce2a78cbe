package io.ecivk.agent.run;

import io.ecivk.agent.Agent;
import io.ecivk.agent.AgentConfig;
import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code node-agent run}: registers the virtual node and runs its pods on ECI until stopped (SIGTERM).
 *
 * <p>Every flag can also be set by an environment variable: the names ack-virtual-node users know where one
 * exists ({@code ECI_REGION}, {@code ECI_VSWITCH}, {@code ECI_SECURITY_GROUP}, {@code ALIYUN_CLUSTERID}), else
 * {@code VK_<FLAG>}. Credentials are never flags (they would show in the process list): they come from the
 * Alibaba Cloud credentials chain ({@code ALIBABA_CLOUD_ACCESS_KEY_ID} / {@code _SECRET} first), or from
 * {@code ECI_ACCESS_KEY} / {@code ECI_SECRET_KEY}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Registers the virtual node and runs the pods bound to it as ECI container groups.",
    footer = {
      "",
      "Credentials (never flags, never logged): ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET"
          + " (with ALIBABA_CLOUD_SECURITY_TOKEN for STS), else ECI_ACCESS_KEY and ECI_SECRET_KEY, else the rest of"
          + " the Alibaba Cloud default credentials chain (RRSA/OIDC, ~/.alibabacloud/credentials, the instance RAM role)."
    })
public final class RunCommand implements Callable<Integer> {

  @Option(names = "--kubeconfig", defaultValue = "${env:VK_KUBECONFIG}",
      description = "kubeconfig file; default $KUBECONFIG, ~/.kube/config, else the in-cluster service account. [VK_KUBECONFIG]")
  Path kubeconfig;

  @Option(names = "--region", defaultValue = "${env:ECI_REGION}", description = "ECI region, e.g. cn-hangzhou. [ECI_REGION]")
  String region;

  @Option(names = "--zone", defaultValue = "${env:VK_ZONE}", description = "The zone the node stands for, e.g. cn-hangzhou-i. [VK_ZONE]")
  String zone;

  @Option(names = "--node-name", defaultValue = "${env:VK_NODE_NAME}",
      description = "Node name; default virtual-kubelet-<zone>, as ACK names it. [VK_NODE_NAME]")
  String nodeName;

  @Option(names = "--node-label", split = ",", defaultValue = "${env:VK_NODE_LABEL}",
      description = "Extra node label k=v; repeatable or comma-separated. [VK_NODE_LABEL]")
  List<String> nodeLabels = new ArrayList<>();

  @Option(names = "--vswitch", split = ",", defaultValue = "${env:ECI_VSWITCH}",
      description = "vSwitch id, one per zone; repeatable or comma-separated. [ECI_VSWITCH]")
  List<String> vSwitches = new ArrayList<>();

  @Option(names = "--security-group", defaultValue = "${env:ECI_SECURITY_GROUP}",
      description = "Security group of the container groups. [ECI_SECURITY_GROUP]")
  String securityGroup;

  @Option(names = "--eci-endpoint", defaultValue = "${env:VK_ECI_ENDPOINT}",
      description = "ECI API endpoint; default https://eci.<region>.aliyuncs.com. [VK_ECI_ENDPOINT]")
  URI eciEndpoint;

  @Option(names = "--cluster-id", defaultValue = "${env:ALIYUN_CLUSTERID}",
      description = "Cluster id tagged on every container group; default the UID of the kube-system namespace. [ALIYUN_CLUSTERID]")
  String clusterId;

  @Option(names = "--cluster-dns", split = ",", defaultValue = "${env:VK_CLUSTER_DNS}",
      description = "Cluster DNS server IP(s) for ClusterFirst pods; default the kube-system/kube-dns Service IP."
          + " It must be reachable from ECI. [VK_CLUSTER_DNS]")
  List<String> clusterDns = new ArrayList<>();

  @Option(names = "--cluster-domain", defaultValue = "${env:VK_CLUSTER_DOMAIN:-cluster.local}",
      description = "Cluster DNS domain (default: ${DEFAULT-VALUE}). [VK_CLUSTER_DOMAIN]")
  String clusterDomain;

  @Option(names = "--node-ip", defaultValue = "${env:VK_NODE_IP}",
      description = "InternalIP the node advertises; default $POD_IP (downward API), else this host's address. [VK_NODE_IP]")
  String nodeIp;

  @Option(names = "--kubelet-port", defaultValue = "${env:VK_KUBELET_PORT:-10250}",
      description = "Kubelet API port the node advertises (default: ${DEFAULT-VALUE}). [VK_KUBELET_PORT]")
  int kubeletPort;

  @Option(names = "--tls-cert-file", defaultValue = "${env:VK_TLS_CERT_FILE}",
      description = "Kubelet API serving certificate (PEM); default: self-signed at start for the node's name and IP. [VK_TLS_CERT_FILE]")
  Path tlsCertFile;

  @Option(names = "--tls-private-key-file", defaultValue = "${env:VK_TLS_PRIVATE_KEY_FILE}",
      description = "Key of --tls-cert-file (PEM). [VK_TLS_PRIVATE_KEY_FILE]")
  Path tlsPrivateKeyFile;

  @Option(names = "--client-ca-file", defaultValue = "${env:VK_CLIENT_CA_FILE}",
      description = "CA bundle for kubelet API client certificates; default: the cluster CA (kube-system/kube-root-ca.crt). [VK_CLIENT_CA_FILE]")
  Path clientCaFile;

  @Option(names = "--anonymous-auth", defaultValue = "${env:VK_ANONYMOUS_AUTH:-false}", arity = "1",
      description = "Serve kubelet API requests without credentials as system:anonymous, still authorized through SubjectAccessReview (default: ${DEFAULT-VALUE}). [VK_ANONYMOUS_AUTH]")
  boolean anonymousAuth;

  @Option(names = "--cpu", defaultValue = "${env:VK_CPU:-1000}", description = "Node cpu capacity (default: ${DEFAULT-VALUE}). [VK_CPU]")
  String cpu;

  @Option(names = "--memory", defaultValue = "${env:VK_MEMORY:-4Ti}", description = "Node memory capacity (default: ${DEFAULT-VALUE}). [VK_MEMORY]")
  String memory;

  @Option(names = "--pods", defaultValue = "${env:VK_PODS:-1000}", description = "Node pod capacity (default: ${DEFAULT-VALUE}). [VK_PODS]")
  String pods;

  @Option(names = "--workers", defaultValue = "${env:VK_WORKERS:-10}",
      description = "Pods reconciled in parallel (default: ${DEFAULT-VALUE}). [VK_WORKERS]")
  int workers;

  @Option(names = "--status-interval", defaultValue = "${env:VK_STATUS_INTERVAL:-PT3S}",
      description = "How often ECI statuses are polled, ISO-8601 (default: ${DEFAULT-VALUE}). [VK_STATUS_INTERVAL]")
  Duration statusInterval;

  @Option(names = "--provider-ping-interval", defaultValue = "${env:VK_PROVIDER_PING_INTERVAL:-PT10S}",
      description = "How often ECI reachability is checked (default: ${DEFAULT-VALUE}). [VK_PROVIDER_PING_INTERVAL]")
  Duration pingInterval;

  @Option(names = "--lease-renew-interval", defaultValue = "${env:VK_LEASE_RENEW_INTERVAL:-PT10S}",
      description = "Node Lease renew interval; the Lease lasts 4x this (default: ${DEFAULT-VALUE}). [VK_LEASE_RENEW_INTERVAL]")
  Duration leaseRenewInterval;

  @Option(names = "--node-status-interval", defaultValue = "${env:VK_NODE_STATUS_INTERVAL:-PT60S}",
      description = "Node status heartbeat interval (default: ${DEFAULT-VALUE}). [VK_NODE_STATUS_INTERVAL]")
  Duration nodeStatusInterval;

  @Option(names = "--webhook", defaultValue = "${env:VK_WEBHOOK:-false}", arity = "0..1",
      description = "Run the pod mutating admission webhook (eci_only / alibabacloud.com/eci=true pods to the virtual"
          + " node, kube-system/eci-profile selectors) (default: ${DEFAULT-VALUE}). [VK_WEBHOOK]")
  boolean webhook;

  @Option(names = "--webhook-bind-address", defaultValue = "${env:VK_WEBHOOK_BIND_ADDRESS:-0.0.0.0}",
      description = "Address the webhook listens on (default: ${DEFAULT-VALUE}). [VK_WEBHOOK_BIND_ADDRESS]")
  String webhookBindAddress;

  @Option(names = "--webhook-port", defaultValue = "${env:VK_WEBHOOK_PORT:-9443}",
      description = "Webhook HTTPS port (default: ${DEFAULT-VALUE}). [VK_WEBHOOK_PORT]")
  int webhookPort;

  @Option(names = "--webhook-cert-file", defaultValue = "${env:VK_WEBHOOK_CERT_FILE}",
      description = "Webhook serving certificate (PEM, e.g. from a mounted Secret; the last certificate of the file"
          + " goes into the caBundle); default: self-signed at start. [VK_WEBHOOK_CERT_FILE]")
  Path webhookCertFile;

  @Option(names = "--webhook-key-file", defaultValue = "${env:VK_WEBHOOK_KEY_FILE}",
      description = "Key of --webhook-cert-file (PEM). [VK_WEBHOOK_KEY_FILE]")
  Path webhookKeyFile;

  @Option(names = "--webhook-url", defaultValue = "${env:VK_WEBHOOK_URL}",
      description = "How the API server reaches the webhook, e.g. https://10.0.0.5:9443/mutate-pods; the agent then"
          + " creates/updates its MutatingWebhookConfiguration. [VK_WEBHOOK_URL]")
  URI webhookUrl;

  @Option(names = "--webhook-service", defaultValue = "${env:VK_WEBHOOK_SERVICE}",
      description = "Like --webhook-url, through a Service: namespace/name[:port]. [VK_WEBHOOK_SERVICE]")
  String webhookService;

  @Option(names = "--burst-binder", defaultValue = "${env:VK_BURST_BINDER:-true}", arity = "1",
      description = "Bind pods annotated alibabacloud.com/burst-resource (eci, eci_only) or labelled alibabacloud.com/eci=true"
          + " to the virtual node when the scheduler finds no room for them (default: ${DEFAULT-VALUE}). [VK_BURST_BINDER]")
  boolean burstBinder;

  @Option(names = "--burst-delay", defaultValue = "${env:VK_BURST_DELAY:-PT0S}",
      description = "How long a burst-resource=eci pod must be Unschedulable before it goes to ECI, so a"
          + " cluster-autoscaler can act first, ISO-8601 (default: ${DEFAULT-VALUE}). [VK_BURST_DELAY]")
  Duration burstDelay;

  @Override
  public Integer call() throws Exception {
    AgentConfig config = toConfig(System.getenv());
    Config kube = kubeConfig();
    Agent agent = Agent.start(config, kube);
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM/Ctrl-C: the JVM runs only shutdown hooks, so the orderly stop happens in the hook.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "agent-shutdown"));
    stopped.await();
    return 0;
  }

  AgentConfig toConfig(Map<String, String> env) {
    requireFlag(region, "--region", "ECI_REGION");
    requireFlag(zone, "--zone", "VK_ZONE");
    Map<String, String> labels = new LinkedHashMap<>();
    for (String label : nodeLabels) {
      if (label.isBlank()) {
        continue;
      }
      int eq = label.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--node-label must be key=value, got '" + label + "'");
      }
      labels.put(label.substring(0, eq).trim(), label.substring(eq + 1).trim());
    }
    Map<String, Quantity> capacity = Map.of(
        "cpu", quantity(cpu, "--cpu"), "memory", quantity(memory, "--memory"), "pods", quantity(pods, "--pods"));
    return AgentConfig.builder()
        .nodeName(nodeName)
        .region(region)
        .zone(zone)
        .extraNodeLabels(labels)
        .vSwitchIds(vSwitches.stream().map(String::trim).filter(s -> !s.isEmpty()).toList())
        .securityGroupId(securityGroup)
        .eciEndpoint(eciEndpoint == null ? EciClientConfig.publicEndpoint(region) : eciEndpoint)
        .credentials(credentials(env))
        .clusterId(clusterId == null || clusterId.isBlank() ? null : clusterId)
        .nodeIp(nodeIp == null || nodeIp.isBlank() ? defaultNodeIp(env) : nodeIp)
        .kubeletPort(kubeletPort)
        .capacity(capacity)
        .workers(workers)
        .statusInterval(statusInterval)
        .pingInterval(pingInterval)
        .leaseRenewInterval(leaseRenewInterval)
        .nodeStatusInterval(nodeStatusInterval)
        .clusterDns(clusterDns.stream().map(String::trim).filter(ip -> !ip.isEmpty()).toList())
        .clusterDomain(clusterDomain)
        .webhook(webhookConfig(env))
        .kubeletApi(new AgentConfig.KubeletApi(tlsCertFile, tlsPrivateKeyFile, clientCaFile, anonymousAuth))
        .burst(new AgentConfig.Burst(burstBinder, burstDelay))
        .build();
  }

  /** The webhook settings; the agent's namespace (never mutated) from $POD_NAMESPACE (downward API). */
  AgentConfig.Webhook webhookConfig(Map<String, String> env) {
    if (!webhook) {
      return AgentConfig.Webhook.disabled();
    }
    String namespace = isSet(env.get("POD_NAMESPACE")) ? env.get("POD_NAMESPACE") : null;
    return new AgentConfig.Webhook(true, webhookBindAddress, webhookPort, webhookCertFile, webhookKeyFile,
        webhookUrl, isSet(webhookService) ? webhookService.trim() : null, namespace);
  }

  /**
   * The chain's own environment variables come first (it reads them itself, and picks up rotated values);
   * the ack-virtual-node names are honoured next as a fixed key pair.
   */
  static EciCredentials credentials(Map<String, String> env) {
    if (isSet(env.get("ALIBABA_CLOUD_ACCESS_KEY_ID"))) {
      return EciCredentials.defaultChain();
    }
    if (isSet(env.get("ECI_ACCESS_KEY")) || isSet(env.get("ECI_SECRET_KEY"))) {
      if (!isSet(env.get("ECI_ACCESS_KEY")) || !isSet(env.get("ECI_SECRET_KEY"))) {
        throw new IllegalArgumentException("ECI_ACCESS_KEY and ECI_SECRET_KEY must be set together");
      }
      return EciCredentials.accessKey(env.get("ECI_ACCESS_KEY"), env.get("ECI_SECRET_KEY"));
    }
    return EciCredentials.defaultChain();
  }

  private Config kubeConfig() throws java.io.IOException {
    if (kubeconfig != null) {
      if (!Files.isReadable(kubeconfig)) {
        throw new IllegalArgumentException("kubeconfig not readable: " + kubeconfig);
      }
      return Config.fromKubeconfig(Files.readString(kubeconfig));
    }
    return Config.autoConfigure(null); // $KUBECONFIG, ~/.kube/config, else in-cluster
  }

  private static String defaultNodeIp(Map<String, String> env) {
    if (isSet(env.get("POD_IP"))) {
      return env.get("POD_IP");
    }
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot determine this host's address; set --node-ip", e);
    }
  }

  private static Quantity quantity(String value, String flag) {
    Quantity q;
    try {
      q = new Quantity(value);
      if (Quantity.getAmountInBytes(q).signum() > 0) {
        return q;
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(flag + " is not a quantity: " + value, e);
    }
    throw new IllegalArgumentException(flag + " must be positive, got " + value);
  }

  private static void requireFlag(String value, String flag, String env) {
    if (!isSet(value)) {
      throw new IllegalArgumentException("missing " + flag + " (or " + env + ")");
    }
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
