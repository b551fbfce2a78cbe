package io.ecivk.pod.resolve;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link KubeReader} over maps; records token requests and counts reads. */
final class InMemoryReader implements KubeReader {
  final Map<String, HasMetadata> objects = new ConcurrentHashMap<>();
  final Set<String> serviceAccounts = ConcurrentHashMap.newKeySet();
  final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
  final List<String> reads = new CopyOnWriteArrayList<>();

  InMemoryReader add(HasMetadata o) {
    objects.put(key(o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName()), o);
    return this;
  }

  private static String key(String kind, String ns, String name) {
    return kind + "/" + ns + "/" + name;
  }

  @SuppressWarnings("unchecked")
  private <T> Optional<T> find(String kind, String ns, String name) {
    reads.add(key(kind, ns, name));
    return Optional.ofNullable((T) objects.get(key(kind, ns, name)));
  }

  @Override
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return find("ConfigMap", namespace, name);
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return find("Secret", namespace, name);
  }

  @Override
  public List<Service> services(String namespace) {
    reads.add("Services/" + namespace);
    return objects.values().stream().filter(o -> o instanceof Service && namespace.equals(o.getMetadata().getNamespace()))
        .map(Service.class::cast).toList();
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return find("Service", namespace, name);
  }

  @Override
  public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
    return find("PersistentVolumeClaim", namespace, name);
  }

  @Override
  public Optional<PersistentVolume> persistentVolume(String name) {
    return find("PersistentVolume", null, name);
  }

  @Override
  public Optional<TokenRequest> requestToken(String namespace, String serviceAccount, TokenRequest request) {
    tokenRequests.add(request);
    if (!serviceAccounts.contains(namespace + "/" + serviceAccount)) {
      return Optional.empty();
    }
    return Optional.of(new TokenRequestBuilder(request).withNewStatus()
        .withToken("token-for-" + serviceAccount + "-" + request.getSpec().getBoundObjectRef().getName())
        .withExpirationTimestamp("2026-11-23T18:00:00Z").endStatus().build());
  }
}
