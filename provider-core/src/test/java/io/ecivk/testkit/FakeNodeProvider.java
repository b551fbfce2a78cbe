package io.ecivk.testkit;

import io.ecivk.spi.NodeProvider;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-memory {@link NodeProvider} whose reachability and capacity tests switch at will. Thread-safe.
 *
 * <ul>
 *   <li>{@link #failPings(ProviderException)}: every ping throws it until {@link #recover()};
 *   <li>{@link #blockPings()}: pings block (as on a hung connection) until {@link #unblockPings()};
 *   <li>{@link #capacity(Map)}: what {@link #capacity()} answers from now on.
 * </ul>
 */
public final class FakeNodeProvider implements NodeProvider {
  private final AtomicReference<ProviderException> failure = new AtomicReference<>();
  private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();
  private final AtomicInteger pings = new AtomicInteger();
  private volatile Map<String, Quantity> capacity;

  public FakeNodeProvider(Map<String, Quantity> capacity) {
    capacity(capacity);
  }

  /** A provider with {@code cpu}, {@code memory} and {@code pods} capacity, e.g. ("1000", "4Ti", "5000"). */
  public static FakeNodeProvider withCapacity(String cpu, String memory, String pods) {
    return new FakeNodeProvider(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods",
        new Quantity(pods)));
  }

  @Override
  public void ping() {
    pings.incrementAndGet();
    CountDownLatch g = gate.get();
    if (g != null) {
      try {
        g.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("ping interrupted", e);
      }
    }
    ProviderException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  @Override
  public Map<String, Quantity> capacity() {
    return capacity;
  }

  public void capacity(Map<String, Quantity> capacity) {
    this.capacity = Map.copyOf(Objects.requireNonNull(capacity, "capacity"));
  }

  /** Every ping from now on throws {@code e}. */
  public void failPings(ProviderException e) {
    failure.set(Objects.requireNonNull(e, "e"));
  }

  /** Pings succeed again. */
  public void recover() {
    failure.set(null);
  }

  /** Pings from now on block until {@link #unblockPings()}. */
  public void blockPings() {
    gate.compareAndSet(null, new CountDownLatch(1));
  }

  /** Releases blocked pings; later pings do not block. */
  public void unblockPings() {
    CountDownLatch g = gate.getAndSet(null);
    if (g != null) {
      g.countDown();
    }
  }

  /** How many pings were started so far. */
  public int pingCount() {
    return pings.get();
  }
}
