package io.ecivk.pod.resolve;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link KubeReader} over fabric8: one GET (or LIST, or TokenRequest POST) per call, no cache. A pod is resolved
 * once, when it is created, so a handful of reads per pod costs less than keeping every configMap and secret of
 * the cluster in memory through informers (and keeps secrets out of the agent's heap).
 *
 * <p>Permissions the agent needs (with {@link DependencyWatches}): {@code get}, {@code watch} on configmaps,
 * secrets, persistentvolumeclaims, persistentvolumes and serviceaccounts; {@code list} on services and
 * {@code get} on {@code default/kubernetes}; {@code create} on {@code serviceaccounts/token}; {@code get} on its
 * own Node (allocatable resources for resourceFieldRefs, read only when needed).
 *
 * <p>Errors are classified here, once, as {@link KubeReader} states. Messages name the verb, resource and
 * namespace, never an object's content.
 */
public final class ApiServerReader implements KubeReader {
  private final KubernetesClient client;

  public ApiServerReader(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return get("get", "configmaps", namespace, name,
        () -> client.configMaps().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return get("get", "secrets", namespace, name, () -> client.secrets().inNamespace(namespace).withName(name).get());
  }

  @Override
  public List<Service> services(String namespace) {
    return call("list", "services", namespace, null,
        () -> Optional.of(client.services().inNamespace(namespace).list().getItems()), false)
        .orElse(List.of());
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return get("get", "services", namespace, name, () -> client.services().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
    return get("get", "persistentvolumeclaims", namespace, name,
        () -> client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Optional<PersistentVolume> persistentVolume(String name) {
    return get("get", "persistentvolumes", null, name, () -> client.persistentVolumes().withName(name).get());
  }

  @Override
  public Optional<TokenRequest> requestToken(String namespace, String serviceAccount, TokenRequest request) {
    return call("create", "serviceaccounts/token", namespace, serviceAccount,
        () -> Optional.of(
            client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request)),
        true);
  }

  /**
   * The allocatable resources of a Node ({@code cpu}, {@code memory}, {@code ephemeral-storage}, ...); empty when
   * the Node does not exist or reports none.
   */
  public Map<String, Quantity> nodeAllocatable(String nodeName) {
    return get("get", "nodes", null, nodeName, () -> client.nodes().withName(nodeName).get())
        .map(n -> n.getStatus() == null || n.getStatus().getAllocatable() == null
            ? Map.<String, Quantity>of() : Map.copyOf(n.getStatus().getAllocatable()))
        .orElse(Map.of());
  }

  private static <T> Optional<T> get(String verb, String resource, String namespace, String name, Supplier<T> read) {
    return call(verb, resource, namespace, name, () -> Optional.ofNullable(read.get()), false);
  }

  /** Runs one API call and classifies its failure. */
  static <T> Optional<T> call(String verb, String resource, String namespace, String name,
      Supplier<Optional<T>> request, boolean requestCanBeInvalid) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      int code = e.getCode();
      if (code == 404) {
        return Optional.empty();
      }
      String what = verb + " " + resource + (name == null ? "" : " \"" + name + "\"")
          + (namespace == null ? "" : " in namespace " + namespace);
      throw classify(code, what, e, requestCanBeInvalid);
    }
  }

  static ProviderException classify(int code, String what, KubernetesClientException e, boolean requestCanBeInvalid) {
    String status = e.getStatus() == null || e.getStatus().getMessage() == null
        ? String.valueOf(e.getMessage()) : e.getStatus().getMessage();
    if (code == 401 || code == 403) {
      return new ProviderException(ErrorCategory.AUTH, code == 401 ? "Unauthorized" : "Forbidden",
          "the API server refused to let the agent " + what + " (HTTP " + code + "): grant it this permission",
          null, null, e);
    }
    if (code == 429) {
      return new ProviderException(ErrorCategory.THROTTLED, "TooManyRequests",
          "the API server throttled " + what, null, null, e);
    }
    if (requestCanBeInvalid && (code == 400 || code == 422)) {
      return new ProviderException(ErrorCategory.INVALID_REQUEST, "Invalid",
          "the API server rejected " + what + ": " + status, null, null, e);
    }
    // fabric8 reports no HTTP answer at all (refused, reset, timed out) with a code of 0 or -1.
    boolean answered = code > 0;
    return new ProviderException(ErrorCategory.TRANSIENT, answered ? "HTTP" + code : "Unreachable",
        "could not " + what + (answered ? " (HTTP " + code + ")" : "") + ": " + status, null, null, e);
  }
}
