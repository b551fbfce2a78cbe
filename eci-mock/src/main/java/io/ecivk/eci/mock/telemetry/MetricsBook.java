package io.ecivk.eci.mock.telemetry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The resource usage tests set for each container group, as a history over the simulator clock, so that every
 * sample can be computed for any instant: CPU usage rates are piecewise constant between two settings, and the
 * cumulative CPU time ({@code UsageCoreNanoSeconds}) is the exact integral of the rate since the containers
 * started. Rates derived from two samples ({@code Δ UsageCoreNanoSeconds / Δ Timestamp}) therefore equal the rate
 * that was set, as metrics-server computes them.
 * <p>
 * A container's CPU rate is its own setting if it has one, else the group's setting divided evenly among all
 * containers, else {@link #DEFAULT_CPU_NANO_CORES}; the same for the working set. The group's values are the sums
 * over its containers. Thread-safe.
 */
public final class MetricsBook {

    /** CPU usage of a container nobody set: 1 millicore. */
    public static final long DEFAULT_CPU_NANO_CORES = 1_000_000L;
    /** Working set of a container nobody set: 16 MiB. */
    public static final long DEFAULT_WORKING_SET_BYTES = 16L << 20;

    /** Values to set; a null field leaves the current setting as it is. */
    public record Usage(Long cpuNanoCores, Long memoryWorkingSetBytes) {

        public Usage {
            if (cpuNanoCores != null && cpuNanoCores < 0) {
                throw new IllegalArgumentException("cpuNanoCores must not be negative");
            }
            if (memoryWorkingSetBytes != null && memoryWorkingSetBytes < 0) {
                throw new IllegalArgumentException("memoryWorkingSetBytes must not be negative");
            }
        }

        static final Usage NONE = new Usage(null, null);

        Usage overlay(Usage change) {
            return new Usage(change.cpuNanoCores != null ? change.cpuNanoCores : cpuNanoCores,
                    change.memoryWorkingSetBytes != null ? change.memoryWorkingSetBytes : memoryWorkingSetBytes);
        }
    }

    /** The effective settings of one group from {@code at} on. */
    private record Setting(Instant at, Usage group, Map<String, Usage> containers) {
    }

    /** One container's sampled values at an instant. */
    public record ContainerSample(String name, long cpuNanoCores, long cpuCoreNanoSeconds, long workingSetBytes) {
    }

    private final Clock clock;
    private final Map<String, List<Setting>> history = new HashMap<>();

    public MetricsBook(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Changes the usage of a group from now on: {@code group} for the group as a whole (split among containers
     * without a setting of their own), {@code containers} per container name.
     *
     * @return the instant the change took effect
     */
    public synchronized Instant set(String containerGroupId, Usage group, Map<String, Usage> containers) {
        Objects.requireNonNull(containerGroupId, "containerGroupId");
        Instant now = clock.instant();
        List<Setting> settings = history.computeIfAbsent(containerGroupId, id -> new ArrayList<>());
        Setting current = settings.isEmpty() ? new Setting(now, Usage.NONE, Map.of())
                : settings.get(settings.size() - 1);
        Map<String, Usage> merged = new LinkedHashMap<>(current.containers());
        if (containers != null) {
            containers.forEach((name, usage) -> merged.merge(name, usage, Usage::overlay));
        }
        Setting next = new Setting(now, current.group().overlay(group == null ? Usage.NONE : group),
                Map.copyOf(merged));
        // Settings made at the same instant replace each other; the history stays ordered by time.
        if (!settings.isEmpty() && !settings.get(settings.size() - 1).at().isBefore(now)) {
            settings.set(settings.size() - 1, next);
        } else {
            settings.add(next);
        }
        return now;
    }

    /** Forgets a group's settings (it was deleted). */
    public synchronized void forget(String containerGroupId) {
        history.remove(containerGroupId);
    }

    /**
     * Samples each of {@code containers} at {@code at}, their CPU time integrated from {@code startedAt}.
     */
    public synchronized List<ContainerSample> sample(String containerGroupId, List<String> containers,
            Instant startedAt, Instant at) {
        List<Setting> settings = history.getOrDefault(containerGroupId, List.of());
        List<ContainerSample> samples = new ArrayList<>();
        for (String name : containers) {
            Setting now = settingAt(settings, at);
            long rate = cpu(now, name, containers.size());
            long working = workingSet(now, name, containers.size());
            samples.add(new ContainerSample(name, rate, cpuTime(settings, name, containers.size(), startedAt, at),
                    working));
        }
        return samples;
    }

    private static Setting settingAt(List<Setting> settings, Instant at) {
        Setting found = null;
        for (Setting setting : settings) {
            if (setting.at().isAfter(at)) {
                break;
            }
            found = setting;
        }
        return found;
    }

    private static long cpu(Setting setting, String name, int containers) {
        if (setting == null) {
            return DEFAULT_CPU_NANO_CORES;
        }
        Usage own = setting.containers().get(name);
        if (own != null && own.cpuNanoCores() != null) {
            return own.cpuNanoCores();
        }
        Long group = setting.group().cpuNanoCores();
        return group != null ? group / containers : DEFAULT_CPU_NANO_CORES;
    }

    private static long workingSet(Setting setting, String name, int containers) {
        if (setting == null) {
            return DEFAULT_WORKING_SET_BYTES;
        }
        Usage own = setting.containers().get(name);
        if (own != null && own.memoryWorkingSetBytes() != null) {
            return own.memoryWorkingSetBytes();
        }
        Long group = setting.group().memoryWorkingSetBytes();
        return group != null ? group / containers : DEFAULT_WORKING_SET_BYTES;
    }

    /** ∫ rate dt over [from, to], in core-nanoseconds: rate (nanocores) × seconds. */
    private static long cpuTime(List<Setting> settings, String name, int containers, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return 0;
        }
        long total = 0;
        Instant segmentStart = from;
        Setting active = settingAt(settings, from);
        for (Setting setting : settings) {
            if (!setting.at().isAfter(from)) {
                continue;
            }
            if (!setting.at().isBefore(to)) {
                break;
            }
            total += coreNanos(cpu(active, name, containers), Duration.between(segmentStart, setting.at()));
            segmentStart = setting.at();
            active = setting;
        }
        return total + coreNanos(cpu(active, name, containers), Duration.between(segmentStart, to));
    }

    private static long coreNanos(long nanoCores, Duration duration) {
        // nanocores × nanoseconds / 1e9 = core-nanoseconds; split to keep the product within a long.
        long nanos = duration.toNanos();
        return Math.multiplyHigh(nanoCores, nanos) == 0 && nanoCores * nanos >= 0
                ? nanoCores * nanos / 1_000_000_000L
                : java.math.BigInteger.valueOf(nanoCores).multiply(java.math.BigInteger.valueOf(nanos))
                        .divide(java.math.BigInteger.valueOf(1_000_000_000L)).longValueExact();
    }
}
