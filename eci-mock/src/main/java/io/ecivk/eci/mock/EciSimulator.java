package io.ecivk.eci.mock;

import io.ecivk.eci.mock.actions.CreateContainerGroupAction;
import io.ecivk.eci.mock.actions.CreateRequestParser;
import io.ecivk.eci.mock.actions.DeleteContainerGroupAction;
import io.ecivk.eci.mock.actions.DescribeContainerGroupEventsAction;
import io.ecivk.eci.mock.actions.DescribeContainerGroupStatusAction;
import io.ecivk.eci.mock.actions.DescribeContainerGroupsAction;
import io.ecivk.eci.mock.actions.DescribeRegionsAction;
import io.ecivk.eci.mock.actions.ExecContainerCommandAction;
import io.ecivk.eci.mock.actions.UpdateContainerGroupAction;
import io.ecivk.eci.mock.actions.DescribeContainerGroupMetricAction;
import io.ecivk.eci.mock.actions.DescribeContainerLogAction;
import io.ecivk.eci.mock.actions.DescribeMultiContainerGroupMetricAction;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.telemetry.MetricsBook;
import io.ecivk.eci.mock.api.ApiDispatcher;
import io.ecivk.eci.mock.auth.Credential;
import io.ecivk.eci.mock.bench.AdminServer;
import io.ecivk.eci.mock.bench.FailureRates;
import io.ecivk.eci.mock.bench.Faults;
import io.ecivk.eci.mock.bench.RateLimit;
import io.ecivk.eci.mock.bench.Stock;
import io.ecivk.eci.mock.bench.StockOutMode;
import io.ecivk.eci.mock.exec.ExecServer;
import io.ecivk.eci.mock.exec.ExecSessions;
import io.ecivk.eci.mock.auth.SignatureVerifier;
import io.ecivk.eci.mock.http.SimulatorHttpServer;
import io.ecivk.eci.mock.model.ContainerGroupStore;
import io.ecivk.eci.mock.model.LifecycleTimings;
import io.ecivk.eci.mock.model.Region;
import io.ecivk.eci.mock.network.Ipv4Cidr;
import io.ecivk.eci.mock.network.VSwitch;
import io.ecivk.eci.mock.sizing.SpecTable;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process ECI API endpoint for tests and local runs. Point the tea-openapi client at
 * {@code 127.0.0.1:<port>} with protocol {@code http} and one of the configured AccessKeys.
 * <pre>{@code
 * try (EciSimulator sim = EciSimulator.builder()
 *         .region("cn-hangzhou")
 *         .accessKey("LTAI5tFAKE", "FAKEsecret")
 *         .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16")
 *         .clock(testClock)
 *         .build()) {
 *     int port = sim.start();
 *     ...
 * }
 * }</pre>
 * Group status is derived from the configured {@link Clock} whenever it is read, so a test can move a mutable clock
 * forward instead of sleeping. The simulator is thread-safe and never opens an outbound connection.
 */
