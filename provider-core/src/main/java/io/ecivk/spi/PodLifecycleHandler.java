package io.ecivk.spi;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.ecivk.spi.errors.ProviderException;
import java.util.Optional;

/**
 * Runs pods on a backend. The one interface every provider implements.
 *
 * <p>Contract for all methods:
 *
 * <ul>
 *   <li>Thread-safe: the framework calls from several worker threads at once, never twice at once for the same
 *       pod key.
 *   <li>{@link #createPod} and {@link #deletePod} may block on the backend, bounded by the provider's own
 *       timeouts; the framework calls them from worker threads only, never from an event loop or an informer.
 *       {@link #getPodStatus} must not block: it answers from what the provider already knows.
 *   <li>Failures are thrown as {@link ProviderException}; the category decides whether the framework retries
 *       (it retries {@code THROTTLED} and {@code TRANSIENT} forever, with backoff) or fails the pod
 *       ({@code INVALID_REQUEST}: phase {@code Failed}, reason {@code ProviderFailed}, the message as a Warning
 *       event). Providers never retry internally.
 *   <li>Pods passed in come from the informer cache and must not be modified.
 * </ul>
 */
public interface PodLifecycleHandler {

  /**
   * Creates the backend workload of a pod. Idempotent per pod UID: called again for a pod whose workload
   * already exists (a retry, an agent restart), it creates nothing new and succeeds.
   *
   * @param pod the pod and what the framework resolved for it from the API server (env, volume files,
   *     registry credentials), so the provider needs no Kubernetes client
   * @return events and annotations the framework records on the pod
   */
  CreateResult createPod(ResolvedPod pod);

  /**
   * Deletes the backend workload of this pod incarnation (its UID), and nothing else: a workload of another pod
   * with the same name is never touched. Idempotent: a workload that is already gone, or was never created, is
   * success. Must need only the pod's metadata (namespace, name, uid): the orphan sweep deletes workloads whose
   * pod no longer exists, from a pod object carrying nothing else.
   */
  void deletePod(Pod pod);

  /**
   * This pod incarnation's status as the backend last reported it, without calling the backend. Empty when the
   * provider has nothing for this incarnation (yet), e.g. before its first status poll after a create. The
   * status is a new object the caller may keep.
   */
  Optional<PodStatus> getPodStatus(Pod pod);
}
