package io.ecivk.eci.sizing;

import java.math.BigDecimal;

/**
 * One ECI vCPU/memory pair, e.g. 2 vCPU with 4 GiB.
 *
 * @param cpu vCPUs, more than 0
 * @param memoryGiB memory in GiB (2^30 bytes), more than 0
 */
public record EciSpec(float cpu, float memoryGiB) {

  public EciSpec {
    if (!(cpu > 0) || Float.isInfinite(cpu)) {
      throw new IllegalArgumentException("cpu must be a positive number: " + cpu);
    }
    if (!(memoryGiB > 0) || Float.isInfinite(memoryGiB)) {
      throw new IllegalArgumentException("memoryGiB must be a positive number: " + memoryGiB);
    }
  }

  /**
   * The spec as ECI writes it in events and in the {@code k8s.aliyun.com/eci-instance-spec} annotation: {@code
   * 2.0-4.0Gi}, {@code 0.25-0.5Gi}. Each number has at least one decimal and is never rounded.
   */
  public String label() {
    return decimal(cpu) + "-" + decimal(memoryGiB) + "Gi";
  }

  /** {@code cpu} as an exact decimal, the value the float was written as (0.25f is 0.25, not 0.2500000...). */
  BigDecimal exactCpu() {
    return exact(cpu);
  }

  /** {@code memoryGiB} as an exact decimal. */
  BigDecimal exactMemoryGiB() {
    return exact(memoryGiB);
  }

  static BigDecimal exact(float value) {
    // Float.toString is the shortest decimal that reads back as this float: 0.1f is "0.1", not 0.100000001...
    return new BigDecimal(Float.toString(value));
  }

  /** A number with at least one decimal and no trailing zeros beyond it: 2 is "2.0", 0.25 is "0.25". */
  static String decimal(float value) {
    return decimal(exact(value));
  }

  static String decimal(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 1 ? stripped.setScale(1).toPlainString() : stripped.toPlainString();
  }
}
