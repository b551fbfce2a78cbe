package io.ecivk.agent.webhook;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code kube-system/eci-profile} selectors in memory, hot-reloaded by an informer on that one
 * ConfigMap. A malformed {@code selectors} value never changes what the webhook does: the last good profile stays
 * in force, and the problem is logged and reported to {@code onMalformed} (the agent records a Warning event on
 * the ConfigMap, as ACK does). A deleted ConfigMap, or one without the key, means "no selectors".
 *
 * <p>Handlers run on the informer's thread and only parse in memory; {@code onMalformed} must not block (hand
 * API calls to an executor).
 */
public final class EciProfileWatcher implements Supplier<EciProfile>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EciProfileWatcher.class);

  private final AtomicReference<EciProfile> current = new AtomicReference<>(EciProfile.empty());
  private final BiConsumer<ConfigMap, String> onMalformed;
  private volatile String lastAppliedResourceVersion = "";
  private SharedIndexInformer<ConfigMap> informer;

  /** @param onMalformed called with the ConfigMap and the parse error; must not block */
  public EciProfileWatcher(BiConsumer<ConfigMap, String> onMalformed) {
    this.onMalformed = Objects.requireNonNull(onMalformed, "onMalformed");
  }

  /** Starts watching; the profile is empty until the informer's first list arrives. */
  public EciProfileWatcher start(KubernetesClient client) {
    informer = client.configMaps().inNamespace(EciProfile.NAMESPACE).withName(EciProfile.CONFIG_MAP)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap cm) {
            apply(cm);
          }

          @Override
          public void onUpdate(ConfigMap oldCm, ConfigMap newCm) {
            apply(newCm);
          }

          @Override
          public void onDelete(ConfigMap cm, boolean deletedFinalStateUnknown) {
            current.set(EciProfile.empty());
            LOG.info("event=eci_profile_deleted selectors=0");
          }
        });
    return this;
  }

  /** Whether the informer has listed once (the profile reflects the cluster). */
  public boolean synced() {
    return informer != null && informer.hasSynced();
  }

  @Override
  public EciProfile get() {
    return current.get();
  }

  /** Applies one version of the ConfigMap: parse, then swap; on error keep the last good profile. */
  void apply(ConfigMap cm) {
    String rv = cm.getMetadata() == null ? null : cm.getMetadata().getResourceVersion();
    if (rv != null && rv.equals(lastAppliedResourceVersion)) {
      return; // resync: nothing new, and no repeated warning either
    }
    lastAppliedResourceVersion = rv == null ? "" : rv;
    String raw = cm.getData() == null ? null : cm.getData().get(EciProfile.KEY);
    try {
      EciProfile parsed = EciProfile.parse(raw);
      current.set(parsed);
      LOG.info("event=eci_profile_loaded resourceVersion={} selectors={}", rv, parsed.selectors().size());
    } catch (IllegalArgumentException e) {
      LOG.warn("event=eci_profile_malformed resourceVersion={} keeping={} error=\"{}\"", rv,
          current.get().selectors().size() + " selectors", e.getMessage());
      onMalformed.accept(cm, e.getMessage());
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
