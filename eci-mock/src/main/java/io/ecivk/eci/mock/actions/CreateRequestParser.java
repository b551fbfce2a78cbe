package io.ecivk.eci.mock.actions;

import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.api.Params;
import io.ecivk.eci.mock.model.ContainerGroupSpec;
import io.ecivk.eci.mock.model.ContainerSpec;
import io.ecivk.eci.mock.model.GroupOptions;
import io.ecivk.eci.mock.model.Region;
import io.ecivk.eci.mock.model.ScheduleStrategy;
import io.ecivk.eci.mock.model.Tag;
import io.ecivk.eci.mock.model.VolumeSpec;
import io.ecivk.eci.mock.network.VSwitch;
import io.ecivk.eci.mock.sizing.NoMatchingSpecException;
import io.ecivk.eci.mock.sizing.Spec;
import io.ecivk.eci.mock.sizing.SpecMatch;
import io.ecivk.eci.mock.sizing.SpecTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Validates a CreateContainerGroup request the way the real API does (eci-openapi.md §3.1, §4.3) and turns it into
 * a {@link ContainerGroupSpec}. Pure: it reads the region configuration but changes nothing. Containers, volumes and
 * the remaining group fields are parsed by {@link ContainerParser}, {@link VolumeParser} and
 * {@link GroupOptionsParser}.
 */
public final class CreateRequestParser {

    static final int MAX_CONTAINERS = 20;
    static final int MAX_VOLUMES = VolumeParser.MAX_VOLUMES;
    static final int MAX_TAGS = 20;
    static final int MAX_VSWITCHES = 10;
    static final int MAX_CLIENT_TOKEN_LENGTH = 64;

