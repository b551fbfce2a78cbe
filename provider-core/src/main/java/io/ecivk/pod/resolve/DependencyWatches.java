package io.ecivk.pod.resolve;

import io.ecivk.spi.PodKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when an object that waiting pods need is added or changes, so they are resolved again within moments
 * rather than on a timer: one single-object watch (a {@code metadata.name} field selector) per distinct missing
 * object, open only while some pod waits for it. Watches carry no cache, so the agent holds no configMap or secret
 * it does not need.
 *
 * <p>A watch is opened without a resourceVersion, so the API server first sends the object if it exists by then:
 * an object created between the pod's failed read and the watch's start is not missed. When a watch ends (the
 * API server closed it for good), its waiters are notified, so they resolve again and register anew.
 *
 * <p>Threads: {@link #waitFor} and {@link #release} block (opening a watch is a request) and run on workers; the
 * watch callbacks only read a concurrent map and call {@code onChange}, which must not block.
 */
public final class DependencyWatches implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DependencyWatches.class);

  private final KubernetesClient client;
  private final Consumer<PodKey> onChange;
  /** Open watches by object, each with the pods waiting for it. */
  private final ConcurrentMap<ObjectRef, Entry> entries = new ConcurrentHashMap<>();
  /** What each waiting pod waits for. Guarded by {@code this}. */
  private final Map<PodKey, Set<ObjectRef>> byPod = new HashMap<>();
  private volatile boolean closed;

  public DependencyWatches(KubernetesClient client, Consumer<PodKey> onChange) {
    this.client = Objects.requireNonNull(client, "client");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
  }

  /** The pod now waits for exactly these objects (replacing what it waited for before). */
  public synchronized void waitFor(PodKey pod, Set<ObjectRef> objects) {
    if (closed) {
      return;
    }
    Set<ObjectRef> before = byPod.getOrDefault(pod, Set.of());
    for (ObjectRef ref : before) {
      if (!objects.contains(ref)) {
        unregister(ref, pod);
      }
    }
    for (ObjectRef ref : objects) {
      Entry entry = entries.get(ref);
      if (entry == null) {
        entry = new Entry();
        entries.put(ref, entry);
        entry.waiters.add(pod);
        try {
          entry.watch = open(ref);
          LOG.debug("watching dependency object={}", ref);
        } catch (KubernetesClientException e) {
          // The pod's periodic re-check still covers it; the next waitFor tries to open the watch again.
          entries.remove(ref);
          LOG.warn("cannot watch dependency object={}: {}", ref, e.getMessage());
        }
      } else {
        entry.waiters.add(pod);
      }
    }
    if (objects.isEmpty()) {
      byPod.remove(pod);
    } else {
      byPod.put(pod, new HashSet<>(objects));
    }
  }

  /** The pod waits for nothing any more (created, deleted, or refused). */
  public synchronized void release(PodKey pod) {
    Set<ObjectRef> refs = byPod.remove(pod);
    if (refs != null) {
      refs.forEach(ref -> unregister(ref, pod));
    }
  }

  /** How many watches are open; for metrics and tests. */
  public int watchCount() {
    return entries.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    entries.values().forEach(Entry::close);
    entries.clear();
    byPod.clear();
  }

  private void unregister(ObjectRef ref, PodKey pod) {
    Entry entry = entries.get(ref);
    if (entry != null) {
      entry.waiters.remove(pod);
      if (entry.waiters.isEmpty()) {
        entries.remove(ref);
        entry.close();
      }
    }
  }

  private Watch open(ObjectRef ref) {
    return switch (ref.kind()) {
      case CONFIG_MAP -> watch(ref, client.configMaps().inNamespace(ref.namespace()).withName(ref.name()));
      case SECRET -> watch(ref, client.secrets().inNamespace(ref.namespace()).withName(ref.name()));
      case PERSISTENT_VOLUME_CLAIM ->
          watch(ref, client.persistentVolumeClaims().inNamespace(ref.namespace()).withName(ref.name()));
      case PERSISTENT_VOLUME -> watch(ref, client.persistentVolumes().withName(ref.name()));
      case SERVICE_ACCOUNT -> watch(ref, client.serviceAccounts().inNamespace(ref.namespace()).withName(ref.name()));
    };
  }

  private <T extends HasMetadata> Watch watch(ObjectRef ref, Resource<T> resource) {
    return resource.watch(new Watcher<T>() {
      @Override
      public void eventReceived(Action action, T object) {
        if (action == Action.ADDED || action == Action.MODIFIED) {
          notifyWaiters(ref);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // Ended for good (fabric8 reconnects by itself otherwise): forget it and let the waiters register again.
        Entry entry = entries.remove(ref);
        if (entry != null && !closed) {
          LOG.debug("dependency watch closed object={}: {}", ref, cause.getMessage());
          entry.waiters.forEach(onChange);
        }
      }
    });
  }

  private void notifyWaiters(ObjectRef ref) {
    Entry entry = entries.get(ref);
    if (entry != null) {
      entry.waiters.forEach(onChange);
    }
  }

  private static final class Entry {
    final Set<PodKey> waiters = ConcurrentHashMap.newKeySet();
    volatile Watch watch;

    void close() {
      Watch w = watch;
      if (w != null) {
        w.close();
      }
    }
  }
}
