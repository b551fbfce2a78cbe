package io.ecivk.agent.burst;

import io.ecivk.agent.burst.BurstMarkers.Route;
import io.ecivk.events.EventRecorder;
import io.ecivk.queue.BackoffPolicy;
import io.ecivk.queue.QueueWorkers;
import io.ecivk.queue.SyncResult;
import io.ecivk.queue.WorkQueue;
import io.ecivk.spi.PodKey;
import io.ecivk.spi.ProviderEvent;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds pods that ask for ECI to the virtual node with a {@code pods/binding}, as a scheduler would:
 *
 * <ul>
 *   <li>{@code burst-resource: eci} pods once the default scheduler marked them {@code PodScheduled=False},
 *       reason {@code Unschedulable}, and at least {@code delay} has passed since (by the condition's
 *       {@code lastTransitionTime}), so a cluster-autoscaler can add an owned node first;
 *   <li>{@code eci_only} pods, and pods labelled {@code alibabacloud.com/eci=true} (or in a namespace so
 *       labelled), at once.
 * </ul>
 *
 * <p>Only pods that pass {@link FitCheck} against the virtual node are bound. Each decision is an Event on the
 * pod: {@value #REASON_BOUND} (Normal) when bound, {@value #REASON_REFUSED} (Warning) when not, once per distinct
 * refusal code per pod (a refused pod is re-checked every {@link #RECHECK} without a new Event for the same code).
 *
 * <p>Informers (unbound pods, namespaces, the virtual node) only enqueue; the work queue's workers decide and
 * bind, and retry failed binds with backoff. A 409 on bind (someone else bound the pod first, or it was
 * recreated) is a skip, not an error. Pods the binder has just bound count against the node's resources until
 * the pod controller's cache shows them, so parallel binds cannot overcommit the node.
 */
public final class BurstBinder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BurstBinder.class);
  public static final String REASON_BOUND = "BurstToECI";
  public static final String REASON_REFUSED = "BurstRefused";
  /** How often a refused pod is looked at again (the node's resources or readiness may have changed). */
  public static final Duration RECHECK = Duration.ofSeconds(30);
  /** How long a pod we bound counts as the node's without the pod controller's cache showing it. */
  static final Duration ASSUME_TTL = Duration.ofSeconds(60);
  private static final int WORKERS = 2;

  private final KubernetesClient client;
  private final String nodeName;
  private final Duration delay;
  private final Supplier<List<Pod>> boundPods;
  private final EventRecorder events;
  private final Clock clock;
  private final FitCheck fitCheck;
  private final WorkQueue<PodKey> queue;
  /** Refusal codes already reported, by pod uid; dropped when the pod is bound or leaves the unbound set. */
  private final Map<String, Set<String>> reported = new ConcurrentHashMap<>();
  /** Pods we bound that the bound-pods cache may not show yet, by uid. */
  private final Map<String, Assumed> assumed = new ConcurrentHashMap<>();
  /** Serializes fit check + assume, so two workers never both take the node's last free slot. */
  private final Object fitLock = new Object();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final AtomicLong bound = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();

  private volatile SharedIndexInformer<Pod> pods;
  private volatile SharedIndexInformer<Namespace> namespaces;
  private volatile SharedIndexInformer<Node> node;
  private volatile QueueWorkers<PodKey> workers;
  private volatile boolean closed;

  /**
   * @param nodeName the virtual node pods are bound to
   * @param delay how long a burst pod must have been Unschedulable before it is bound; zero binds at once
   * @param boundPods the pods bound to the virtual node (the pod controller's cache)
   * @param providerTaintKey the virtual node's own NoSchedule taint, which the binder overrides
   * @param component names the binder in Events ({@code source.component})
   * @param scheduler wakes up delayed queue keys; must outlive the binder
   */
  public BurstBinder(KubernetesClient client, String nodeName, Duration delay, Supplier<List<Pod>> boundPods,
      String providerTaintKey, String providerTaintValue, String component, Clock clock,
      ScheduledExecutorService scheduler) {
    this.client = Objects.requireNonNull(client, "client");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.delay = Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("burst delay must not be negative, got " + delay);
    }
    this.boundPods = Objects.requireNonNull(boundPods, "boundPods");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = new EventRecorder(client, component, nodeName, clock);
    this.fitCheck = new FitCheck(providerTaintKey, providerTaintValue);
    this.queue = WorkQueue.create("burstBinder", clock, scheduler, BackoffPolicy.defaults());
  }

  /** Starts the informers; {@link #ready()} completes once they are synced and the workers run. */
  public void start() {
    // The scheduler's own selector for pods it has to place: unbound and not terminated.
    SharedIndexInformer<Pod> podInformer = client.pods().inAnyNamespace()
        .withField("spec.nodeName", "")
        .withoutField("status.phase", "Succeeded")
        .withoutField("status.phase", "Failed")
        .runnableInformer(0);
    podInformer.addEventHandler(new PodHandler());
    SharedIndexInformer<Namespace> namespaceInformer = client.namespaces().runnableInformer(0);
    namespaceInformer.addEventHandler(new NamespaceHandler());
    SharedIndexInformer<Node> nodeInformer =
        client.nodes().withField("metadata.name", nodeName).runnableInformer(0);
    this.pods = podInformer;
    this.namespaces = namespaceInformer;
    this.node = nodeInformer;
    // Namespaces and the node first: the first pod events look them up.
    CompletableFuture.allOf(namespaceInformer.start().toCompletableFuture(),
            nodeInformer.start().toCompletableFuture())
        .thenCompose(ignored -> podInformer.start().toCompletableFuture())
        .whenComplete((ignored, failure) -> {
          if (failure != null) {
            ready.completeExceptionally(failure);
            return;
          }
          if (closed) {
            ready.completeExceptionally(new IllegalStateException("burst binder closed while starting"));
            return;
          }
          workers = QueueWorkers.start("burstBinder", queue, this::reconcile, WORKERS);
          LOG.info("burst binder ready node={} delay={} unboundPods={}", nodeName, delay,
              podInformer.getIndexer().list().size());
          ready.complete(null);
        });
  }

  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** Keys waiting for a worker; for metrics and tests. */
  public int queueDepth() {
    return queue.depth();
  }

  /** Pods this binder bound; for metrics and tests. */
  public long bound() {
    return bound.get();
  }

  /** Refusal decisions made, reported or not (a re-check with the same reason makes no new Event). */
  public long refusals() {
    return refusals.get();
  }

  @Override
  public void close() {
    closed = true;
    for (SharedIndexInformer<?> informer : new SharedIndexInformer<?>[] {pods, namespaces, node}) {
      if (informer != null) {
        informer.close();
      }
    }
    QueueWorkers<PodKey> w = workers;
    if (w != null) {
      w.close();
    } else {
      queue.close();
    }
  }

  SyncResult reconcile(PodKey key) {
    Pod pod = pods.getIndexer().getByKey(key.namespace() + "/" + key.name());
    if (pod == null) {
      return SyncResult.done();
    }
    Namespace namespace = namespaces.getIndexer().getByKey(key.namespace());
    Route route = BurstMarkers.route(pod, namespace);
    Instant now = clock.instant();
    BurstDecision decision;
    synchronized (fitLock) {
      decision = BurstDecision.decide(pod, route, now, delay, () -> fit(pod, now));
      if (decision instanceof BurstDecision.Bind) {
        assumed.put(pod.getMetadata().getUid(), new Assumed(pod, now));
      }
    }
    if (decision instanceof BurstDecision.Skip skip) {
      LOG.debug("burst skip pod={} why={}", key, skip.why());
      return SyncResult.done();
    }
    if (decision instanceof BurstDecision.Wait wait) {
      return SyncResult.requeueAfter(wait.after());
    }
    if (decision instanceof BurstDecision.Refuse refuse) {
      refuse(pod, refuse.fit());
      return SyncResult.requeueAfter(RECHECK);
    }
    bind(pod, (BurstDecision.Bind) decision);
    return SyncResult.done();
  }

  private Fit fit(Pod pod, Instant now) {
    Node virtualNode = node.getIndexer().getByKey(nodeName);
    if (virtualNode == null) {
      return Fit.refused("NodeMissing", "virtual node " + nodeName + " is not registered");
    }
    return fitCheck.check(pod, virtualNode, podsOnNode(now));
  }

  /** The node's pods from the cache, plus the pods we bound that it does not show yet. */
  private List<Pod> podsOnNode(Instant now) {
    List<Pod> cached = boundPods.get();
    if (assumed.isEmpty()) {
      return cached;
    }
    Set<String> uids = new HashSet<>();
    for (Pod p : cached) {
      uids.add(p.getMetadata().getUid());
    }
    List<Pod> all = new ArrayList<>(cached);
    assumed.entrySet().removeIf(e -> uids.contains(e.getKey())
        || Duration.between(e.getValue().at(), now).compareTo(ASSUME_TTL) > 0);
    assumed.values().forEach(a -> all.add(a.pod()));
    return all;
  }

  private void refuse(Pod pod, Fit fit) {
    refusals.incrementAndGet();
    Set<String> codes = reported.computeIfAbsent(pod.getMetadata().getUid(), k -> ConcurrentHashMap.newKeySet());
    if (codes.add(fit.code())) {
      LOG.info("burst refused pod={}/{} code={} reason=\"{}\"", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), fit.code(), fit.message());
      events.record(pod, ProviderEvent.warning(REASON_REFUSED, "not bound to " + nodeName + ": " + fit.message()));
    }
  }

  private void bind(Pod pod, BurstDecision.Bind decision) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    // The uid makes the API server refuse (409) a pod recreated under the same name since we decided; current
    // API servers check it, 1.20's ignores it (the window is the few milliseconds since the cache read).
    Binding binding = new BindingBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withUid(uid).endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(nodeName).endTarget()
        .build();
    try {
      client.bindings().inNamespace(namespace).resource(binding).create();
    } catch (KubernetesClientException e) {
      assumed.remove(uid);
      if (e.getCode() == 409 || e.getCode() == 404) {
        LOG.info("burst bind skipped pod={}/{} code={}: bound elsewhere, recreated or gone", namespace, name,
            e.getCode());
        reported.remove(uid);
        return;
      }
      throw e;
    }
    reported.remove(uid);
    bound.incrementAndGet();
    String message = decision.route() == Route.BURST
        ? "bound to " + nodeName + " after " + decision.unschedulableFor().toSeconds() + " s unschedulable"
        : "bound to " + nodeName + " directly: the pod asks for ECI (" + marker(pod) + ")";
    LOG.info("burst bound pod={}/{} node={} route={} unschedulableSeconds={}", namespace, name, nodeName,
        decision.route(), decision.unschedulableFor().toSeconds());
    events.record(pod, ProviderEvent.normal(REASON_BOUND, message));
  }

  private String marker(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations != null && BurstMarkers.ECI_ONLY.equals(annotations.get(BurstMarkers.BURST_ANNOTATION))) {
      return BurstMarkers.BURST_ANNOTATION + "=" + BurstMarkers.ECI_ONLY;
    }
    if (BurstMarkers.labelled(pod)) {
      return "label " + BurstMarkers.ECI_LABEL + "=true";
    }
    return "label " + BurstMarkers.ECI_LABEL + "=true on namespace " + pod.getMetadata().getNamespace();
  }

  private boolean candidate(Pod pod) {
    if (BurstMarkers.markedItself(pod)) {
      return true;
    }
    SharedIndexInformer<Namespace> ns = namespaces;
    Namespace namespace = ns == null ? null : ns.getIndexer().getByKey(pod.getMetadata().getNamespace());
    return namespace != null && BurstMarkers.labelled(namespace);
  }

  private record Assumed(Pod pod, Instant at) {}

  /** Only records and enqueues; informer threads never block. */
  private final class PodHandler implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      if (candidate(pod)) {
        queue.add(PodKey.of(pod));
      }
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {
      if (!Objects.equals(oldPod.getMetadata().getUid(), newPod.getMetadata().getUid())) {
        reported.remove(oldPod.getMetadata().getUid());
      }
      onAdd(newPod);
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      // Bound (it left the unbound set), finished or deleted: nothing more to report about it.
      reported.remove(pod.getMetadata().getUid());
    }
  }

  /** A namespace labelled for ECI (now or later) makes its unbound pods candidates. */
  private final class NamespaceHandler implements ResourceEventHandler<Namespace> {
    @Override
    public void onAdd(Namespace namespace) {
      if (!BurstMarkers.labelled(namespace)) {
        return;
      }
      SharedIndexInformer<Pod> p = pods;
      if (p == null) {
        return;
      }
      String name = namespace.getMetadata().getName();
      for (Pod pod : p.getIndexer().list()) {
        if (name.equals(pod.getMetadata().getNamespace())) {
          queue.add(PodKey.of(pod));
        }
      }
    }

    @Override
    public void onUpdate(Namespace oldNamespace, Namespace newNamespace) {
      if (!BurstMarkers.labelled(oldNamespace)) {
        onAdd(newNamespace);
      }
    }

    @Override
    public void onDelete(Namespace namespace, boolean deletedFinalStateUnknown) {}
  }
}
