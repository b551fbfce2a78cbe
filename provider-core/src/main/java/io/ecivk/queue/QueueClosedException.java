package io.ecivk.queue;

/**
 * Thrown by {@link WorkQueue#take()} once the queue is closed: the consumer should stop. Unchecked, because the
 * only sensible reaction is to leave the take loop, which a worker does in one place.
 */
public final class QueueClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  QueueClosedException(String queueName) {
    super("work queue " + queueName + " is closed");
  }
}
