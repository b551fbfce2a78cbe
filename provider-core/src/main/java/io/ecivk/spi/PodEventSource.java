package io.ecivk.spi;

/**
 * Optional capability of a {@link PodLifecycleHandler}: the provider relays the events its backend reports about
 * pods (a stock-out, a spot reclamation notice, an out-of-memory kill) so that they appear as Kubernetes Events
 * on the pod. Discovered with {@code instanceof}.
 *
 * <p>Contract: the provider de-duplicates what it relays (it reports an event again only when its count grew);
 * the framework records an event only on a pod incarnation it still has (by UID) and never creates a second
 * Kubernetes Event for the same pod, type, reason and message.
 */
public interface PodEventSource {

  /** Registers the one listener, before the provider starts. */
  void setPodEventListener(EventListener listener);

  /** Receives observed events. Must return at once: recording happens on the framework's own thread. */
  @FunctionalInterface
  interface EventListener {
    void podEvent(PodRef pod, ObservedEvent event);
  }
}
