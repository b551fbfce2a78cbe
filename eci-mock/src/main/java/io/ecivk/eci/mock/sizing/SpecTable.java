package io.ecivk.eci.mock.sizing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The vCPU/memory specs ECI supports in all regions, and ECI's rules for mapping a request onto them
 * (eci-openapi.md §5, from https://www.alibabacloud.com/help/doc-detail/114662.html):
 * <ul>
 *   <li>a request that is exactly a table entry is used as is;</li>
 *   <li>a request of at most 4 vCPU that is not an entry is rounded up to the smallest entry with at least the
 *       requested vCPU and memory (fewest vCPU first, then least memory), and the group gets an
 *       {@code AutoInstanceTypeMatch} event;</li>
 *   <li>anything else (more than 4 vCPU but not exact, or nothing large enough) is rejected synchronously.</li>
 * </ul>
 * The simulator keeps its own table on purpose: it must not share code with the provider it is testing.
 */
public final class SpecTable {

    /** What ECI allocates when neither the instance nor any container declares resources. */
    public static final Spec DEFAULT = Spec.of("2", "4");

    private static final BigDecimal ROUNDING_LIMIT_CPU = new BigDecimal("4");

    private final List<Spec> specs;

    public SpecTable(List<Spec> specs) {
        List<Spec> sorted = new ArrayList<>(specs);
        sorted.sort(Comparator.comparing(Spec::cpu).thenComparing(Spec::memory));
        this.specs = List.copyOf(sorted);
    }

    /** The all-regions table of §5 (region-limited extra specs are deliberately left out). */
    public static SpecTable standard() {
        List<Spec> specs = new ArrayList<>();
        add(specs, "0.25", "0.5", "1");
        add(specs, "0.5", "1", "2");
        add(specs, "1", "2", "4", "8");
        add(specs, "2", "1", "2", "4", "8", "16");
        add(specs, "4", "2", "4", "8", "16", "32");
        add(specs, "8", "4", "8", "16", "32", "64");
        add(specs, "12", "12", "24", "48", "96");
        add(specs, "16", "16", "32", "64", "128");
        add(specs, "24", "24", "48", "96", "192");
        add(specs, "32", "32", "64", "128", "256");
        add(specs, "52", "96", "192", "384");
        add(specs, "64", "128", "256", "512");
        return new SpecTable(specs);
    }

    private static void add(List<Spec> specs, String cpu, String... memories) {
        for (String memory : memories) {
            specs.add(Spec.of(cpu, memory));
        }
    }

    /**
     * Maps a request onto a spec. A request of zero vCPU and zero memory means "nothing declared" and gets
     * {@link #DEFAULT}; a request with only one dimension declared is rounded like any other.
     *
     * @throws NoMatchingSpecException with a message naming the requested spec when ECI would reject it
     */
    public SpecMatch match(Spec request) throws NoMatchingSpecException {
        if (request.cpu().signum() == 0 && request.memory().signum() == 0) {
            return new SpecMatch(DEFAULT, false);
        }
        for (Spec spec : specs) {
            if (spec.sameSizeAs(request)) {
                return new SpecMatch(spec, false);
            }
        }
        if (request.cpu().compareTo(ROUNDING_LIMIT_CPU) > 0) {
            throw new NoMatchingSpecException("The specification " + request.label()
                    + " is not supported: requests of more than 4 vCPU must name a supported specification exactly.");
        }
        for (Spec spec : specs) {
            if (spec.covers(request)) {
                return new SpecMatch(spec, true);
            }
        }
        throw new NoMatchingSpecException(
                "The specification " + request.label() + " is not supported: no ECI specification is large enough.");
    }
}
