package io.ecivk.node;

import io.ecivk.node.lease.Backoff;
import io.ecivk.node.lease.LeaseController;
import io.ecivk.node.lease.LeaseHeldException;
import io.ecivk.node.lease.NodeLeases;
import io.ecivk.spi.NodeProvider;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the virtual node and keeps it alive: the Node object, its status, its Lease, and the provider's
 * reachability as a condition and a taint. The Java counterpart of virtual-kubelet's {@code NodeController}
 * ({@code node/node.go}, {@code lease_controller_v1.go}, {@code node_ping_controller.go}), with one deliberate
 * difference: a failed ping does not stop heartbeats (virtual-kubelet lets the node go NotReady). An unreachable
 * provider keeps the node Ready, so pods already running keep their endpoints, and adds a {@code NoSchedule}
 * taint with key {@link NodeConfig#providerTaintKey()} plus {@code ProviderReachable=False}, so no new pods come.
 *
 * <p>What it writes, and nothing else (see {@code NodeTemplate}): our label keys, annotation
 * {@value #AGENT_ANNOTATION}, our taint keys, and in {@code /status} our six conditions, capacity = allocatable
 * from {@link NodeProvider#capacity()}, the InternalIP/Hostname addresses, the daemon endpoint and nodeInfo.
 * Labels and taints are written with a JSON merge patch carrying the resourceVersion read (409 → re-read and
 * recompute, up to {@value #MAX_CONFLICT_RETRIES} times); status likewise with a JSON merge patch that keeps
 * the conditions others added and carries the resourceVersion read (a 409 is retried with backoff).
 *
 * <p>Timers: the Lease every {@link NodeConfig#leaseRenewInterval()}; node status every
 * {@link NodeConfig#statusUpdateInterval()} and at once when reachability or capacity changes; failed status
 * updates are retried with a short bounded backoff. Lease and status run on the injected scheduler (one
 * thread suffices). {@link NodeProvider#ping()} may block up to the provider's timeout, so it runs on a thread
 * of this controller's own, every {@link NodeConfig#pingInterval()}: a slow backend can never delay the Lease,
 * and no informer or event-loop thread ever calls it. All timestamps come from the injected {@link Clock}.
 *
 * <p>Thread-safe. {@link #start()} once, {@link #close()} once.
 */
public final class NodeController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeController.class);

  /** The node condition that reports whether the provider answers its pings. */
  public static final String CONDITION_PROVIDER_REACHABLE = NodeTemplate.PROVIDER_REACHABLE;
  /** The annotation that marks a Node as registered by this agent. */
  public static final String AGENT_ANNOTATION = NodeTemplate.AGENT_ANNOTATION;

  static final int MAX_CONFLICT_RETRIES = 5;
  /**
   * start() waits for the first ping at most one ping interval, but at least 1 s and at most 10 s, then registers
   * the node as unreachable until the ping answers.
   */
  static final Duration FIRST_PING_MIN_WAIT = Duration.ofSeconds(1);
  static final Duration FIRST_PING_MAX_WAIT = Duration.ofSeconds(10);
  private static final Duration SYNC_INITIAL_BACKOFF = Duration.ofMillis(200);
  private static final Duration SYNC_MAX_BACKOFF = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final NodeProvider provider;
  private final NodeConfig config;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final String name;
  private final LeaseController lease;

  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;
  private volatile ScheduledExecutorService pingThread;
  private volatile ScheduledFuture<?> statusTick;

  /** What the last ping said; null until the first one answered or start() stopped waiting for it. */
  private final AtomicReference<ProviderHealth> health = new AtomicReference<>();
  private volatile String nodeUid;
  private volatile Map<String, Quantity> lastCapacity;

  private final AtomicBoolean syncQueued = new AtomicBoolean();
  private final ReentrantLock syncLock = new ReentrantLock();
  // Guarded by syncLock.
  private boolean registered;
  private int syncFailures;
  private final Backoff syncBackoff = new Backoff(SYNC_INITIAL_BACKOFF, SYNC_MAX_BACKOFF);

  public NodeController(
      KubernetesClient client,
      NodeProvider provider,
      NodeConfig config,
      Clock clock,
      ScheduledExecutorService scheduler) {
    this.client = Objects.requireNonNull(client, "client");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.name = config.nodeName();
    this.lease = new LeaseController(client, name, config.leaseDuration(), config.leaseRenewInterval(), clock,
        scheduler, () -> Optional.ofNullable(nodeUid).map(uid -> NodeLeases.nodeOwner(name, uid)));
  }

  /**
   * Registers the node and starts its heartbeats. On return the Node exists with our labels, taints and status
   * (Ready=True), the Lease is renewed, and {@link #ready()} is complete.
   *
   * <p>Steps: ping the provider once (waiting one ping interval, at least 1 s and at most 10 s; a slower
   * provider is registered as unreachable until it answers); read the Node and its Lease and refuse a name held
   * by someone else (rules in {@code NodeOwnership}: another valid Lease holder; annotation
   * {@value #AGENT_ANNOTATION} with another value; or, without our annotation, label {@code type=virtual-kubelet}
   * or a posted {@code nodeInfo.kubeletVersion}); create the Node, or take over our own by patching only the
   * fields we own; post status; renew the Lease; schedule the loops.
   *
   * @throws NodeConflictException if the name is taken; nothing was written
   * @throws KubernetesClientException if the API server refused a request or could not be reached
   * @throws IllegalStateException if called twice or after {@link #close()}
   */
  public void start() {
    if (closed || !started.compareAndSet(false, true)) {
      throw new IllegalStateException("NodeController for " + name + " can be started once, before close()");
    }
    try {
      pingThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-ping-" + name);
        t.setDaemon(true);
        return t;
      });
      firstPing();

      Node node = nodes().get();
      Lease existingLease = client.leases().inNamespace(NodeLeases.NAMESPACE).withName(name).get();
      Optional<String> conflict = NodeOwnership.conflict(config, node, existingLease, clock.instant());
      if (conflict.isPresent()) {
        throw new NodeConflictException(name, conflict.get());
      }
      syncLock.lock();
      try {
        ProviderHealth h = currentHealth();
        if (node == null) {
          node = create(h);
          log.info("Node {} created", name);
        } else {
          log.info("Node {} exists; taking it over (patching only the fields this agent owns)", name);
        }
        publish(node, h);
        registered = true;
      } finally {
        syncLock.unlock();
      }
      try {
        lease.renewNow();
      } catch (LeaseHeldException e) {
        throw new NodeConflictException(name, e.getMessage());
      }
      lease.start();
      long statusMillis = config.statusUpdateInterval().toMillis();
      statusTick = scheduler.scheduleWithFixedDelay(this::periodicSync, statusMillis, statusMillis,
          TimeUnit.MILLISECONDS);
      long pingMillis = config.pingInterval().toMillis();
      pingThread.scheduleWithFixedDelay(this::pingOnce, pingMillis, pingMillis, TimeUnit.MILLISECONDS);
      log.info("Node {} registered and Ready (provider {}); lease every {} s, status every {} s", name,
          providerReachable() ? "reachable" : "unreachable", config.leaseRenewInterval().toSeconds(),
          config.statusUpdateInterval().toSeconds());
      ready.complete(null);
    } catch (RuntimeException e) {
      stop();
      ready.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Completes once the node is registered, its status says Ready and its Lease is renewed; completes
   * exceptionally if {@link #start()} failed or the controller was closed first.
   */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** Whether the provider answered its last ping (false before the first answer). */
  public boolean providerReachable() {
    ProviderHealth h = health.get();
    return h != null && h.reachable();
  }

  /** When the Lease was last renewed (this controller's clock), if ever. */
  public Optional<Instant> lastLeaseRenewal() {
    return lease.lastRenewal();
  }

  /**
   * Asks for a node status update now instead of at the next interval, e.g. when the provider's capacity
   * changed. Returns at once; updates requested while one is pending are coalesced.
   */
  public void requestStatusUpdate() {
    if (closed) {
      return;
    }
    if (syncQueued.compareAndSet(false, true)) {
      try {
        scheduler.execute(() -> {
          syncQueued.set(false);
          syncSafely();
        });
      } catch (RejectedExecutionException e) {
        syncQueued.set(false);
      }
    }
  }

  /**
   * Stops the heartbeats and the pings. The Node and its Lease stay as they are (the Lease expires, and the
   * node-lifecycle controller then marks the node NotReady); whether to delete the Node is the caller's choice.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    boolean wasReady = ready.isDone() && !ready.isCompletedExceptionally();
    ready.completeExceptionally(new CancellationException("NodeController for " + name + " was closed"));
    if (wasReady) {
      log.info("Node {}: heartbeats stopped; the Node and its Lease stay", name);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Provider pings (on pingThread).

  private void firstPing() {
    Future<?> first = pingThread.submit(this::pingOnce);
    try {
      first.get(firstPingWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      if (health.compareAndSet(null, ProviderHealth.pending(firstPingWait()))) {
        log.warn("Node {}: the provider has not answered its first ping within {} ms; registering the node as "
            + "unreachable until it does", name, firstPingWait().toMillis());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("first provider ping failed unexpectedly", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the first provider ping", e);
    }
  }

  private void pingOnce() {
    if (closed) {
      return;
    }
    RuntimeException failure = null;
    try {
      provider.ping();
    } catch (RuntimeException e) {
      failure = e;
    }
    ProviderHealth next = ProviderHealth.afterPing(health.get(), failure);
    if (closed) {
      return;
    }
    ProviderHealth prev = health.getAndSet(next);
    if (prev == null || prev.reachable() != next.reachable()) {
      if (next.reachable()) {
        log.info("Node {}: provider reachable{}", name, prev == null ? "" : " again; removing taint "
            + config.providerTaintKey());
      } else {
        log.warn("Node {}: provider unreachable ({}: {}); tainting {}:NoSchedule, node stays Ready", name,
            next.reason(), next.message(), config.providerTaintKey());
      }
      if (prev != null) {
        requestStatusUpdate();
      }
    } else if (!prev.reason().equals(next.reason())) {
      log.debug("Node {}: provider still unreachable, now {}: {}", name, next.reason(), next.message());
      requestStatusUpdate();
    } else if (capacityChanged()) {
      requestStatusUpdate();
    }
  }

  private boolean capacityChanged() {
    Map<String, Quantity> last = lastCapacity;
    if (last == null) {
      return false;
    }
    try {
      return !last.equals(provider.capacity());
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Node object and status (on the scheduler, serialised by syncLock).

  private void periodicSync() {
    syncSafely();
  }

  private void syncSafely() {
    syncLock.lock();
    try {
      if (closed || !registered) {
        return;
      }
      sync();
      if (syncFailures > 0) {
        log.info("Node {}: status updated again after {} failed attempt(s)", name, syncFailures);
      }
      syncFailures = 0;
      syncBackoff.reset();
    } catch (RuntimeException e) {
      Duration retry = syncBackoff.next();
      if (syncFailures++ == 0) {
        log.warn("Node {}: status update failed (retrying with backoff, logged once per outage): {}", name,
            e.toString());
      } else {
        log.debug("Node {}: status update failed again ({}), retry in {} ms", name, e, retry.toMillis());
      }
      try {
        scheduler.schedule(this::requestStatusUpdate, retry.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException ignored) {
        // The scheduler is shutting down: so are we.
      }
    } finally {
      syncLock.unlock();
    }
  }

  /** One pass: re-read the Node (re-create it if someone deleted it), fix what we own, post status. */
  private void sync() {
    ProviderHealth h = currentHealth();
    Node node = nodes().get();
    if (node == null) {
      log.warn("Node {} was deleted by someone else; registering it again", name);
      node = create(h);
    }
    publish(node, h);
  }

  private void publish(Node node, ProviderHealth h) {
    for (int attempt = 1; ; attempt++) {
      node = reconcileMetadata(node, h);
      nodeUid = node.getMetadata().getUid();
      Map<String, Quantity> capacity = provider.capacity();
      List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
          ? List.of() : node.getStatus().getConditions();
      Map<String, Object> patch = new java.util.LinkedHashMap<>(
          NodeTemplate.statusPatch(config, capacity, h, conditions, clock.instant()));
      patch.put("metadata", Map.of("resourceVersion", node.getMetadata().getResourceVersion()));
      try {
        nodes().subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
        lastCapacity = Map.copyOf(capacity);
        return;
      } catch (KubernetesClientException e) {
        // Others write the Node too (the controller-manager edits a new node within seconds): re-read, redo.
        if (e.getCode() != 409 || attempt >= MAX_CONFLICT_RETRIES) {
          throw e;
        }
        log.debug("Node {} changed while we posted status (attempt {}); re-reading", name, attempt);
        node = nodes().get();
        if (node == null) {
          throw new KubernetesClientException("Node " + name + " disappeared while its status was posted", e);
        }
      }
    }
  }

  private Node create(ProviderHealth h) {
    try {
      return client.nodes().resource(NodeTemplate.newNode(config, h)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Created concurrently (by a previous attempt of ours whose answer was lost): use what is there.
      Node existing = nodes().get();
      if (existing == null) {
        throw e;
      }
      return existing;
    }
  }

  /** Patches our labels, annotation and taints onto {@code node} if they differ; 409 → re-read, recompute. */
  private Node reconcileMetadata(Node node, ProviderHealth h) {
    for (int attempt = 1; ; attempt++) {
      Optional<Map<String, Object>> patch = NodeTemplate.metadataPatch(config, h, node);
      if (patch.isEmpty()) {
        return node;
      }
      try {
        return nodes().patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch.get()));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= MAX_CONFLICT_RETRIES) {
          throw e;
        }
        log.debug("Node {} changed while we patched it (attempt {}); re-reading", name, attempt);
        node = nodes().get();
        if (node == null) {
          throw new KubernetesClientException("Node " + name + " disappeared while being patched", e);
        }
      }
    }
  }

  private ProviderHealth currentHealth() {
    ProviderHealth h = health.get();
    return h != null ? h : ProviderHealth.pending(firstPingWait());
  }

  private Duration firstPingWait() {
    Duration d = config.pingInterval();
    return d.compareTo(FIRST_PING_MIN_WAIT) < 0 ? FIRST_PING_MIN_WAIT
        : d.compareTo(FIRST_PING_MAX_WAIT) > 0 ? FIRST_PING_MAX_WAIT : d;
  }

  private Resource<Node> nodes() {
    return client.nodes().withName(name);
  }

  private void stop() {
    ScheduledFuture<?> f = statusTick;
    if (f != null) {
      f.cancel(false);
    }
    lease.close();
    ScheduledExecutorService p = pingThread;
    if (p != null) {
      // Interrupts a ping that blocks; the provider's call is expected to honour it or time out on its own.
      p.shutdownNow();
    }
  }
}
