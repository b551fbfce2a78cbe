package io.ecivk.spi;

import io.fabric8.kubernetes.api.model.Quantity;
import io.ecivk.spi.errors.ProviderException;
import java.util.Map;

/** The node-level side of a provider: what the virtual node offers and whether the backend answers. */
public interface NodeProvider {

  /**
   * Checks that the backend answers and accepts our credentials, with a cheap authenticated call. Blocking,
   * bounded by the provider's timeouts; called periodically from the node controller's own thread.
   *
   * @throws ProviderException when the backend cannot be reached or refuses us
   */
  void ping();

  /**
   * The node's capacity, e.g. {@code cpu}, {@code memory}, {@code pods}; also advertised as allocatable. Must
   * not block; the result may change between calls (the node controller re-reads it on every status update).
   */
  Map<String, Quantity> capacity();
}
