package io.ecivk.pod;

import io.ecivk.events.EventRecorder;
import io.ecivk.pod.resolve.ApiServerReader;
import io.ecivk.pod.resolve.DependencyWatches;
import io.ecivk.pod.resolve.MissingDependency;
import io.ecivk.pod.resolve.PodResolver;
import io.ecivk.pod.resolve.Resolution;
import io.ecivk.queue.BackoffPolicy;
import io.ecivk.queue.QueueWorkers;
import io.ecivk.queue.SyncResult;
import io.ecivk.queue.WorkQueue;
import io.ecivk.spi.CreateResult;
import io.ecivk.spi.ObservedEvent;
import io.ecivk.spi.PodEventSource;
import io.ecivk.spi.PodKey;
import io.ecivk.spi.PodLifecycleHandler;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.PodStatusNotifier;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.WorkloadLister;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pods bound to one virtual node on a provider.
 *
 * <p>For each pod key a worker reads the latest pod from the informer cache and:
 *
 * <ol>
 *   <li>deletes the workloads of earlier incarnations of that key that are gone from the API server;
 *   <li>for a pod being deleted ({@code deletionTimestamp} set): deletes its workload in the provider, then
 *       removes the pod with grace period 0 and a UID precondition, so a new pod of the same name is never hit;
 *   <li>for a live pod without a workload: a DaemonSet pod is left Pending (when
 *       {@link PodControllerConfig#refuseDaemonSetPods()}, see {@link WaitingStatus#daemonSetRefused}); otherwise
 *       the pod is resolved ({@link PodResolver}: env, volume files, tokens, claims, pull secrets read from the
 *       API server). A pod waiting for a missing configMap, secret, key or claim stays Pending with the kubelet's
 *       container status ({@link WaitingStatus#waiting}) and one Warning event per distinct message; it is
 *       resolved again when a missing object appears ({@link DependencyWatches}) and, as a safety net, after a
 *       delay growing from 1 s to 30 s. A pod that can never resolve, or that the provider refuses with
 *       {@code INVALID_REQUEST}, fails (phase {@code Failed}, reason {@code ProviderFailed}, a Warning event);
 *       other failures are retried by the queue with per-key backoff, forever;
 *   <li>writes the provider's status to the pod's {@code status} subresource when it differs.
 * </ol>
 *
 * Start order: the informer is synced before any worker runs, and {@link #ready()} completes only then, so the
 * node is advertised (by the caller) only once pods sent to it can be handled.
 *
 * <p><b>Orphan sweep.</b> When the provider is also a {@link WorkloadLister}, workloads whose pod is gone (deleted
 * while no agent ran, or a force delete the informer missed) are found and deleted: once right after the informer
 * has synced (started together with the workers; {@link #ready()} does not wait for it), then every
 * {@link PodControllerConfig#sweepInterval()}. The controller's scheduler only ticks; the sweep itself, whose
 * provider calls block, runs on the controller's own single {@code pod-orphan-sweep} thread, never on an informer
 * thread and never on the workers (a slow listing never delays pods). A tick that finds a sweep still running is
 * dropped. A listed workload is an orphan when no pod in the informer cache has its UID: compared by UID, never
 * by name, so a new pod under an old name neither protects the old incarnation's workload nor is touched by its
 * deletion. UIDs with a tombstone (their delete is the workers' job) and UIDs whose workload the workers already
 * deleted are left alone, so a delete is not issued twice. Each orphan is deleted with
 * {@link PodLifecycleHandler#deletePod} given a skeleton pod that carries only namespace, name and UID: a
 * provider's {@code deletePod} must need nothing but the metadata to delete. A failed delete is retried by the
 * next sweep and does not stop this one; a failed listing skips the sweep.
 */
public final class PodController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodController.class);
  private static final String UID_INDEX = "uid";
  /** Observed events waiting to be recorded, at most. */
  private static final int OBSERVED_EVENT_QUEUE = 10_000;

  private final KubernetesClient client;
  private final PodLifecycleHandler provider;
  private final PodControllerConfig config;
  private final Clock clock;
  private final EventRecorder events;
  private final WorkQueue<PodKey> queue;
  private final PodResolver resolver;
  private final DependencyWatches dependencyWatches;
  /** Warnings recorded per pod uid while it waits or is resolved: each distinct one is recorded once. */
  private final ConcurrentMap<String, Set<String>> warned = new ConcurrentHashMap<>();
  /** Consecutive re-checks of a waiting pod by uid; the safety-net delay grows with them. */
  private final ConcurrentMap<String, Integer> waitingChecks = new ConcurrentHashMap<>();
  /** Incarnations the informer saw disappear whose workloads may still exist, by key then uid. */
  private final ConcurrentMap<PodKey, Map<String, Pod>> tombstones = new ConcurrentHashMap<>();
  /** Incarnations whose workload this process created (or found): saves a provider call per reconcile. */
  private final Set<String> createdUids = ConcurrentHashMap.newKeySet();
  /**
   * Per pod UID, what our last status write sent and what the API server stored (as hashes, to keep memory flat):
   * the server may render a status differently from what it was sent (e.g. keep {@code qosClass}), and without
   * this memo every watch event of our own write would look like drift and cause a second, no-op write.
   */
  private final ConcurrentMap<String, WrittenStatus> writtenStatus = new ConcurrentHashMap<>();
  /** Incarnations whose workload this process deleted while their pod was terminating: no second delete. */
  private final Set<String> deletedUids = ConcurrentHashMap.newKeySet();
  /**
   * UIDs whose workload a worker deleted, with the sweep generation current at the time. A sweep's listing may
   * predate such a delete (or the backend may still list a workload being deleted), so a sweep leaves alone
   * every UID deleted during it or the sweep before; older entries are pruned.
   */
  private final ConcurrentMap<String, Long> workerDeletes = new ConcurrentHashMap<>();
  private final AtomicLong sweepGeneration = new AtomicLong();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final ScheduledExecutorService scheduler;
  /** Runs the orphan sweep; null when the provider cannot list its workloads. */
  private final ExecutorService sweeper;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final AtomicLong sweeps = new AtomicLong();
  private final AtomicLong failedSweeps = new AtomicLong();
  private final AtomicLong orphansDeleted = new AtomicLong();
  /** Orphans already reported at INFO (and still listed): one line per orphan, not one per sweep. */
  private final Set<String> reportedOrphans = ConcurrentHashMap.newKeySet();
  /** Whether the last listing failed: WARN once per outage. Written by the sweeper thread only. */
  private volatile boolean listingFailing;
  private volatile ScheduledFuture<?> sweepTicks;
  private volatile boolean closed;
  /**
   * Records the events a {@link PodEventSource} relays, one at a time, off the provider's thread; null for other
   * providers. Bounded: when the API server cannot keep up, further events are dropped (and counted), never
   * queued without limit.
   */
  private final ThreadPoolExecutor observedEvents;
  private final AtomicLong observedEventsDropped = new AtomicLong();
  private volatile SharedIndexInformer<Pod> informer;
  private volatile QueueWorkers<PodKey> workers;

  /**
   * A controller whose resourceFieldRefs to unset limits take the node's allocatable resources from its Node
   * object (read only when such a reference is met).
   */
  public PodController(
      KubernetesClient client,
      PodLifecycleHandler provider,
      PodControllerConfig config,
      Clock clock,
      ScheduledExecutorService scheduler) {
    this(client, provider, config, clock, scheduler, null);
  }

  /**
   * @param allocatable the node's allocatable resources, for resourceFieldRefs to limits a container does not
   *     set; null to read them from the Node object when needed
   */
  public PodController(
      KubernetesClient client,
      PodLifecycleHandler provider,
      PodControllerConfig config,
      Clock clock,
      ScheduledExecutorService scheduler,
      Supplier<Map<String, Quantity>> allocatable) {
    this.client = Objects.requireNonNull(client, "client");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = new EventRecorder(client, config.component(), config.nodeName(), clock);
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.queue = WorkQueue.create("pods", clock, scheduler, BackoffPolicy.defaults());
    ApiServerReader reader = new ApiServerReader(client);
    this.resolver = new PodResolver(reader,
        allocatable != null ? allocatable : () -> reader.nodeAllocatable(config.nodeName()));
    this.dependencyWatches = new DependencyWatches(client, queue::add);
    this.sweeper = provider instanceof WorkloadLister
        ? Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "pod-orphan-sweep");
          t.setDaemon(true);
          return t;
        })
        : null;
    this.observedEvents = provider instanceof PodEventSource
        ? new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(OBSERVED_EVENT_QUEUE),
            r -> {
              Thread t = new Thread(r, "pod-observed-events");
              t.setDaemon(true);
              return t;
            },
            (task, executor) -> observedEventsDropped.incrementAndGet())
        : null;
  }

  /** Starts watching pods; {@link #ready()} completes once the cache is synced and the workers run. */
  public void start() {
    if (provider instanceof PodStatusNotifier notifier) {
      notifier.setPodStatusListener(ref -> queue.add(ref.key()));
    }
    if (provider instanceof PodEventSource source) {
      source.setPodEventListener(this::observedEvent);
    }
    SharedIndexInformer<Pod> podInformer =
        client.pods().inAnyNamespace().withField("spec.nodeName", config.nodeName())
            .runnableInformer(config.resyncPeriod().toMillis());
    podInformer.addIndexers(Map.of(UID_INDEX, pod -> List.of(pod.getMetadata().getUid())));
    podInformer.addEventHandler(new Handler());
    this.informer = podInformer;
    podInformer.start().whenComplete((ignored, failure) -> {
      if (failure != null) {
        ready.completeExceptionally(failure);
        return;
      }
      workers = QueueWorkers.start("pods", queue, this::reconcile, config.workers());
      LOG.info("pod controller ready node={} pods={} workers={}", config.nodeName(),
          podInformer.getIndexer().list().size(), config.workers());
      startSweeps();
      ready.complete(null);
    });
  }

  public CompletableFuture<Void> ready() {
    return ready;
  }

  /**
   * The pods bound to this node, from the informer cache (no API call; safe on an event loop). Empty before
   * {@link #start()}. The objects are the cache's own: callers must not modify them.
   */
  public List<Pod> pods() {
    SharedIndexInformer<Pod> i = informer;
    return i == null ? List.of() : i.getIndexer().list();
  }

  /** Keys waiting for a worker; for metrics and tests. */
  public int queueDepth() {
    return queue.depth();
  }

  /** Watches open on objects that waiting pods need; for metrics and tests. */
  public int dependencyWatchCount() {
    return dependencyWatches.watchCount();
  }

  /** Orphan sweeps completed (a sweep whose listing failed is not counted); for metrics and tests. */
  public long sweeps() {
    return sweeps.get();
  }

  /** Sweeps skipped because the provider could not list its workloads; for metrics and tests. */
  public long failedSweeps() {
    return failedSweeps.get();
  }

  /** Orphaned workloads the sweep deleted; for metrics and tests. */
  public long orphansDeleted() {
    return orphansDeleted.get();
  }

  /** Observed events dropped because the recording queue was full or the controller closed; for metrics. */
  public long observedEventsDropped() {
    return observedEventsDropped.get();
  }

  /**
   * Hands an event the provider observed to the recording thread, which waits for the pod cache to be synced and
   * records it on the pod incarnation with that UID; an incarnation no longer in the cache is skipped.
   */
  private void observedEvent(PodRef ref, ObservedEvent event) {
    if (closed) {
      observedEventsDropped.incrementAndGet();
      return;
    }
    observedEvents.execute(() -> {
      try {
        ready.join();
      } catch (RuntimeException e) {
        return; // never started: nothing to record on
      }
      List<Pod> pods = informer.getIndexer().byIndex(UID_INDEX, ref.uid());
      if (pods.isEmpty()) {
        LOG.debug("observed event for a pod that is gone pod={} reason={}", ref, event.event().reason());
        return;
      }
      events.recordObserved(pods.get(0), event);
    });
  }

  @Override
  public void close() {
    closed = true;
    if (observedEvents != null) {
      observedEvents.shutdownNow();
    }
    dependencyWatches.close();
    ScheduledFuture<?> ticks = sweepTicks;
    if (ticks != null) {
      ticks.cancel(false);
    }
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    SharedIndexInformer<Pod> i = informer;
    if (i != null) {
      i.close();
    }
    QueueWorkers<PodKey> w = workers;
    if (w != null) {
      w.close();
    } else {
      queue.close();
    }
  }

  SyncResult reconcile(PodKey key) {
    Pod pod = informer.getIndexer().getByKey(key.namespace() + "/" + key.name());
    deleteGoneIncarnations(key, pod);
    if (pod == null) {
      dependencyWatches.release(key);
      return SyncResult.done();
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      String uid = pod.getMetadata().getUid();
      dependencyWatches.release(key);
      forgetWaiting(uid);
      // The informer may show the pod terminating a while after we removed it: delete the workload once.
      if (!deletedUids.contains(uid)) {
        provider.deletePod(pod);
        createdUids.remove(uid);
        writtenStatus.remove(uid);
        deletedUids.add(uid);
        workerDeletes.put(uid, sweepGeneration.get());
      }
      removeFromApiServer(pod);
      return SyncResult.done();
    }
    if (ProviderFailure.REASON.equals(pod.getStatus() == null ? null : pod.getStatus().getReason())) {
      return SyncResult.done(); // refused once, with the reason on the pod; a new incarnation gets a new try
    }
    String uid = pod.getMetadata().getUid();
    Pod current = pod;
    if (createdUids.contains(uid) || provider.getPodStatus(pod).isPresent()) {
      createdUids.add(uid);
    } else {
      if ("Succeeded".equals(phase(pod)) || "Failed".equals(phase(pod))) {
        return SyncResult.done(); // finished before we saw it: nothing to run
      }
      if (config.refuseDaemonSetPods() && isDaemonSetPod(pod)) {
        refuseDaemonSetPod(pod);
        return SyncResult.done();
      }
      Resolution resolution = resolve(pod);
      recordOnce(pod, resolution.events());
      if (resolution instanceof Resolution.Waiting waiting) {
        return showWaiting(key, pod, waiting);
      }
      dependencyWatches.release(key);
      waitingChecks.remove(uid);
      if (resolution instanceof Resolution.Invalid invalid) {
        fail(pod, new ProviderException(ErrorCategory.INVALID_REQUEST, "InvalidPodSpec", invalid.reason()));
        return SyncResult.done();
      }
      Optional<Pod> created = create(pod, ((Resolution.Resolved) resolution).pod());
      if (created.isEmpty()) {
        return SyncResult.done();
      }
      current = created.get();
    }
    syncStatus(current);
    return SyncResult.done();
  }

  /** Resolves the pod; a refused read ({@code AUTH}) is also shown as a Warning event before the queue retries. */
  private Resolution resolve(Pod pod) {
    try {
      return resolver.resolve(pod);
    } catch (ProviderException e) {
      if (e.category() == ErrorCategory.AUTH) {
        events.record(pod, ProviderEvent.warning("FailedToResolve", e.getMessage()));
      }
      LOG.warn("cannot resolve pod pod={} category={}: {}", PodKey.of(pod), e.category(), e.getMessage());
      throw e;
    }
  }

  /**
   * Shows the pod waiting (status written only when it changes, one Warning per distinct message), watches the
   * missing objects, and asks for a re-check after a delay growing from 1 s to 30 s, in case a watch misses.
   */
  private SyncResult showWaiting(PodKey key, Pod pod, Resolution.Waiting waiting) {
    List<ProviderEvent> warnings = new java.util.ArrayList<>();
    Set<String> containersWarned = new HashSet<>();
    for (MissingDependency m : waiting.missing()) {
      if (m.volume() != null) {
        warnings.add(ProviderEvent.warning("FailedMount",
            "MountVolume.SetUp failed for volume \"" + m.volume() + "\" : " + m.message()));
      } else if (containersWarned.add(m.container())) {
        warnings.add(ProviderEvent.warning("Failed", "Error: " + m.message()));
      }
    }
    recordOnce(pod, warnings);
    PodStatus desired = WaitingStatus.waiting(pod, waiting.missing(), Instant.now(clock));
    if (!WaitingStatus.sameShape(pod.getStatus(), desired)) {
      LOG.info("pod waits for dependencies pod={} uid={} missing={}", key, pod.getMetadata().getUid(),
          waiting.missing().stream().map(m -> m.object().toString()).distinct().collect(Collectors.joining(",")));
      writeStatus(pod, desired);
    }
    dependencyWatches.waitFor(key, waiting.missing().stream().map(MissingDependency::object)
        .collect(Collectors.toSet()));
    int checks = waitingChecks.merge(pod.getMetadata().getUid(), 1, Integer::sum);
    return SyncResult.requeueAfter(Duration.ofSeconds(Math.min(30L, 1L << Math.min(checks - 1, 5))));
  }

  /** Leaves a DaemonSet pod Pending with its reason and one Warning event; never a create/fail loop. */
  private void refuseDaemonSetPod(Pod pod) {
    String message = "DaemonSet pods are not run on virtual node " + config.nodeName()
        + ": a DaemonSet runs one pod per real node for that node's host; exclude virtual nodes from the"
        + " DaemonSet with node affinity (for example type NotIn [virtual-kubelet])";
    recordOnce(pod, List.of(ProviderEvent.warning(WaitingStatus.DAEMONSET_REASON, message)));
    PodStatus desired = WaitingStatus.daemonSetRefused(pod, message, Instant.now(clock));
    if (!WaitingStatus.sameShape(pod.getStatus(), desired)) {
      LOG.info("refused DaemonSet pod pod={} uid={}", PodKey.of(pod), pod.getMetadata().getUid());
      writeStatus(pod, desired);
    }
  }

  /** Records each event once per pod incarnation (the set is dropped when the pod is created or gone). */
  private void recordOnce(Pod pod, List<ProviderEvent> toRecord) {
    if (toRecord.isEmpty()) {
      return;
    }
    Set<String> seen = warned.computeIfAbsent(pod.getMetadata().getUid(), u -> ConcurrentHashMap.newKeySet());
    for (ProviderEvent event : toRecord) {
      if (seen.add(event.type() + "|" + event.reason() + "|" + event.message())) {
        events.record(pod, event);
      }
    }
  }

  private void forgetWaiting(String uid) {
    warned.remove(uid);
    waitingChecks.remove(uid);
  }

  /** PUT of the status with the resourceVersion we hold; a 409 means a newer pod is on its way to us. */
  private void writeStatus(Pod pod, PodStatus status) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace())
          .resource(new PodBuilder(pod).withStatus(status).build())
          .updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      LOG.debug("pod changed while its status was written pod={}; waiting for the newer version", PodKey.of(pod));
    }
  }

  /** Whether a DaemonSet owns the pod. */
  static boolean isDaemonSetPod(Pod pod) {
    return pod.getMetadata().getOwnerReferences() != null
        && pod.getMetadata().getOwnerReferences().stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
  }

  private void deleteGoneIncarnations(PodKey key, Pod current) {
    Map<String, Pod> gone = tombstones.get(key);
    if (gone == null) {
      return;
    }
    String currentUid = current == null ? null : current.getMetadata().getUid();
    for (Pod old : gone.values()) {
      String uid = old.getMetadata().getUid();
      forgetWaiting(uid);
      if (!uid.equals(currentUid) && !deletedUids.remove(uid)) {
        provider.deletePod(old); // throws on failure: the tombstone stays and the key is retried
        workerDeletes.put(uid, sweepGeneration.get());
        createdUids.remove(uid);
        writtenStatus.remove(uid);
        LOG.info("deleted workload of removed pod pod={} uid={}", key, uid);
      }
      gone.remove(uid);
    }
    tombstones.computeIfPresent(key, (k, m) -> m.isEmpty() ? null : m);
  }

  /**
   * Creates the pod's workload. Returns the latest pod (after writing the provider's annotations), or empty if the
   * provider refused the pod (now shown Failed).
   */
  private Optional<Pod> create(Pod pod, ResolvedPod resolved) {
    String uid = pod.getMetadata().getUid();
    CreateResult result;
    try {
      result = provider.createPod(resolved);
    } catch (ProviderException e) {
      if (e.category() == ErrorCategory.INVALID_REQUEST) {
        fail(pod, e);
        return Optional.empty();
      }
      throw e;
    }
    createdUids.add(uid);
    forgetWaiting(uid);
    LOG.info("created workload pod={} uid={}", PodKey.of(pod), uid);
    result.events().forEach(event -> events.record(pod, event));
    return Optional.of(annotate(pod, result.annotations()));
  }

  private void syncStatus(Pod pod) {
    Optional<PodStatus> status = provider.getPodStatus(pod);
    if (status.isEmpty() || status.get().equals(pod.getStatus())) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    WrittenStatus last = writtenStatus.get(uid);
    if (last != null && last.covers(status.get(), pod)) {
      // Either the server's rendering of exactly what we wrote last, or the cache still shows the version our
      // write replaced (its watch event is on the way and enqueues the pod again): nothing to write now.
      return;
    }
    try {
      // PUT with the resourceVersion we hold, so we never overwrite a newer pod with an older view.
      Pod stored = client.pods().inNamespace(pod.getMetadata().getNamespace())
          .resource(new PodBuilder(pod).withStatus(status.get()).build())
          .updateStatus();
      writtenStatus.put(uid, WrittenStatus.of(status.get(), stored == null ? null : stored.getStatus(),
          pod.getMetadata().getResourceVersion()));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // The pod changed meanwhile: the informer delivers the newer one and enqueues this key again.
      LOG.debug("pod changed while its status was written pod={}; waiting for the newer version", PodKey.of(pod));
    }
  }

  private void fail(Pod pod, ProviderException e) {
    String message = e.getMessage();
    LOG.warn("provider refused pod pod={} uid={} code={}: {}", PodKey.of(pod), pod.getMetadata().getUid(),
        e.code(), message);
    events.record(pod, ProviderEvent.warning(ProviderFailure.REASON, message));
    if (!ProviderFailure.isShownOn(pod, message)) {
      client.pods().inNamespace(pod.getMetadata().getNamespace())
          .resource(new PodBuilder(pod).withStatus(ProviderFailure.status(pod, message, Instant.now(clock))).build())
          .updateStatus();
    }
  }

  /** Writes the provider's annotations onto the pod; returns the pod as the API server now has it. */
  private Pod annotate(Pod pod, Map<String, String> annotations) {
    Map<String, String> current = pod.getMetadata().getAnnotations();
    if (annotations.isEmpty() || current != null && current.entrySet().containsAll(annotations.entrySet())) {
      return pod;
    }
    Pod patch = new PodBuilder().withNewMetadata().withAnnotations(annotations).endMetadata().build();
    return client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /**
   * Deletes the pod object with grace period 0 and a UID precondition: if the name now belongs to a new
   * incarnation, the API server refuses (409) and nothing of the new pod is touched.
   */
  private void removeFromApiServer(Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    URI uri = URI.create(client.getMasterUrl().toString())
        .resolve("/api/v1/namespaces/" + namespace + "/pods/" + name);
    try {
      client.raw(uri.toString(), "DELETE",
          new DeleteOptionsBuilder()
              .withApiVersion("v1").withKind("DeleteOptions")
              .withGracePeriodSeconds(0L)
              .withNewPreconditions().withUid(pod.getMetadata().getUid()).endPreconditions()
              .build());
      LOG.info("removed pod pod={}/{} uid={}", namespace, name, pod.getMetadata().getUid());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** The first sweep now (on the sweeper thread), then one every sweep interval. */
  private void startSweeps() {
    if (sweeper == null || closed) {
      return;
    }
    submitSweep();
    long every = config.sweepInterval().toMillis();
    sweepTicks = scheduler.scheduleWithFixedDelay(this::submitSweep, every, every, TimeUnit.MILLISECONDS);
  }

  /** Hands a sweep to the sweeper thread unless one is running or queued: ticks never pile up. */
  private void submitSweep() {
    if (closed || !sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      sweeper.execute(() -> {
        try {
          sweep();
        } catch (RuntimeException e) {
          LOG.warn("orphan sweep failed", e);
        } finally {
          sweeping.set(false);
        }
      });
    } catch (RejectedExecutionException e) {
      sweeping.set(false); // closed meanwhile
    }
  }

  /**
   * One orphan sweep: lists the provider's workloads first, then looks each UID up in the informer cache, so a
   * workload created by this process (its pod was in the cache before the create) is never taken for an orphan.
   */
  void sweep() {
    long generation = sweepGeneration.incrementAndGet();
    workerDeletes.values().removeIf(g -> g < generation - 2);
    List<PodRef> workloads;
    try {
      workloads = ((WorkloadLister) provider).listWorkloads();
    } catch (RuntimeException e) {
      failedSweeps.incrementAndGet();
      if (!listingFailing) {
        listingFailing = true;
        LOG.warn("orphan sweep skipped: the provider cannot list its workloads node={}: {}", config.nodeName(),
            e.toString());
      } else {
        LOG.debug("orphan sweep skipped again: {}", e.toString());
      }
      return;
    }
    if (listingFailing) {
      listingFailing = false;
      LOG.info("orphan sweep: the provider lists its workloads again node={}", config.nodeName());
    }
    Set<String> stillOrphaned = new HashSet<>();
    for (PodRef ref : workloads) {
      if (closed) {
        return;
      }
      if (!isOrphan(ref)) {
        continue;
      }
      stillOrphaned.add(ref.uid());
      if (reportedOrphans.add(ref.uid())) {
        LOG.info("orphaned workload: no pod has its uid; deleting it pod={} uid={}", ref.key(), ref.uid());
      }
      try {
        provider.deletePod(skeleton(ref));
        orphansDeleted.incrementAndGet();
        createdUids.remove(ref.uid());
        writtenStatus.remove(ref.uid());
        stillOrphaned.remove(ref.uid());
        reportedOrphans.remove(ref.uid());
      } catch (RuntimeException e) {
        // Retried by the next sweep; the other orphans are not held up.
        LOG.debug("deleting orphaned workload failed pod={} uid={}: {}", ref.key(), ref.uid(), e.toString());
      }
    }
    reportedOrphans.retainAll(stillOrphaned);
    sweeps.incrementAndGet();
  }

  /**
   * Whether no pod in the cache has this UID, and the workers have nothing pending for it: a UID with a tombstone
   * is deleted by its key's worker, and a UID in {@code deletedUids} or recently deleted by a worker was deleted
   * already (the listing may predate that delete).
   */
  private boolean isOrphan(PodRef ref) {
    String uid = ref.uid();
    if (!informer.getIndexer().byIndex(UID_INDEX, uid).isEmpty() || deletedUids.contains(uid)
        || workerDeletes.containsKey(uid)) {
      return false;
    }
    return tombstones.values().stream().noneMatch(gone -> gone.containsKey(uid));
  }

  /** The least a provider's {@code deletePod} gets for an orphan: namespace, name and UID. */
  static Pod skeleton(PodRef ref) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ref.key().namespace()).withName(ref.key().name()).withUid(ref.uid())
        .endMetadata()
        .build();
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  /** Informer callbacks: they only record and enqueue; all work happens on the queue's workers. */
  private final class Handler implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      queue.add(PodKey.of(pod));
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {
      if (!Objects.equals(oldPod.getMetadata().getUid(), newPod.getMetadata().getUid())) {
        remember(oldPod);
      }
      queue.add(PodKey.of(newPod));
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      remember(pod);
      queue.add(PodKey.of(pod));
    }

    private void remember(Pod pod) {
      tombstones.computeIfAbsent(PodKey.of(pod), k -> new ConcurrentHashMap<>())
          .put(pod.getMetadata().getUid(), pod);
    }
  }

  /**
   * Hashes of a status we wrote and of the status the API server stored for it, and the resourceVersion of the pod
   * the write replaced.
   */
  private record WrittenStatus(int sent, int stored, String replacedVersion) {
    static WrittenStatus of(PodStatus sent, PodStatus stored, String replacedVersion) {
      return new WrittenStatus(sent.hashCode(), Objects.hashCode(stored), replacedVersion);
    }

    boolean covers(PodStatus fromProvider, Pod cached) {
      return sent == fromProvider.hashCode()
          && (stored == Objects.hashCode(cached.getStatus())
              || Objects.equals(replacedVersion, cached.getMetadata().getResourceVersion()));
    }
  }
}
