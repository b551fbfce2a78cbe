package io.ecivk.agent.webhook;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.function.Function;

/**
 * Namespace labels from an informer's cache, so admission never makes an API call. A namespace not (yet) in the
 * cache has no labels: its pods are treated as unlabelled rather than delaying admission (a namespace is normally
 * created well before its pods, and the informer sees it within a watch round-trip).
 */
public final class NamespaceLabels implements Function<String, Map<String, String>>, AutoCloseable {
  private final SharedIndexInformer<Namespace> informer;

  private NamespaceLabels(SharedIndexInformer<Namespace> informer) {
    this.informer = informer;
  }

  /** Starts the namespace informer (no resync: only labels are read). */
  public static NamespaceLabels start(KubernetesClient client) {
    return new NamespaceLabels(client.namespaces().inform());
  }

  public boolean synced() {
    return informer.hasSynced();
  }

  @Override
  public Map<String, String> apply(String namespace) {
    Namespace ns = informer.getStore().getByKey(namespace);
    if (ns == null || ns.getMetadata() == null || ns.getMetadata().getLabels() == null) {
      return Map.of();
    }
    return ns.getMetadata().getLabels();
  }

  @Override
  public void close() {
    informer.close();
  }
}
