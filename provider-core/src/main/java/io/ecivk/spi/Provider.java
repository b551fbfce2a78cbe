package io.ecivk.spi;

/**
 * A complete provider: runs pods and backs a node. Optional capabilities ({@link PodStatusNotifier},
 * {@link PodEventSource}, {@link WorkloadLister}, {@link ContainerLogs}, {@link ContainerExec},
 * {@link PodStatsSource}) are further interfaces the same object may implement.
 */
public interface Provider extends PodLifecycleHandler, NodeProvider, AutoCloseable {

  /** Starts the provider's own background work (status polling). Called once, before any other method. */
  default void start() {}

  /** Stops background work and releases resources; the provider is not used afterwards. */
  @Override
  default void close() {}
}
