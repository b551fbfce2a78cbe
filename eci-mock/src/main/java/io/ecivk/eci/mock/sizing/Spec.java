package io.ecivk.eci.mock.sizing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One vCPU / memory (GiB) combination ECI sells. Values are exact decimals so that summing container requests never
 * drifts away from a table entry (0.1 + 0.2 style errors would turn an exact spec into an "adjusted" one).
 */
public record Spec(BigDecimal cpu, BigDecimal memory) {

    public Spec {
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
    }

    public static Spec of(String cpu, String memory) {
        return new Spec(new BigDecimal(cpu), new BigDecimal(memory));
    }

    /** True when both dimensions are numerically equal, whatever the decimal scale ({@code 2} equals {@code 2.0}). */
    public boolean sameSizeAs(Spec other) {
        return cpu.compareTo(other.cpu) == 0 && memory.compareTo(other.memory) == 0;
    }

    /** True when this spec offers at least the requested vCPU and memory. */
    public boolean covers(Spec request) {
        return cpu.compareTo(request.cpu) >= 0 && memory.compareTo(request.memory) >= 0;
    }

    /**
     * The spec as ECI labels it in events and annotations, e.g. {@code 2.0-4.0Gi}. Every number keeps at least one
     * fractional digit but is never rounded, so 0.25 vCPU renders as {@code 0.25-0.5Gi} rather than a lossy
     * {@code %.1f} "0.3".
     */
    public String label() {
        return decimal(cpu) + "-" + decimal(memory) + "Gi";
    }

    static String decimal(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 1 ? stripped.setScale(1).toPlainString() : stripped.toPlainString();
    }

    @Override
    public String toString() {
        return label();
    }
}