    /** 2-128 characters of lower-case letters, digits and '-', not starting or ending with '-'. */
    private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,126}[a-z0-9]");
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7E]*");

    private static final Set<String> RESTART_POLICIES = Set.of("Always", "Never", "OnFailure");

    private final Region region;
    private final SpecTable specTable;

    public CreateRequestParser(Region region, SpecTable specTable) {
        this.region = region;
        this.specTable = specTable;
    }

    /**
     * @throws ApiException {@code MissingParameter}, {@code InvalidParameter}, {@code InvalidVSwitchId.NotFound},
     *                      {@code InvalidSecurityGroupId.NotFound} or {@code DryRunOperation}
     */
    public ContainerGroupSpec parse(ApiRequest request) {
        Params params = request.params();
        String name = params.required("ContainerGroupName");
        if (!GROUP_NAME.matcher(name).matches()) {
            throw ApiException.invalidParameter("ContainerGroupName", "it must be 2 to 128 characters of "
                    + "lower-case letters, digits and hyphens, and must not start or end with a hyphen.");
        }
        String securityGroupId = params.required("SecurityGroupId");
        if (!region.securityGroupExists(securityGroupId)) {
            throw new ApiException(400, "InvalidSecurityGroupId.NotFound",
                    "The specified security group \"" + securityGroupId + "\" does not exist.");
        }
        List<VSwitch> candidates = vSwitchCandidates(params);
        ScheduleStrategy strategy = ScheduleStrategy.fromWireName(params.oneOf("ScheduleStrategy",
                ScheduleStrategy.VSWITCH_ORDERED.wireName(), ScheduleStrategy.wireNames()));
        String restartPolicy = params.oneOf("RestartPolicy", "Always", RESTART_POLICIES);
        String clientToken = clientToken(params);

        List<VolumeSpec> volumes = VolumeParser.volumes(params);
        Set<String> volumeNames = new HashSet<>();
        volumes.forEach(volume -> volumeNames.add(volume.name()));
        List<Params> containerParams = params.list("Container");
        if (containerParams.isEmpty()) {
            throw ApiException.missingParameter("Container.1.Name");
        }
        checkCount("Container", containerParams.size(), MAX_CONTAINERS);
        List<Params> initParams = params.list("InitContainer");
        checkCount("InitContainer", initParams.size(), MAX_CONTAINERS);
        Set<String> containerNames = new HashSet<>();
        List<ContainerSpec> initContainers = ContainerParser.containers(initParams, volumeNames, containerNames, true);
        List<ContainerSpec> containers = ContainerParser.containers(containerParams, volumeNames, containerNames,
                false);
        List<Tag> tags = tags(params);
        GroupOptions options = GroupOptionsParser.parse(params);
        SpecMatch size = size(params, containers, initContainers);

        if (params.bool("DryRun").orElse(false)) {
            throw new ApiException(400, "DryRunOperation", "Request validation has been passed with DryRun flag set.");
        }
        return new ContainerGroupSpec(name, securityGroupId, restartPolicy, candidates, strategy, size, containers,
                initContainers, volumes, tags, clientToken, options, new TreeMap<>(request.parameters()));
    }

    private List<VSwitch> vSwitchCandidates(Params params) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : params.required("VSwitchId").split(",")) {
            if (!id.isBlank()) {
                ids.add(id.trim());
            }
        }
        if (ids.isEmpty()) {
            throw ApiException.missingParameter("VSwitchId");
        }
        if (ids.size() > MAX_VSWITCHES) {
            throw ApiException.invalidParameter("VSwitchId", "at most " + MAX_VSWITCHES + " vSwitches may be given.");
        }
        List<VSwitch> vSwitches = new ArrayList<>();
        for (String id : ids) {
            vSwitches.add(region.vSwitch(id).orElseThrow(() -> new ApiException(400, "InvalidVSwitchId.NotFound",
                    "The specified vSwitch \"" + id + "\" does not exist.")));
        }
        Optional<String> zone = params.string("ZoneId");
        if (zone.isPresent()) {
            vSwitches.removeIf(vSwitch -> !vSwitch.zoneId().equals(zone.get()));
            if (vSwitches.isEmpty()) {
                throw ApiException.invalidParameter("ZoneId", "none of the specified vSwitches is in zone "
                        + zone.get() + ".");
            }
        }
        return vSwitches;
    }

    private static String clientToken(Params params) {
        Optional<String> token = params.string("ClientToken");
        if (token.isPresent() && (token.get().length() > MAX_CLIENT_TOKEN_LENGTH
                || !PRINTABLE_ASCII.matcher(token.get()).matches())) {
            throw ApiException.invalidParameter("ClientToken",
                    "it must be at most " + MAX_CLIENT_TOKEN_LENGTH + " ASCII characters.");
        }
        return token.orElse(null);
    }

    /** Kubernetes' default: Always for an untagged or {@code :latest} image, otherwise IfNotPresent. */
    static String defaultPullPolicy(String image) {
        return ContainerParser.defaultPullPolicy(image);
    }

    private static List<Tag> tags(Params params) {
        List<Params> items = params.list("Tag");
        checkCount("Tag", items.size(), MAX_TAGS);
        List<Tag> tags = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Params item : items) {
            String key = item.required("Key");
            if (!keys.add(key)) {
                throw ApiException.invalidParameter(item.child("Key").path(), "tag \"" + key + "\" is given twice.");
            }
            tags.add(new Tag(key, item.string("Value").orElse("")));
        }
        return tags;
    }

    /**
     * Instance-level Cpu/Memory win; otherwise each dimension is the sum over containers, raised to the largest
     * init container (init containers run one at a time, before the others). Then ECI's table rules apply.
     */
    private SpecMatch size(Params params, List<ContainerSpec> containers, List<ContainerSpec> initContainers) {
        Optional<BigDecimal> cpu = positive(params, "Cpu");
        Optional<BigDecimal> memory = positive(params, "Memory");
        Spec request = new Spec(
                cpu.orElseGet(() -> demand(containers, initContainers, ContainerSpec::cpu)),
                memory.orElseGet(() -> demand(containers, initContainers, ContainerSpec::memory)));
        try {
            return specTable.match(request);
        } catch (NoMatchingSpecException e) {
            throw new ApiException(400, "InvalidParameter",
                    "The specified parameter \"Cpu/Memory\" is not valid: " + e.getMessage());
        }
    }

    private static Optional<BigDecimal> positive(Params params, String name) {
        Optional<BigDecimal> value = params.decimal(name);
        if (value.isPresent() && value.get().signum() == 0) {
            throw ApiException.invalidParameter(name, "the value must be greater than 0.");
        }
        return value;
    }

    private static BigDecimal demand(List<ContainerSpec> containers, List<ContainerSpec> initContainers,
            Function<ContainerSpec, BigDecimal> dimension) {
        BigDecimal sum = containers.stream().map(dimension).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal largestInit = initContainers.stream().map(dimension).reduce(BigDecimal.ZERO, BigDecimal::max);
        return sum.max(largestInit);
    }

    private static void checkCount(String list, int count, int max) {
        if (count > max) {
            throw ApiException.invalidParameter(list, "at most " + max + " items may be given, got " + count + ".");
        }
    }
}
