package io.ecivk.node;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Immutable settings of a {@link NodeController}: what the virtual node advertises and how often it reports.
 * Build it with {@link #builder()}; everything except {@code nodeName}, {@code internalIp} and
 * {@code kubeletVersion} has a default.
 *
 * @param nodeName the Node's name, a DNS subdomain (the agent computes {@code virtual-kubelet-<zone>}); also the
 *     name and holder identity of its Lease in {@code kube-node-lease}
 * @param labels labels the controller owns: added or updated on the Node, never removed (labels that others add
 *     stay); e.g. {@code type=virtual-kubelet}, {@code kubernetes.io/hostname=<node>}, topology labels
 * @param taints taints the controller owns, identified by key: a taint with one of these keys is replaced by
 *     ours, taints with other keys stay (default: none; the agent passes
 *     {@code virtual-kubelet.io/provider=alibabacloud:NoSchedule}). Do not modify the elements.
 * @param internalIp the {@code InternalIP} address, where the API server reaches the kubelet API
 * @param kubeletPort {@code status.daemonEndpoints.kubeletEndpoint.Port} (default 10250)
 * @param kubeletVersion {@code status.nodeInfo.kubeletVersion}, e.g. {@code v1.20.2-eci-vk-0.1.0}
 * @param operatingSystem {@code status.nodeInfo.operatingSystem} (default {@code linux})
 * @param architecture {@code status.nodeInfo.architecture} (default {@code amd64})
 * @param leaseRenewInterval how often the Lease's {@code renewTime} is renewed (default 10 s)
 * @param leaseDuration the Lease's {@code leaseDurationSeconds}; whole seconds, longer than the renew interval
 *     (default 40 s, the kubelet's)
 * @param statusUpdateInterval the longest time between two node status updates (default 60 s); changes are
 *     reported at once
 * @param pingInterval the pause between two {@code NodeProvider.ping()} calls (default 10 s)
 * @param providerTaintKey the key of the {@code NoSchedule} taint present while the provider is unreachable
 *     (default {@value #DEFAULT_PROVIDER_TAINT_KEY}); must differ from the keys in {@code taints}
 */
public record NodeConfig(
    String nodeName,
    Map<String, String> labels,
    List<Taint> taints,
    String internalIp,
    int kubeletPort,
    String kubeletVersion,
    String operatingSystem,
    String architecture,
    Duration leaseRenewInterval,
    Duration leaseDuration,
    Duration statusUpdateInterval,
    Duration pingInterval,
    String providerTaintKey) {

  public static final int DEFAULT_KUBELET_PORT = 10250;
  public static final String DEFAULT_OPERATING_SYSTEM = "linux";
  public static final String DEFAULT_ARCHITECTURE = "amd64";
  public static final Duration DEFAULT_LEASE_RENEW_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(40);
  public static final Duration DEFAULT_STATUS_UPDATE_INTERVAL = Duration.ofSeconds(60);
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(10);
  public static final String DEFAULT_PROVIDER_TAINT_KEY = "virtual-kubelet.io/provider-unreachable";

  // RFC 1123 subdomain, as the API server validates Node names.
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Set<String> TAINT_EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  public NodeConfig {
    nodeName = required(nodeName, "nodeName");
    if (nodeName.length() > 253 || !DNS_SUBDOMAIN.matcher(nodeName).matches()) {
      throw new IllegalArgumentException("nodeName must be a lower-case DNS subdomain: '" + nodeName + "'");
    }
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    List<Taint> copies = new ArrayList<>();
    for (Taint t : Objects.requireNonNull(taints, "taints")) {
      Objects.requireNonNull(t, "taints must not contain null");
      required(t.getKey(), "taint key");
      if (!TAINT_EFFECTS.contains(t.getEffect())) {
        throw new IllegalArgumentException("taint " + t.getKey() + " has effect '" + t.getEffect()
            + "', expected one of " + TAINT_EFFECTS);
      }
      copies.add(new TaintBuilder(t).build());
    }
    taints = List.copyOf(copies);
    internalIp = required(internalIp, "internalIp");
    if (kubeletPort < 1 || kubeletPort > 65535) {
      throw new IllegalArgumentException("kubeletPort must be 1..65535: " + kubeletPort);
    }
    kubeletVersion = required(kubeletVersion, "kubeletVersion");
    operatingSystem = required(operatingSystem, "operatingSystem");
    architecture = required(architecture, "architecture");
    positive(leaseRenewInterval, "leaseRenewInterval");
    positive(leaseDuration, "leaseDuration");
    positive(statusUpdateInterval, "statusUpdateInterval");
    positive(pingInterval, "pingInterval");
    if (leaseDuration.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("leaseDuration must be whole seconds: " + leaseDuration);
    }
    if (leaseRenewInterval.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException("leaseRenewInterval (" + leaseRenewInterval
          + ") must be shorter than leaseDuration (" + leaseDuration + ")");
    }
    providerTaintKey = required(providerTaintKey, "providerTaintKey");
    for (Taint t : taints) {
      if (t.getKey().equals(providerTaintKey)) {
        throw new IllegalArgumentException("providerTaintKey " + providerTaintKey
            + " is also the key of a configured taint; the two must differ");
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .nodeName(nodeName)
        .labels(labels)
        .taints(taints)
        .internalIp(internalIp)
        .kubeletPort(kubeletPort)
        .kubeletVersion(kubeletVersion)
        .operatingSystem(operatingSystem)
        .architecture(architecture)
        .leaseRenewInterval(leaseRenewInterval)
        .leaseDuration(leaseDuration)
        .statusUpdateInterval(statusUpdateInterval)
        .pingInterval(pingInterval)
        .providerTaintKey(providerTaintKey);
  }

  /** The keys of the taints this controller owns: the configured ones and the provider-unreachable one. */
  public Set<String> ownedTaintKeys() {
    Set<String> keys = new LinkedHashSet<>();
    taints.forEach(t -> keys.add(t.getKey()));
    keys.add(providerTaintKey);
    return Collections.unmodifiableSet(keys);
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** Collects a {@link NodeConfig}; starts from the defaults documented on the record. */
  public static final class Builder {
    private String nodeName;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<Taint> taints = new ArrayList<>();
    private String internalIp;
    private int kubeletPort = DEFAULT_KUBELET_PORT;
    private String kubeletVersion;
    private String operatingSystem = DEFAULT_OPERATING_SYSTEM;
    private String architecture = DEFAULT_ARCHITECTURE;
    private Duration leaseRenewInterval = DEFAULT_LEASE_RENEW_INTERVAL;
    private Duration leaseDuration = DEFAULT_LEASE_DURATION;
    private Duration statusUpdateInterval = DEFAULT_STATUS_UPDATE_INTERVAL;
    private Duration pingInterval = DEFAULT_PING_INTERVAL;
    private String providerTaintKey = DEFAULT_PROVIDER_TAINT_KEY;

    private Builder() {}

    public Builder nodeName(String nodeName) {
      this.nodeName = nodeName;
      return this;
    }

    /** Replaces all labels. */
    public Builder labels(Map<String, String> labels) {
      this.labels.clear();
      this.labels.putAll(labels);
      return this;
    }

    /** Adds or replaces one label. */
    public Builder label(String key, String value) {
      this.labels.put(key, value);
      return this;
    }

    /** Replaces all taints. */
    public Builder taints(List<Taint> taints) {
      this.taints.clear();
      this.taints.addAll(taints);
      return this;
    }

    /** Adds one taint. */
    public Builder taint(String key, String value, String effect) {
      this.taints.add(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build());
      return this;
    }

    public Builder internalIp(String internalIp) {
      this.internalIp = internalIp;
      return this;
    }

    public Builder kubeletPort(int kubeletPort) {
      this.kubeletPort = kubeletPort;
      return this;
    }

    public Builder kubeletVersion(String kubeletVersion) {
      this.kubeletVersion = kubeletVersion;
      return this;
    }

    public Builder operatingSystem(String operatingSystem) {
      this.operatingSystem = operatingSystem;
      return this;
    }

    public Builder architecture(String architecture) {
      this.architecture = architecture;
      return this;
    }

    public Builder leaseRenewInterval(Duration leaseRenewInterval) {
      this.leaseRenewInterval = leaseRenewInterval;
      return this;
    }

    public Builder leaseDuration(Duration leaseDuration) {
      this.leaseDuration = leaseDuration;
      return this;
    }

    public Builder statusUpdateInterval(Duration statusUpdateInterval) {
      this.statusUpdateInterval = statusUpdateInterval;
      return this;
    }

    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = pingInterval;
      return this;
    }

    public Builder providerTaintKey(String providerTaintKey) {
      this.providerTaintKey = providerTaintKey;
      return this;
    }

    public NodeConfig build() {
      return new NodeConfig(nodeName, labels, taints, internalIp, kubeletPort, kubeletVersion, operatingSystem,
          architecture, leaseRenewInterval, leaseDuration, statusUpdateInterval, pingInterval, providerTaintKey);
    }
  }
}
