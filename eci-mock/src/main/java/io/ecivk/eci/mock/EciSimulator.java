package io.ecivk.eci.mock;

import io.ecivk.eci.mock.actions.CreateContainerGroupAction;
import io.ecivk.eci.mock.actions.CreateRequestParser;
import io.ecivk.eci.mock.actions.DeleteContainerGroupAction;
import io.ecivk.eci.mock.actions.DescribeContainerGroupStatusAction;
import io.ecivk.eci.mock.actions.DescribeContainerGroupsAction;
import io.ecivk.eci.mock.actions.DescribeRegionsAction;
import io.ecivk.eci.mock.actions.UpdateContainerGroupAction;
import io.ecivk.eci.mock.api.ApiDispatcher;
import io.ecivk.eci.mock.auth.Credential;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
    private int boundPort = -1;

    private EciSimulator(Builder builder) {
        this.bindAddress = builder.bindAddress;
        this.requestedPort = builder.port;
        this.region = new Region(builder.regionId, builder.vSwitches, builder.securityGroups);
        LifecycleTimings timings = new LifecycleTimings(builder.scheduling, builder.pending, builder.terminating,
                builder.updating);
        CreateRequestParser parser = new CreateRequestParser(region, SpecTable.standard());
        this.store = new ContainerGroupStore(builder.clock, timings, region.vSwitches(), new SecureRandom());
        this.dispatcher = new ApiDispatcher(region.regionId(), region.endpoint(),
                new SignatureVerifier(builder.credentials, builder.clock),
                List.of(new CreateContainerGroupAction(parser, store),
                        new UpdateContainerGroupAction(parser, store),
                        new DescribeContainerGroupsAction(store, region.regionId()),
                        new DescribeContainerGroupStatusAction(store),
                        new DeleteContainerGroupAction(store),
                        new DescribeRegionsAction(region)));
        this.server = new SimulatorHttpServer(dispatcher);
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
        LOG.info("ECI simulator for {} listening on {}:{}", region.regionId(), bindAddress, boundPort);
        return boundPort;
    }

    /** The bound port; only valid after {@link #start()}. */
    public synchronized int port() {
        if (boundPort < 0) {
            throw new IllegalStateException("the simulator has not been started");
        }
        return boundPort;
    }

    /** Requests received for {@code action}, whatever their outcome (rejected ones included). */
    public long callCount(String action) {
        return dispatcher.callCount(action);
    }

    /** Container groups that exist now according to the clock, Terminating ones included. */
    public int containerGroupCount() {
        return store.size();
    }

    /** Stops the server and releases its threads. Idempotent; stored groups are discarded with the instance. */
    @Override
    public synchronized void close() {
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

        private Builder() {
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
