package io.ecivk.queue;

/**
 * Brings the world in line with the desired state of one key. Called by {@link QueueWorkers}, never for the same
 * key from two threads at once, but for different keys concurrently: implementations must be thread-safe.
 *
 * <p>Level-based, as controller-runtime's {@code Reconciler}: the key carries no event. The reconciler re-reads
 * the current state (from a lister, from the provider) and acts on that, so it is correct however many adds were
 * collapsed into one call, and a deletion is observed as absence.
 *
 * <p>Contains no retry logic: to be retried, throw.
 *
 * @param <K> the key type; see {@link WorkQueue} for what keys must satisfy
 */
@FunctionalInterface
public interface Reconciler<K> {

  /**
   * Brings the world in line for {@code key}.
   *
   * <p>Throwing asks for a retry with per-key backoff, which never gives up. A {@link
   * io.ecivk.spi.errors.ProviderException} (thrown directly or as a cause) with a retry-after hint delays the retry
   * by at least that hint. A reconcile that must not be retried (an invalid spec, say) handles that itself,
   * for example by marking the pod failed, and returns normally.
   *
   * @return what to do next; never null
   * @throws Exception to be retried with backoff
   */
  SyncResult reconcile(K key) throws Exception;
}
