package io.ecivk.pod.resolve;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import java.util.List;
import java.util.Optional;

/**
 * The reads {@link PodResolver} makes. Blocking; call from worker threads only.
 *
 * <p>Contract of every method: a missing object is an empty result; any other failure is a
 * {@link io.ecivk.spi.errors.ProviderException}: {@code AUTH} when the API server refused the agent (401/403,
 * with a message naming the verb and resource to grant), {@code THROTTLED} on 429, {@code TRANSIENT} on 5xx,
 * timeouts and broken connections, and, for {@link #requestToken} only, {@code INVALID_REQUEST} when the API
 * server rejected the request itself (400/422, e.g. an expiration below its minimum).
 */
public interface KubeReader {
  Optional<ConfigMap> configMap(String namespace, String name);

  Optional<Secret> secret(String namespace, String name);

  /** The services of a namespace. */
  List<Service> services(String namespace);

  Optional<Service> service(String namespace, String name);

  Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name);

  Optional<PersistentVolume> persistentVolume(String name);

  /**
   * Creates a TokenRequest for the service account; empty when the service account (or the pod it is bound to)
   * does not exist.
   */
  Optional<TokenRequest> requestToken(String namespace, String serviceAccount, TokenRequest request);
}
