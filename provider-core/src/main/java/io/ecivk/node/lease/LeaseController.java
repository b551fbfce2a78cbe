package io.ecivk.node.lease;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's Lease in {@code kube-node-lease} renewed: the cheap heartbeat the node-lifecycle controller
 * watches (KEP-589, "Efficient node heartbeats"). Holder identity is the node name, as for the kubelet.
 *
 * <p>Every {@code renewInterval} it updates {@code spec.renewTime} with the resourceVersion it last wrote (a
 * replace with optimistic locking, never a blind overwrite), creating the Lease if it is absent. On a 409 it
 * forgets what it wrote and re-reads on the next tick. On any other error it retries sooner, with a short bounded
 * backoff (200 ms doubling, at most the renew interval), like virtual-kubelet's {@code lease_controller_v1.go}.
 * A Lease another holder still holds is never overwritten; it is retried every tick and taken over only once it
 * expires. Errors are logged once per outage (WARN), recovery once (INFO).
 *
 * <p>Threading: all renewals run on the given scheduler, one at a time; {@link #renewNow()} may also be called
 * from another thread (it is serialised with them). Timestamps come from the injected {@link Clock}.
 */
public final class LeaseController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseController.class);
  private static final Duration INITIAL_BACKOFF = Duration.ofMillis(200);

  private final KubernetesClient client;
  private final String nodeName;
  private final int durationSeconds;
  private final Duration renewInterval;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Supplier<Optional<OwnerReference>> owner;
  private final Backoff backoff;

  private final Object renewLock = new Object();
  private Lease lastWritten; // guarded by renewLock
  private volatile Instant lastRenewal;
  private volatile boolean closed;
  private volatile ScheduledFuture<?> nextTick;
  // Touched only by tick(), which the scheduler runs one at a time.
  private int consecutiveFailures;
  private String reportedOtherHolder;

  /**
   * @param owner the Node's owner reference, once the Node exists (its UID changes if the Node is re-created)
   */
  public LeaseController(
      KubernetesClient client,
      String nodeName,
      Duration leaseDuration,
      Duration renewInterval,
      Clock clock,
      ScheduledExecutorService scheduler,
      Supplier<Optional<OwnerReference>> owner) {
    this.client = Objects.requireNonNull(client, "client");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.durationSeconds = Math.toIntExact(Objects.requireNonNull(leaseDuration, "leaseDuration").toSeconds());
    this.renewInterval = Objects.requireNonNull(renewInterval, "renewInterval");
    if (durationSeconds < 1 || renewInterval.isNegative() || renewInterval.isZero()
        || renewInterval.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException(
          "need 0 < renewInterval < leaseDuration (>= 1 s), got " + renewInterval + ", " + leaseDuration);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.backoff = new Backoff(INITIAL_BACKOFF, renewInterval.compareTo(INITIAL_BACKOFF) < 0
        ? INITIAL_BACKOFF : renewInterval);
  }

  /**
   * Creates or renews the Lease once, now, on the calling thread.
   *
   * @return the Lease as the API server stored it
   * @throws LeaseHeldException if another holder holds it and it has not expired
   * @throws KubernetesClientException if the API server refused or could not be reached (409: someone wrote the
   *     Lease since we last did; the next call re-reads it)
   */
  public Lease renewNow() {
    synchronized (renewLock) {
      Resource<Lease> resource = client.leases().inNamespace(NodeLeases.NAMESPACE).withName(nodeName);
      try {
        Lease current = lastWritten != null ? lastWritten : resource.get();
        Instant now = clock.instant();
        Lease written;
        if (current == null) {
          written = client.leases().inNamespace(NodeLeases.NAMESPACE)
              .resource(NodeLeases.newLease(nodeName, nodeName, durationSeconds, now, owner.get()))
              .create();
        } else {
          if (NodeLeases.heldByOther(current, nodeName, now)) {
            throw new LeaseHeldException(nodeName, current.getSpec().getHolderIdentity(),
                NodeLeases.validUntil(current).orElseThrow());
          }
          written = client.leases().inNamespace(NodeLeases.NAMESPACE)
              .resource(NodeLeases.renewed(current, nodeName, durationSeconds, now, owner.get()))
              .update();
        }
        lastWritten = written;
        lastRenewal = now;
        return written;
      } catch (RuntimeException e) {
        // Whatever happened, the next attempt starts from what the API server has.
        lastWritten = null;
        throw e;
      }
    }
  }

  /** Starts renewing every renew interval on the scheduler; the first renewal is one interval from now. */
  public void start() {
    schedule(renewInterval);
  }

  /** When the Lease was last renewed by us (our clock), if ever. */
  public Optional<Instant> lastRenewal() {
    return Optional.ofNullable(lastRenewal);
  }

  /** Stops renewing. The Lease stays; it expires on its own. */
  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> f = nextTick;
    if (f != null) {
      f.cancel(false);
    }
  }

  private void schedule(Duration delay) {
    if (closed) {
      return;
    }
    try {
      nextTick = scheduler.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      if (!closed) {
        log.warn("Lease {}/{}: scheduler refused the next renewal; renewals stop", NodeLeases.NAMESPACE, nodeName);
      }
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    Duration delay = renewInterval;
    try {
      renewNow();
      if (consecutiveFailures > 0) {
        log.info("Lease {}/{} renewed again after {} failed attempt(s)", NodeLeases.NAMESPACE, nodeName,
            consecutiveFailures);
      }
      consecutiveFailures = 0;
      reportedOtherHolder = null;
      backoff.reset();
    } catch (LeaseHeldException e) {
      // Not an error of ours to back off from: someone else renews it. Look again next tick.
      if (!e.holder().equals(reportedOtherHolder)) {
        log.warn("{}; not renewing until it expires", e.getMessage());
        reportedOtherHolder = e.holder();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        log.debug("Lease {}/{} was written by someone else; re-reading on the next tick", NodeLeases.NAMESPACE,
            nodeName);
      } else {
        delay = failed(e);
      }
    } catch (RuntimeException e) {
      delay = failed(e);
    } finally {
      schedule(delay);
    }
  }

  private Duration failed(RuntimeException e) {
    Duration delay = backoff.next();
    if (consecutiveFailures++ == 0) {
      log.warn("Lease {}/{} renewal failed (retrying with backoff, logged once per outage): {}",
          NodeLeases.NAMESPACE, nodeName, e.toString());
    } else {
      log.debug("Lease {}/{} renewal failed again ({}), next attempt in {} ms", NodeLeases.NAMESPACE, nodeName,
          e.toString(), delay.toMillis());
    }
    return delay;
  }
}
