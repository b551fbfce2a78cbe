package io.ecivk.eci.mock.model;

import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.network.IpPool;
import io.ecivk.eci.mock.network.VSwitch;
import io.ecivk.eci.mock.bench.Stock;
import io.ecivk.eci.mock.bench.StockOutMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * All container groups of the simulated region, their IP addresses and their idempotency tokens. Every method is
 * synchronized; they only touch memory, so holding the lock never blocks an event loop for long.
 * <p>
 * Groups whose Terminating period has passed are forgotten lazily, at the next access, and their IP returns to the
 * vSwitch pool then. Client tokens are remembered for the simulator's lifetime, even after their group is gone, so a
 * late retry still answers with the original id rather than creating a second group.
 */
public final class ContainerGroupStore {

    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int ID_LENGTH = 20;

    private final Clock clock;
    private final LifecycleTimings timings;
    private final Random random;
    private final Map<String, IpPool> pools = new HashMap<>();
    /** Insertion order is creation order; replacing a group on deletion keeps its position. */
    private final LinkedHashMap<String, ContainerGroup> groups = new LinkedHashMap<>();
    private final Map<String, IssuedToken> clientTokens = new HashMap<>();
    /** UpdateContainerGroup tokens; a namespace of their own, remembered like the create tokens. */
    private final Map<String, IssuedToken> updateTokens = new HashMap<>();
    private long nextSequence = 1;
    private final Stock stock;
    private Duration retention = DEFAULT_RETENTION;
    private Duration spotNotice = DEFAULT_SPOT_NOTICE;

