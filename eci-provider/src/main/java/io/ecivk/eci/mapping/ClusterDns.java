package io.ecivk.eci.mapping;

import java.util.List;
import java.util.Objects;

/**
 * The cluster's DNS, which pods with {@code dnsPolicy: ClusterFirst} resolve through, as the kubelet's
 * {@code --cluster-dns} and {@code --cluster-domain} give it.
 *
 * @param nameServers the cluster DNS Service IPs (usually the {@code kube-system/kube-dns} Service's), at least one
 * @param clusterDomain the cluster's DNS domain, e.g. {@code cluster.local}
 */
public record ClusterDns(List<String> nameServers, String clusterDomain) {

  /** The kubelet's default {@code --cluster-domain}. */
  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

  public ClusterDns {
    nameServers = List.copyOf(Objects.requireNonNull(nameServers, "nameServers"));
    if (nameServers.isEmpty()) {
      throw new IllegalArgumentException("cluster DNS needs at least one name server");
    }
    Objects.requireNonNull(clusterDomain, "clusterDomain");
    if (clusterDomain.isEmpty()) {
      throw new IllegalArgumentException("the cluster domain is empty");
    }
  }

  /** Cluster DNS at {@code nameServers} in the default domain {@value #DEFAULT_CLUSTER_DOMAIN}. */
  public ClusterDns(List<String> nameServers) {
    this(nameServers, DEFAULT_CLUSTER_DOMAIN);
  }
}
