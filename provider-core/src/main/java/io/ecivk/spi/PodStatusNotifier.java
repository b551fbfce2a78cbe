package io.ecivk.spi;

/**
 * Optional capability of a {@link PodLifecycleHandler}: the provider watches its backend and says when a pod's
 * status changed, so the framework never polls per pod. Discovered with {@code instanceof}.
 */
public interface PodStatusNotifier {

  /**
   * Registers the one listener, before the provider starts. The provider calls it, from its own threads, for
   * every pod incarnation whose status (as {@link PodLifecycleHandler#getPodStatus} answers it) may have changed.
   */
  void setPodStatusListener(Listener listener);

  /** Receives status-change notices. Must return at once: it only records the pod for a worker. */
  @FunctionalInterface
  interface Listener {
    void podStatusChanged(PodRef pod);
  }
}
