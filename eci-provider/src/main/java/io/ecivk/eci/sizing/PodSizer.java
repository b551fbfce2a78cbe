package io.ecivk.eci.sizing;

import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sizes a pod for ECI.
 *
 * <p>Per container the limit counts if set, else the request (ECI sizes by the limit, eci-openapi.md §5). The
 * pod needs, per resource independently, the larger of the sum over its app containers and the largest init
 * container, since init containers run one at a time before the app containers. A pod that sets no cpu and no
 * memory anywhere gets ECI's default of 2 vCPU / 4 GiB; a pod that sets only one of the two asks for 0 of the
 * other, and the table's smallest spec for the one it set decides. The result is the smallest spec of the table
 * that holds both numbers, as ECI's own rounding does.
 */
public final class PodSizer {

  /** The error code of a pod no spec of the table can hold. */
  public static final String UNSUPPORTED_SPEC = "UnsupportedSpec";

  /** The reason of the event recorded when the pod was rounded up, the one ECI's virtual node uses. */
  public static final String AUTO_INSTANCE_TYPE_MATCH = "AutoInstanceTypeMatch";

  /** What ECI runs a pod that asks for nothing with. */
  public static final EciSpec ECI_DEFAULT = new EciSpec(2.0f, 4.0f);

  private PodSizer() {}

  /**
   * Sizes {@code pod}.
   *
   * @throws ProviderException {@code INVALID_REQUEST}: code {@link #UNSUPPORTED_SPEC} when no spec of {@code
   *     table} holds the pod; code {@link ContainerResources#INVALID_POD_FIELD} when a cpu or memory quantity is
   *     negative or unreadable
   */
  public static PodSize size(Pod pod, EciSpecTable table) {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(table, "table");
    List<Container> containers =
        pod.getSpec() == null || pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
    List<Container> initContainers =
        pod.getSpec() == null || pod.getSpec().getInitContainers() == null
            ? List.of()
            : pod.getSpec().getInitContainers();

    Total app = new Total();
    for (int i = 0; i < containers.size(); i++) {
      app.add(ContainerResources.of(containers.get(i), "spec.containers[" + i + "]"));
    }
    Total init = new Total();
    for (int i = 0; i < initContainers.size(); i++) {
      init.max(ContainerResources.of(initContainers.get(i), "spec.initContainers[" + i + "]"));
    }

    BigDecimal cpu;
    BigDecimal memory;
    if (!app.anySet() && !init.anySet()) {
      cpu = ECI_DEFAULT.exactCpu();
      memory = ECI_DEFAULT.exactMemoryGiB();
    } else {
      cpu = app.cpu.max(init.cpu);
      memory = app.memory.max(init.memory);
    }

    Optional<EciSpec> fitting = table.smallestFitting(cpu, memory);
    if (fitting.isEmpty()) {
      EciSpec largest = table.largest();
      throw new ProviderException(
          ErrorCategory.INVALID_REQUEST,
          UNSUPPORTED_SPEC,
          "pod needs " + EciSpec.decimal(cpu) + " vCPU / " + EciSpec.decimal(memory)
              + " GiB, more than the largest ECI spec (" + EciSpec.decimal(largest.cpu()) + " vCPU / "
              + EciSpec.decimal(largest.memoryGiB()) + " GiB)");
    }
    EciSpec spec = fitting.get();
    boolean adjusted = spec.exactCpu().compareTo(cpu) != 0 || spec.exactMemoryGiB().compareTo(memory) != 0;
    return new PodSize(cpu.floatValue(), memory.floatValue(), spec, adjusted);
  }

  /** The Normal event telling the pod's owner that ECI runs it at {@code spec}, larger than it asked for. */
  public static ProviderEvent autoInstanceTypeMatchEvent(EciSpec spec) {
    return ProviderEvent.normal(
        AUTO_INSTANCE_TYPE_MATCH, "The most-matched instanceType for current eci instance is " + spec.label());
  }

  /** A running sum or maximum of container resources; only used inside one call. */
  private static final class Total {
    BigDecimal cpu = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
    boolean cpuSet;
    boolean memorySet;

    void add(ContainerResources resources) {
      resources.cpu().ifPresent(c -> cpu = cpu.add(c));
      resources.memoryGiB().ifPresent(m -> memory = memory.add(m));
      note(resources);
    }

    void max(ContainerResources resources) {
      resources.cpu().ifPresent(c -> cpu = cpu.max(c));
      resources.memoryGiB().ifPresent(m -> memory = memory.max(m));
      note(resources);
    }

    boolean anySet() {
      return cpuSet || memorySet;
    }

    private void note(ContainerResources resources) {
      cpuSet |= resources.cpu().isPresent();
      memorySet |= resources.memoryGiB().isPresent();
    }
  }
}
