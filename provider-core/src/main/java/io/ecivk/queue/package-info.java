/**
 * The one place retries live: a keyed work queue in the manner of client-go's rate-limiting workqueue, its
 * per-key backoff, and the worker pool that drives a {@link io.ecivk.queue.Reconciler} from it.
 *
 * <p>Business code only reconciles a key and either returns a {@link io.ecivk.queue.SyncResult} or throws;
 * {@link io.ecivk.queue.QueueWorkers} turns that into the queue protocol ({@code done}, {@code forget},
 * {@code addRateLimited}, {@code addAfter}), so no caller has to remember it. Retries never give up: a key that
 * keeps failing is retried quickly at first, then every few minutes, until a reconcile succeeds.
 *
 * <p>The guarantees of {@link io.ecivk.queue.WorkQueue}, as client-go's {@code doc.go} puts them: fair (first
 * in, first out), stingy (a key is queued at most once, and never processed by two workers at once), many
 * producers and consumers, and shutdown that wakes every consumer.
 */
package io.ecivk.queue;