public final class EciSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EciSimulator.class);

    private final String bindAddress;
    private final int requestedPort;
    private final Region region;
    private final ContainerGroupStore store;
    private final ApiDispatcher dispatcher;
    private final SimulatorHttpServer server;
    private final Faults faults;
    private final Stock stock;
    private final MetricsBook metrics;
    private final AdminServer admin;
    private final Integer requestedAdminPort;
    private int boundPort = -1;
    private int boundAdminPort = -1;
    private final ExecServer execServer;
    private final int requestedExecPort;
    private volatile int boundExecPort = -1;

    private EciSimulator(Builder builder) {
        this.bindAddress = builder.bindAddress;
        this.requestedPort = builder.port;
        this.region = new Region(builder.regionId, builder.vSwitches, builder.securityGroups);
        LifecycleTimings timings = new LifecycleTimings(builder.scheduling, builder.pending, builder.terminating,
                builder.updating);
        CreateRequestParser parser = new CreateRequestParser(region, SpecTable.standard());
        this.stock = new Stock();
        builder.outages.forEach(outage -> stock.outOfStock(outage.zoneId(), outage.spec(), outage.mode()));
        this.faults = new Faults(builder.clock, builder.faultSeed);
        builder.limits.forEach(faults::rateLimit);
        builder.latencies.forEach(faults::latency);
        builder.failures.forEach(faults::failureRates);
        this.metrics = new MetricsBook(builder.clock);
        this.store = new ContainerGroupStore(builder.clock, timings, region.vSwitches(), new SecureRandom(), stock);
        store.retention(builder.retention);
        store.spotNotice(builder.spotNotice);
        this.requestedExecPort = builder.execPort;
        ExecSessions execSessions = new ExecSessions(builder.clock, new SecureRandom());
        this.execServer = new ExecServer(execSessions);
        this.dispatcher = new ApiDispatcher(region.regionId(), region.endpoint(),
                new SignatureVerifier(builder.credentials, builder.clock),
                List.of(new CreateContainerGroupAction(parser, store),
                        new UpdateContainerGroupAction(parser, store),
                        new DescribeContainerGroupsAction(store, region.regionId()),
                        new DescribeContainerGroupStatusAction(store),
                        new DeleteContainerGroupAction(store),
                        new DescribeRegionsAction(region),
                        new ExecContainerCommandAction(store, execSessions, this::execEndpoint),
                        new DescribeContainerLogAction(store),
                        new DescribeContainerGroupMetricAction(store, metrics),
                        new DescribeMultiContainerGroupMetricAction(store, metrics),
                        new DescribeContainerGroupEventsAction(store)),
                faults);
        this.server = new SimulatorHttpServer(dispatcher);
        this.requestedAdminPort = builder.adminPort;
        this.admin = new AdminServer(faults, stock, dispatcher::callCounts, store::reclaimSpot, store::restock);
        admin.metrics(this::applyMetrics);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts serving.
     *
     * @return the bound port (the chosen one when the builder asked for port 0)
     * @throws IllegalStateException when already started or the port cannot be bound
     */
    public synchronized int start() {
        boundPort = server.start(bindAddress, requestedPort);
        try {
            boundExecPort = execServer.start(bindAddress, requestedExecPort);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("ECI simulator for {} listening on {}:{}", region.regionId(), bindAddress, boundPort);
        if (requestedAdminPort != null) {
            try {
                boundAdminPort = admin.start(requestedAdminPort);
            } catch (RuntimeException e) {
                server.close();
                execServer.close();
                throw e;
            }
            LOG.info("ECI simulator admin endpoint on http://127.0.0.1:{}", boundAdminPort);
        }
        return boundPort;
    }

    /** The bound port; only valid after {@link #start()}. */
    public synchronized int port() {
        if (boundPort < 0) {
            throw new IllegalStateException("the simulator has not been started");
        }
        return boundPort;
    }

    /**
     * The admin endpoint's bound port; only valid after {@link #start()} with {@link Builder#adminPort(int)} set.
     */
    public synchronized int adminPort() {
        if (boundAdminPort < 0) {
            throw new IllegalStateException("the admin endpoint is not enabled or the simulator has not started");
        }
        return boundAdminPort;
    }

    /** The exec endpoint's bound port (ExecContainerCommand's WebSocketUri); only valid after {@link #start()}. */
    public int execPort() {
        if (boundExecPort < 0) {
            throw new IllegalStateException("the simulator has not been started");
        }
        return boundExecPort;
    }

    /** {@code host:port} of the exec endpoint as WebSocketUri names it; a wildcard bind is named by 127.0.0.1. */
    private String execEndpoint() {
        String host = bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? "127.0.0.1" : bindAddress;
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + execPort();
    }

    /** Rate limits, latency and injected failures, adjustable at run time. */
    public Faults faults() {
        return faults;
    }

    /** Marks {@code zoneId}/{@code spec} (null = any) out of stock for later creates. */
    public void outOfStock(String zoneId, String spec, StockOutMode mode) {
        stock.outOfStock(zoneId, spec, mode);
    }

    /** Ends the stock-out rule for exactly this zone/spec pair; held groups that now have stock proceed. */
    public void restoreStock(String zoneId, String spec) {
        stock.restore(zoneId, spec);
        store.restock();
    }

    /** Marks a group for spot reclamation (Warning SpotToBeReleased now, Expired after the notice). */
    public Instant reclaimSpot(String containerGroupId) {
        return store.reclaimSpot(containerGroupId);
    }

    /**
     * Sets the resource usage of a group from now on (simulator clock): {@code group} for the group as a whole,
     * split evenly among its containers without a setting of their own; {@code containers} by container name.
     * Null fields leave a setting unchanged. CPU time ({@code UsageCoreNanoSeconds}) integrates the rates set over
     * the clock, so the rate between two samples is the rate set.
     *
     * @throws io.ecivk.eci.mock.api.ApiException {@code 404 InvalidContainerGroup.NotFound} for an unknown group
     */
    public Instant setMetrics(String containerGroupId, MetricsBook.Usage group,
            Map<String, MetricsBook.Usage> containers) {
        boolean exists = store.snapshot().groups().stream().anyMatch(g -> g.id().equals(containerGroupId));
        if (!exists) {
            throw new ApiException(404, "InvalidContainerGroup.NotFound",
                    "The specified container group \"" + containerGroupId + "\" does not exist.");
        }
        return metrics.set(containerGroupId, group, containers);
    }

    /** The admin endpoint's {@code POST /metrics/<id>}: {@code {cpuNanoCores, memoryWorkingSetBytes, containers}}. */
    private Object applyMetrics(String containerGroupId, com.google.gson.JsonObject body) {
        Map<String, MetricsBook.Usage> containers = new LinkedHashMap<>();
        if (body.has("containers")) {
            body.getAsJsonObject("containers").entrySet().forEach(entry ->
                    containers.put(entry.getKey(), usage(entry.getValue().getAsJsonObject())));
        }
        Instant at = setMetrics(containerGroupId, usage(body), containers);
        return Map.of("containerGroupId", containerGroupId, "effectiveFrom", at.toString());
    }

    private static MetricsBook.Usage usage(com.google.gson.JsonObject json) {
        return new MetricsBook.Usage(
                json.has("cpuNanoCores") && !json.get("cpuNanoCores").isJsonNull()
                        ? json.get("cpuNanoCores").getAsLong() : null,
                json.has("memoryWorkingSetBytes") && !json.get("memoryWorkingSetBytes").isJsonNull()
                        ? json.get("memoryWorkingSetBytes").getAsLong() : null);
    }

    /** Clears every fault and stock-out. */
    public void resetFaults() {
        faults.clear();
        stock.restoreAll();
        store.restock();
    }

    /** Requests received per action so far. */
    public SortedMap<String, Long> callCounts() {
        return dispatcher.callCounts();
    }

    /** Requests received for {@code action}, whatever their outcome (rejected ones included). */
    public long callCount(String action) {
        return dispatcher.callCount(action);
    }

    /**
     * The stored groups with their timelines (created, scheduled, running, deleted), as of the clock: for test
     * benches that measure against when the simulator reported a state (status lag).
     */
    public ContainerGroupStore.Snapshot snapshot() {
        return store.snapshot();
    }

    /** Container groups that exist now according to the clock, Terminating ones included. */
    public int containerGroupCount() {
        return store.size();
    }

    /** Stops the server and releases its threads. Idempotent; stored groups are discarded with the instance. */
    @Override
    public synchronized void close() {
        admin.close();
        execServer.close();
        server.close();
        if (boundPort >= 0) {
            LOG.info("ECI simulator on port {} stopped", boundPort);
        }
    }

    /** Configures a simulator. At least one AccessKey and one vSwitch are required. */
    public static final class Builder {

        private int port;
        private String bindAddress = "127.0.0.1";
        private String regionId = "cn-hangzhou";
        private final List<Credential> credentials = new ArrayList<>();
        private final List<VSwitch> vSwitches = new ArrayList<>();
        private final Set<String> securityGroups = new LinkedHashSet<>();
        private Duration scheduling = LifecycleTimings.DEFAULT.scheduling();
        private Duration pending = LifecycleTimings.DEFAULT.pending();
        private Duration terminating = LifecycleTimings.DEFAULT.terminating();
        private Duration updating = LifecycleTimings.DEFAULT.updating();
        private Clock clock = Clock.systemUTC();
        private Integer adminPort;
        private int execPort;
        private long faultSeed = 1L;
        private final Map<String, RateLimit> limits = new LinkedHashMap<>();
        private final Map<String, Duration> latencies = new LinkedHashMap<>();
        private final Map<String, FailureRates> failures = new LinkedHashMap<>();
        private final List<Outage> outages = new ArrayList<>();
        private Duration retention = ContainerGroupStore.DEFAULT_RETENTION;
        private Duration spotNotice = ContainerGroupStore.DEFAULT_SPOT_NOTICE;

        private record Outage(String zoneId, String spec, StockOutMode mode) {
        }

        private Builder() {
        }

        /** Enables the admin endpoint on 127.0.0.1:{@code port} (0 = a free port; see {@link #adminPort()}). */
        public Builder adminPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("admin port out of range: " + port);
            }
            this.adminPort = port;
            return this;
        }

        /**
         * A token-bucket limit for {@code action} ({@code "*"} = every action, {@code "Describe*"} = a prefix);
         * an empty bucket answers {@code 400 Throttling.User}.
         */
        public Builder rateLimit(String action, int burst, double refillPerSecond) {
            limits.put(Objects.requireNonNull(action, "action"), new RateLimit(burst, refillPerSecond));
            return this;
        }

        /** The published limits (eci-openapi.md §4.3): Create/Delete 100 + 20/s, Describe* 2000/min, ... */
        public Builder publishedRateLimits() {
            limits.putAll(Faults.publishedLimits());
            return this;
        }

        /** Holds every answer to {@code action} ({@code "*"} = all) back this long, without blocking the server. */
        public Builder latency(String action, Duration delay) {
            latencies.put(Objects.requireNonNull(action, "action"), Objects.requireNonNull(delay, "delay"));
            return this;
        }

        /** Injected failures for {@code action} ({@code "*"} = all): each a probability 0.0..1.0. */
        public Builder failureRates(String action, double internalError, double serviceUnavailable,
                double connectionReset) {
            failures.put(Objects.requireNonNull(action, "action"),
                    new FailureRates(internalError, serviceUnavailable, connectionReset));
            return this;
        }

        /** Seed of the random sequence deciding injected failures (default 1). */
        public Builder faultSeed(long seed) {
            this.faultSeed = seed;
            return this;
        }

        /** Marks {@code zoneId} and/or {@code spec} (e.g. {@code 2.0-4.0Gi}; null = any) out of stock. */
        public Builder outOfStock(String zoneId, String spec, StockOutMode mode) {
            if (zoneId == null && spec == null) {
                throw new IllegalArgumentException("name a zone, a spec or both");
            }
            outages.add(new Outage(zoneId, spec, Objects.requireNonNull(mode, "mode")));
            return this;
        }

        /** How long finished groups are kept before they disappear (default 1 h of the clock). */
        public Builder retention(Duration duration) {
            this.retention = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /** Time from a spot reclamation mark (SpotToBeReleased) to Expired (default 3 min). */
        public Builder spotReclaimDelay(Duration duration) {
            this.spotNotice = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /** Port of the exec endpoint behind ExecContainerCommand's WebSocketUri; 0 (the default) picks a free one. */
        public Builder execPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("exec port out of range: " + port);
            }
            this.execPort = port;
            return this;
        }

        /** Port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Address to listen on; 127.0.0.1 by default. */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** The region served (default cn-hangzhou); requests naming another get InvalidRegionId. */
        public Builder region(String regionId) {
            this.regionId = Objects.requireNonNull(regionId, "regionId");
            return this;
        }

        /** Accepts requests signed with this permanent AccessKey pair. Repeatable. */
        public Builder accessKey(String accessKeyId, String accessKeySecret) {
            credentials.add(new Credential(accessKeyId, accessKeySecret, null));
            return this;
        }

        /** Accepts requests signed with this STS pair that carry exactly {@code securityToken}. Repeatable. */
        public Builder stsAccessKey(String accessKeyId, String accessKeySecret, String securityToken) {
            credentials.add(new Credential(accessKeyId, accessKeySecret,
                    Objects.requireNonNull(securityToken, "securityToken")));
            return this;
        }

        /** A vSwitch in {@code zoneId} whose CIDR block group IPs come from. Repeatable. */
        public Builder vswitch(String vSwitchId, String zoneId, String cidr) {
            vSwitches.add(new VSwitch(vSwitchId, zoneId, Ipv4Cidr.parse(cidr)));
            return this;
        }

        /** A security group that exists. Repeatable; with none configured, any {@code sg-} id is accepted. */
        public Builder securityGroup(String securityGroupId) {
            securityGroups.add(Objects.requireNonNull(securityGroupId, "securityGroupId"));
            return this;
        }

        /** Time a new group spends in Scheduling (default 1 s). */
        public Builder schedulingDuration(Duration duration) {
            this.scheduling = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /** Time a scheduled group spends in Pending before Running (default 2 s). */
        public Builder pendingDuration(Duration duration) {
            this.pending = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /** Time a deleted group spends in Terminating before it is gone (default 1 s). */
        public Builder terminatingDuration(Duration duration) {
            this.terminating = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /** Time an updated group spends in Updating before it is Running again (default 1 s). */
        public Builder updatingDuration(Duration duration) {
            this.updating = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /** The clock lifecycle and signature timestamps are judged by (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalArgumentException for an incomplete or inconsistent configuration */
        public EciSimulator build() {
            if (credentials.isEmpty()) {
                throw new IllegalArgumentException("configure at least one AccessKey");
            }
            return new EciSimulator(this);
        }
    }
}