    /** How long finished groups stay fully visible (eci-openapi.md §3.2). */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);
    /** Time between the SpotToBeReleased warning and expiry (an assumption). */
    public static final Duration DEFAULT_SPOT_NOTICE = Duration.ofMinutes(3);

    public ContainerGroupStore(Clock clock, LifecycleTimings timings, List<VSwitch> vSwitches,
            Random random) {
        this(clock, timings, vSwitches, random, new Stock());
    }

    /** @param stock the zones/specs out of stock, consulted at each create */
    public ContainerGroupStore(Clock clock, LifecycleTimings timings, List<VSwitch> vSwitches,
            Random random, Stock stock) {
        this.stock = stock;
        this.clock = clock;
        this.timings = timings;
        this.random = random;
        vSwitches.forEach(vSwitch -> pools.put(vSwitch.id(), new IpPool(vSwitch.cidr())));
    }

    /** Answers with the id of the group the request created, or created earlier under the same client token. */
    public synchronized CreateResult create(ContainerGroupSpec spec) {
        Instant now = clock.instant();
        purge(now);
        if (spec.clientToken() != null) {
            IssuedToken issued = clientTokens.get(spec.clientToken());
            if (issued != null) {
                if (!issued.parameters().equals(spec.parameters())) {
                    throw new ApiException(400, "IdempotentParameterMismatch",
                            "The request uses the same client token as a previous, but non-identical request.");
                }
                return new CreateResult(issued.containerGroupId(), false);
            }
        }
        Placement placement = place(spec);
        String id = newId();
        ContainerGroup group = ContainerGroup.create(id, nextSequence++, spec, placement.vSwitch(), placement.ip(),
                now, timings);
        if (placement.stockOut() != null) {
            ContainerGroup.NoStock noStock = new ContainerGroup.NoStock(now, "zone " + placement.vSwitch().zoneId()
                    + ", instance type " + spec.size().spec().label());
            group = placement.stockOut() == StockOutMode.SCHEDULE_FAILED ? group.scheduleFailed(noStock)
                    : group.heldForStock(noStock);
        }
        groups.put(id, group);
        if (spec.clientToken() != null) {
            clientTokens.put(spec.clientToken(), new IssuedToken(spec.parameters(), id));
        }
        return new CreateResult(id, true);
    }

    /** Every existing group (Terminating included) in creation order, with the instant the list is valid for. */
    public synchronized Snapshot snapshot() {
        Instant now = clock.instant();
        purge(now);
        return new Snapshot(now, List.copyOf(groups.values()));
    }

    /**
     * Starts deleting a group: it becomes Terminating and disappears after the terminating period, or at once when
     * {@code force}. Deleting a group that is already Terminating changes nothing (except that {@code force} ends it
     * at once).
     *
     * @return false when no such group exists
     */
    public synchronized boolean delete(String id, boolean force) {
        Instant now = clock.instant();
        purge(now);
        ContainerGroup group = groups.get(id);
        if (group == null) {
            return false;
        }
        if (force) {
            remove(id);
        } else if (!group.isDeleted()) {
            groups.put(id, group.deleted(now, timings.terminating()));
        }
        return true;
    }

    /**
     * Applies an UpdateContainerGroup: only a Pending or Running group can be updated; it then shows Updating for the
     * configured period. {@code change} turns the stored spec into the new one (and may refuse with an
     * {@link ApiException}); it runs under the store's lock, so it must be quick and pure. A retry with the same
     * client token and identical parameters succeeds without changing anything again.
     *
     * @param parameters the update request's parameters, the idempotency fingerprint
     * @throws ApiException {@code 404 InvalidContainerGroup.NotFound}, {@code 400 IncorrectStatus},
     *                      {@code 400 IdempotentParameterMismatch} or whatever {@code change} throws
     */
    public synchronized void update(String id, String clientToken, SortedMap<String, String> parameters,
            UnaryOperator<ContainerGroupSpec> change) {
        Instant now = clock.instant();
        purge(now);
        if (clientToken != null) {
            IssuedToken issued = updateTokens.get(clientToken);
            if (issued != null) {
                if (!issued.parameters().equals(parameters) || !issued.containerGroupId().equals(id)) {
                    throw new ApiException(400, "IdempotentParameterMismatch",
                            "The request uses the same client token as a previous, but non-identical request.");
                }
                return;
            }
        }
        ContainerGroup group = groups.get(id);
        if (group == null) {
            throw new ApiException(404, "InvalidContainerGroup.NotFound",
                    "The specified container group \"" + id + "\" does not exist.");
        }
        EciStatus status = group.statusAt(now);
        if (status != EciStatus.RUNNING && status != EciStatus.PENDING) {
            throw new ApiException(400, "IncorrectStatus", "The container group \"" + id + "\" is "
                    + status.wireName() + "; only Pending or Running groups can be updated.");
        }
        ContainerGroupSpec updated = change.apply(group.spec());
        groups.put(id, group.updated(updated, now, timings.updating()));
        if (clientToken != null) {
            updateTokens.put(clientToken, new IssuedToken(new TreeMap<>(parameters), id));
        }
    }

    /** Groups that exist now, Terminating included. */
    public synchronized int size() {
        purge(clock.instant());
        return groups.size();
    }

    /** Sets how long finished groups are kept before they disappear. */
    public synchronized void retention(Duration newRetention) {
        if (newRetention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative: " + newRetention);
        }
        this.retention = newRetention;
    }

    /** Sets the time between a spot reclamation mark and expiry. */
    public synchronized void spotNotice(Duration notice) {
        if (notice.isNegative()) {
            throw new IllegalArgumentException("spot notice must not be negative: " + notice);
        }
        this.spotNotice = notice;
    }

    /**
     * Marks a group for spot reclamation: a Warning {@code SpotToBeReleased} now, Expired after the spot notice.
     *
     * @return the instant the group expires
     * @throws ApiException {@code 404 InvalidContainerGroup.NotFound}; {@code 400 IncorrectStatus} when the group
     *                      is deleted, already finished or already marked
     */
    public synchronized Instant reclaimSpot(String id) {
        Instant now = clock.instant();
        purge(now);
        ContainerGroup group = groups.get(id);
        if (group == null) {
            throw new ApiException(404, "InvalidContainerGroup.NotFound",
                    "The specified container group \"" + id + "\" does not exist.");
        }
        if (group.isDeleted() || group.outcomeAt(now).isPresent() || group.spotMarkedAt() != null) {
            throw new ApiException(400, "IncorrectStatus", "The container group \"" + id + "\" is "
                    + group.statusAt(now).wireName() + (group.spotMarkedAt() != null ? " and already marked" : "")
                    + "; it cannot be reclaimed.");
        }
        Instant expiry = now.plus(spotNotice);
        groups.put(id, group.markedForReclaim(now, expiry));
        return expiry;
    }

    /**
     * Re-examines groups held for a stock-out after the stock changed: each one whose requested zones now have stock
     * (and a free IP) is placed there (on another vSwitch if need be) and proceeds: Pending now, Running after the
     * pending period.
     *
     * @return how many groups were released
     */
    public synchronized int restock() {
        Instant now = clock.instant();
        purge(now);
        int released = 0;
        for (ContainerGroup group : List.copyOf(groups.values())) {
            if (!group.held() || group.isDeleted()) {
                continue;
            }
            String label = group.spec().size().spec().label();
            for (VSwitch candidate : group.spec().vSwitchCandidates()) {
                if (stock.check(candidate.zoneId(), label).isPresent()) {
                    continue;
                }
                String ip = group.intranetIp();
                if (!candidate.id().equals(group.vSwitch().id())) {
                    Optional<String> fresh = pools.get(candidate.id()).allocate();
                    if (fresh.isEmpty()) {
                        continue;
                    }
                    pools.get(group.vSwitch().id()).release(group.intranetIp());
                    ip = fresh.get();
                }
                groups.put(group.id(), group.released(candidate, ip, now, timings.pending()));
                released++;
                break;
            }
        }
        return released;
    }

    private void purge(Instant now) {
        List<String> gone = new ArrayList<>();
        for (ContainerGroup group : groups.values()) {
            if (group.isGoneAt(now, retention)) {
                gone.add(group.id());
            }
        }
        gone.forEach(this::remove);
    }

    private void remove(String id) {
        ContainerGroup group = groups.remove(id);
        pools.get(group.vSwitch().id()).release(group.intranetIp());
    }

    /**
     * The first candidate vSwitch (in request order, or shuffled for VSwitchRandom) whose zone has stock for the spec
     * and that still has a free IP; when no in-stock candidate has one, the first candidate with a free IP, carrying
     * the stock-out it meets.
     */
    private Placement place(ContainerGroupSpec spec) {
        List<VSwitch> candidates = new ArrayList<>(spec.vSwitchCandidates());
        if (spec.scheduleStrategy() == ScheduleStrategy.VSWITCH_RANDOM) {
            Collections.shuffle(candidates, random);
        }
        String label = spec.size().spec().label();
        for (VSwitch vSwitch : candidates) {
            if (stock.check(vSwitch.zoneId(), label).isPresent()) {
                continue;
            }
            Optional<String> ip = pools.get(vSwitch.id()).allocate();
            if (ip.isPresent()) {
                return new Placement(vSwitch, ip.get(), null);
            }
        }
        for (VSwitch vSwitch : candidates) {
            Optional<StockOutMode> outage = stock.check(vSwitch.zoneId(), label);
            if (outage.isEmpty()) {
                continue;
            }
            Optional<String> ip = pools.get(vSwitch.id()).allocate();
            if (ip.isPresent()) {
                return new Placement(vSwitch, ip.get(), outage.get());
            }
        }
        throw new ApiException(400, "InvalidVSwitchId.IpNotEnough",
                "The specified vSwitches do not have enough free IP addresses.");
    }

    private String newId() {
        while (true) {
            StringBuilder id = new StringBuilder("eci-");
            for (int i = 0; i < ID_LENGTH; i++) {
                id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
            }
            if (!groups.containsKey(id.toString())) {
                return id.toString();
            }
        }
    }

    /** The outcome of a create: the group id, and whether this call created it (false for an idempotent replay). */
    public record CreateResult(String containerGroupId, boolean created) {
    }

    /** The groups that existed at {@code at}; render them as of that instant for a consistent answer. */
    public record Snapshot(Instant at, List<ContainerGroup> groups) {
    }

    private record Placement(VSwitch vSwitch, String ip, StockOutMode stockOut) {
    }

    private record IssuedToken(SortedMap<String, String> parameters, String containerGroupId) {
    }
}
