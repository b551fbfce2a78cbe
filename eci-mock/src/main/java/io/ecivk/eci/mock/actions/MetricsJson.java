package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.model.ContainerGroup;
import io.ecivk.eci.mock.model.ContainerSpec;
import io.ecivk.eci.mock.model.EciStatus;
import io.ecivk.eci.mock.telemetry.MetricsBook;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * Renders metric records shaped like DescribeContainerGroupMetric's and DescribeMultiContainerGroupMetric's
 * (eci-openapi.md §3.4): {@code Timestamp}, {@code CPU}, {@code Memory}, {@code Network}, {@code Disk},
 * {@code Filesystem} and {@code Containers}. CPU and working set come from the {@link MetricsBook}; the other
 * memory figures and the network counters are derived from them deterministically (see the fidelity register).
 */
final class MetricsJson {

    /** Statuses in which a group has running containers that produce samples. */
    private static final Set<EciStatus> SAMPLED = Set.of(EciStatus.RUNNING, EciStatus.UPDATING,
            EciStatus.TERMINATING, EciStatus.RESTARTING);
    /** Received bytes a second on eth0 of every group (transmitted: half of it); 1 packet per 1 KiB. */
    static final long RX_BYTES_PER_SECOND = 2048;

    private MetricsJson() {
    }

    /** Whether the group produces a sample at {@code at} (its containers run; {@code at} is not before start). */
    static boolean sampled(ContainerGroup group, Instant at) {
        return group.isStartedAt(at) && !at.isBefore(group.runningAt()) && SAMPLED.contains(group.statusAt(at));
    }

    /** The sample time of a summary at {@code now}: whole seconds, as ECI renders times. */
    static Instant summaryTime(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS);
    }

    static JsonObject record(ContainerGroup group, MetricsBook book, Instant at) {
        List<ContainerSpec> specs = group.spec().containers();
        List<MetricsBook.ContainerSample> samples = book.sample(group.id(),
                specs.stream().map(ContainerSpec::name).toList(), group.runningAt(), at);
        long groupLimit = millicores(group.spec().size().spec().cpu());
        long memoryLimit = group.spec().size().spec().memory().multiply(BigDecimal.valueOf(1L << 30)).longValue();
        long cpuRate = 0;
        long cpuTime = 0;
        long workingSet = 0;
        JsonArray containers = new JsonArray();
        for (int i = 0; i < samples.size(); i++) {
            MetricsBook.ContainerSample sample = samples.get(i);
            BigDecimal ownCpu = specs.get(i).cpu();
            long limit = ownCpu != null && ownCpu.signum() > 0 ? millicores(ownCpu) : groupLimit;
            JsonObject container = new JsonObject();
            container.addProperty("Name", sample.name());
            container.add("CPU", cpu(limit, sample.cpuNanoCores(), sample.cpuCoreNanoSeconds()));
            container.add("Memory", memory(memoryLimit, sample.workingSetBytes()));
            containers.add(container);
            cpuRate += sample.cpuNanoCores();
            cpuTime += sample.cpuCoreNanoSeconds();
            workingSet += sample.workingSetBytes();
        }
        JsonObject record = new JsonObject();
        record.addProperty("Timestamp", Json.time(at));
        record.add("CPU", cpu(groupLimit, cpuRate, cpuTime));
        record.add("Memory", memory(memoryLimit, workingSet));
        record.add("Network", network(Duration.between(group.runningAt(), at).toSeconds()));
        record.add("Disk", new JsonArray());
        record.add("Filesystem", new JsonArray());
        record.add("Containers", containers);
        return record;
    }

    private static long millicores(BigDecimal cpu) {
        return cpu.multiply(BigDecimal.valueOf(1000)).longValue();
    }

    private static JsonObject cpu(long limitMillicores, long nanoCores, long coreNanoSeconds) {
        JsonObject cpu = new JsonObject();
        cpu.addProperty("Limit", limitMillicores);
        // Load: the usage as a percentage of the limit (an assumption; the docs do not define it).
        cpu.addProperty("Load", limitMillicores == 0 ? 0 : nanoCores / 10_000 / limitMillicores);
        cpu.addProperty("UsageCoreNanoSeconds", coreNanoSeconds);
        cpu.addProperty("UsageNanoCores", nanoCores);
        return cpu;
    }

    private static JsonObject memory(long limitBytes, long workingSet) {
        long cache = workingSet / 4;
        JsonObject memory = new JsonObject();
        memory.addProperty("AvailableBytes", Math.max(0, limitBytes - workingSet));
        memory.addProperty("Cache", cache);
        memory.addProperty("Rss", workingSet - cache);
        memory.addProperty("UsageBytes", workingSet + cache);
        memory.addProperty("WorkingSet", workingSet);
        return memory;
    }

    private static JsonObject network(long secondsRunning) {
        long rx = RX_BYTES_PER_SECOND * Math.max(0, secondsRunning);
        JsonObject eth0 = new JsonObject();
        eth0.addProperty("Name", "eth0");
        eth0.addProperty("RxBytes", rx);
        eth0.addProperty("RxDrops", 0);
        eth0.addProperty("RxErrors", 0);
        eth0.addProperty("RxPackets", rx / 1024);
        eth0.addProperty("TxBytes", rx / 2);
        eth0.addProperty("TxDrops", 0);
        eth0.addProperty("TxErrors", 0);
        eth0.addProperty("TxPackets", rx / 2048);
        JsonArray interfaces = new JsonArray();
        interfaces.add(eth0);
        JsonObject network = new JsonObject();
        network.add("Interfaces", interfaces);
        return network;
    }
}
