package io.ecivk.spi;

import java.util.List;

/**
 * Optional capability of a {@link PodLifecycleHandler}: lists the workloads the provider runs for this node, so the
 * framework can find orphans (a workload whose pod is gone: deleted while no agent ran, or force-deleted and missed)
 * and delete them. Orphans cost money and are never left behind. Discovered with {@code instanceof}.
 */
public interface WorkloadLister {

  /**
   * The pod incarnations that have a workload on this node, as the backend reports them now. Blocking (one or more
   * backend calls), called from a worker or sweeper thread only. Only workloads this agent's cluster and node own
   * are listed; anything else is never touched.
   *
   * @throws io.ecivk.spi.errors.ProviderException when the backend cannot be listed; the sweep is then skipped
   */
  List<PodRef> listWorkloads();
}
