package io.ecivk.eci.sizing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The vCPU/memory pairs ECI can run, smallest first. Immutable and thread-safe.
 *
 * <p>The table differs between regions and between versions of Alibaba's documentation (older pages lack the
 * 1:1 ratios; some list 56 vCPU / 224 GiB; a dozen regions add more memory steps), so it is configurable: build
 * one from the operator's list, or use {@link #standard()}.
 */
public final class EciSpecTable {

  private static final Comparator<EciSpec> SMALLEST_FIRST =
      Comparator.comparingDouble(EciSpec::cpu).thenComparingDouble(EciSpec::memoryGiB);

  private static final EciSpecTable STANDARD =
      new EciSpecTable(
          List.of(
              specs(0.25f, 0.5f, 1),
              specs(0.5f, 1, 2),
              specs(1, 2, 4, 8),
              specs(2, 1, 2, 4, 8, 16),
              specs(4, 2, 4, 8, 16, 32),
              specs(8, 4, 8, 16, 32, 64),
              specs(12, 12, 24, 48, 96),
              specs(16, 16, 32, 64, 128),
              specs(24, 24, 48, 96, 192),
              specs(32, 32, 64, 128, 256),
              specs(52, 96, 192, 384),
              specs(64, 128, 256, 512))
              .stream()
              .flatMap(List::stream)
              .toList());

  private final List<EciSpec> specs;

  /**
   * A table of the given specs, in any order; duplicates are dropped.
   *
   * @throws IllegalArgumentException if {@code specs} is empty
   */
  public EciSpecTable(List<EciSpec> specs) {
    Objects.requireNonNull(specs, "specs");
    List<EciSpec> sorted = new ArrayList<>(specs.size());
    for (EciSpec spec : specs) {
      sorted.add(Objects.requireNonNull(spec, "specs must not contain null"));
    }
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("an ECI spec table needs at least one spec");
    }
    this.specs = sorted.stream().distinct().sorted(SMALLEST_FIRST).toList();
  }

  /**
   * The specs ECI documents for all regions (eci-openapi.md §5): 0.25 to 64 vCPU including the 1:1 ratios,
   * without the region-limited entries and without 56 vCPU / 224 GiB, which not every version of the
   * documentation lists.
   */
  public static EciSpecTable standard() {
    return STANDARD;
  }

  /** All specs, by vCPU, then memory. */
  public List<EciSpec> specs() {
    return specs;
  }

  /** The spec with the most vCPUs, and of those the most memory. */
  public EciSpec largest() {
    return specs.get(specs.size() - 1);
  }

  /**
   * The smallest spec with at least {@code cpu} vCPUs and at least {@code memoryGiB} GiB: fewest vCPUs first,
   * then least memory. This is how ECI itself rounds a request that is not in the table.
   */
  public Optional<EciSpec> smallestFitting(float cpu, float memoryGiB) {
    return smallestFitting(EciSpec.exact(cpu), EciSpec.exact(memoryGiB));
  }

  /** As {@link #smallestFitting(float, float)}, comparing exact decimals (500m vCPU is exactly 0.5). */
  public Optional<EciSpec> smallestFitting(BigDecimal cpu, BigDecimal memoryGiB) {
    Objects.requireNonNull(cpu, "cpu");
    Objects.requireNonNull(memoryGiB, "memoryGiB");
    for (EciSpec spec : specs) {
      if (spec.exactCpu().compareTo(cpu) >= 0 && spec.exactMemoryGiB().compareTo(memoryGiB) >= 0) {
        return Optional.of(spec);
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EciSpecTable table && table.specs.equals(specs);
  }

  @Override
  public int hashCode() {
    return specs.hashCode();
  }

  @Override
  public String toString() {
    return "EciSpecTable" + specs.stream().map(EciSpec::label).toList();
  }

  private static List<EciSpec> specs(float cpu, float... memoriesGiB) {
    List<EciSpec> list = new ArrayList<>();
    for (float memory : memoriesGiB) {
      list.add(new EciSpec(cpu, memory));
    }
    return list;
  }
}
