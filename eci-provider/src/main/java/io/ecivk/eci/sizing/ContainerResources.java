package io.ecivk.eci.sizing;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one container asks ECI for: per resource its limit if set, else its request. ACK's ECI documentation
 * says that when a limit and a request differ, the instance is sized by the limit (eci-openapi.md §5).
 *
 * @param cpu vCPUs, empty when the container sets neither a cpu limit nor a cpu request
 * @param memoryGiB GiB (2^30 bytes), empty when the container sets neither a memory limit nor a request
 */
public record ContainerResources(Optional<BigDecimal> cpu, Optional<BigDecimal> memoryGiB) {

  /** The error code of a quantity that is negative or cannot be read. */
  public static final String INVALID_POD_FIELD = "InvalidPodField";

  private static final BigDecimal BYTES_PER_GIB = BigDecimal.valueOf(1L << 30);

  public ContainerResources {
    Objects.requireNonNull(cpu, "cpu");
    Objects.requireNonNull(memoryGiB, "memoryGiB");
  }

  /**
   * Reads {@code container}'s cpu and memory.
   *
   * @param path where the container is in the pod, for error messages, e.g. {@code spec.containers[0]}
   * @throws ProviderException {@code INVALID_REQUEST} naming the field (e.g. {@code
   *     spec.containers[0].resources.limits.cpu}) when a quantity is negative or cannot be read
   */
  public static ContainerResources of(Container container, String path) {
    ResourceRequirements resources = container.getResources();
    Map<String, Quantity> limits = resources == null ? null : resources.getLimits();
    Map<String, Quantity> requests = resources == null ? null : resources.getRequests();
    Optional<BigDecimal> cpu = limitElseRequest(limits, requests, "cpu", path);
    Optional<BigDecimal> memory = limitElseRequest(limits, requests, "memory", path).map(ContainerResources::gib);
    return new ContainerResources(cpu, memory);
  }

  /** The extended resource of NVIDIA GPUs. */
  public static final String NVIDIA_GPU = "nvidia.com/gpu";

  /**
   * The NVIDIA GPUs {@code container} asks for: its {@code nvidia.com/gpu} limit, else its request (Kubernetes
   * requires the two to be equal for extended resources); empty when it sets neither or sets 0.
   *
   * @throws ProviderException {@code INVALID_REQUEST} naming the field when the count is not a whole number
   */
  public static Optional<Integer> gpus(Container container, String path) {
    ResourceRequirements resources = container.getResources();
    Map<String, Quantity> limits = resources == null ? null : resources.getLimits();
    Map<String, Quantity> requests = resources == null ? null : resources.getRequests();
    Optional<BigDecimal> gpus = limitElseRequest(limits, requests, NVIDIA_GPU, path);
    if (gpus.isEmpty() || gpus.get().signum() == 0) {
      return Optional.empty();
    }
    boolean fromLimit = limits != null && limits.containsKey(NVIDIA_GPU);
    String field = path + ".resources." + (fromLimit ? "limits." : "requests.") + NVIDIA_GPU;
    String written = String.valueOf((fromLimit ? limits : requests).get(NVIDIA_GPU));
    try {
      return Optional.of(gpus.get().intValueExact());
    } catch (ArithmeticException e) {
      throw new ProviderException(
          ErrorCategory.INVALID_REQUEST, INVALID_POD_FIELD,
          field + ": \"" + written + "\" is not a whole number of GPUs");
    }
  }

  /** {@code cpu} as the float the ECI API takes, or null when unset. */
  public Float cpuOrNull() {
    return cpu.map(BigDecimal::floatValue).orElse(null);
  }

  /** {@code memoryGiB} as the float the ECI API takes, or null when unset. */
  public Float memoryGiBOrNull() {
    return memoryGiB.map(BigDecimal::floatValue).orElse(null);
  }

  private static Optional<BigDecimal> limitElseRequest(
      Map<String, Quantity> limits, Map<String, Quantity> requests, String resource, String path) {
    // Both are validated even though only one is used: a broken request next to a limit is still a broken pod.
    Optional<BigDecimal> request = amount(requests, resource, path + ".resources.requests." + resource);
    Optional<BigDecimal> limit = amount(limits, resource, path + ".resources.limits." + resource);
    return limit.isPresent() ? limit : request;
  }

  private static Optional<BigDecimal> amount(Map<String, Quantity> quantities, String resource, String field) {
    if (quantities == null || !quantities.containsKey(resource)) {
      return Optional.empty();
    }
    Quantity quantity = quantities.get(resource);
    String written = quantity == null ? "null" : quantity.toString();
    BigDecimal amount;
    try {
      amount = Quantity.getAmountInBytes(Objects.requireNonNull(quantity));
    } catch (RuntimeException e) {
      throw new ProviderException(
          ErrorCategory.INVALID_REQUEST, INVALID_POD_FIELD, field + ": \"" + written + "\" is not a quantity");
    }
    if (amount.signum() < 0) {
      throw new ProviderException(
          ErrorCategory.INVALID_REQUEST, INVALID_POD_FIELD, field + ": \"" + written + "\" is negative");
    }
    return Optional.of(amount);
  }

  private static BigDecimal gib(BigDecimal bytes) {
    // Exact: dividing by a power of two always terminates.
    return bytes.divide(BYTES_PER_GIB);
  }
}
