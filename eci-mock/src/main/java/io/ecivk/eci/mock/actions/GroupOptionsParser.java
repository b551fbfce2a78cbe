package io.ecivk.eci.mock.actions;

import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.Params;
import io.ecivk.eci.mock.model.GroupOptions;
import io.ecivk.eci.mock.model.NameValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates the group-level CreateContainerGroup fields that {@link GroupOptions} holds (eci-openapi.md §3.1). */
final class GroupOptionsParser {

    static final int MIN_PENDING_MINUTES = 10;
    static final int MAX_PENDING_MINUTES = 1440;

    private static final Set<String> COMPUTE_CATEGORIES = Set.of("economy", "general");
    private static final Set<String> SPOT_STRATEGIES = Set.of("NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo");
    private static final Set<String> DNS_POLICIES = Set.of("None", "Default");
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private GroupOptionsParser() {
    }

    static GroupOptions parse(Params params) {
        List<String> categories = params.strings("ComputeCategory");
        List<Params> categoryItems = params.list("ComputeCategory");
        for (int i = 0; i < categories.size(); i++) {
            if (!COMPUTE_CATEGORIES.contains(categories.get(i))) {
                throw ApiException.invalidParameter(categoryItems.get(i).path(),
                        "\"" + categories.get(i) + "\" is not one of economy, general.");
            }
        }
        String spotStrategy = params.oneOf("SpotStrategy", "NoSpot", SPOT_STRATEGIES);
        BigDecimal spotPriceLimit = params.decimal("SpotPriceLimit").orElse(null);
        if (spotStrategy.equals("SpotWithPriceLimit") && spotPriceLimit == null) {
            throw ApiException.missingParameter("SpotPriceLimit");
        }
        return new GroupOptions(
                params.string("InstanceType").orElse(null),
                categories,
                spotStrategy,
                spotPriceLimit,
                params.longInteger("SpotDuration", 0, Long.MAX_VALUE).orElse(null),
                params.bool("AutoMatchImageCache").orElse(null),
                params.string("ImageSnapshotId").orElse(null),
                params.string("EipInstanceId").orElse(null),
                params.bool("AutoCreateEip").orElse(null),
                params.longInteger("EipBandwidth", 1, Long.MAX_VALUE).orElse(null),
                params.string("EipISP").orElse(null),
                params.string("EipCommonBandwidthPackage").orElse(null),
                params.longInteger("TerminationGracePeriodSeconds", 0, Long.MAX_VALUE).orElse(null),
                params.longInteger("ActiveDeadlineSeconds", 1, Long.MAX_VALUE).orElse(null),
                params.integerOrNull("Ipv6AddressCount", 1, 1),
                params.string("CorePattern").orElse(null),
                params.oneOf("DnsPolicy", null, DNS_POLICIES),
                dnsConfig(params.child("DnsConfig")),
                hostAliases(params),
                params.string("HostName").orElse(null),
                nameValues(params.child("SecurityContext").list("Sysctl")),
                credentials(params),
                params.string("RamRoleName").orElse(null),
                params.integerOrNull("EphemeralStorage", 0, Integer.MAX_VALUE),
                params.strings("NtpServer"),
                params.longInteger("IngressBandwidth", 0, Long.MAX_VALUE).orElse(null),
                params.longInteger("EgressBandwidth", 0, Long.MAX_VALUE).orElse(null),
                params.string("GpuDriverVersion").orElse(null),
                params.integerOrNull("MaxPendingMinute", MIN_PENDING_MINUTES, MAX_PENDING_MINUTES),
                params.bool("ShareProcessNamespace").orElse(null),
                params.string("ResourceGroupId").orElse(null));
    }

    /** Null when no {@code DnsConfig.*} key was sent. */
    static GroupOptions.DnsConfig dnsConfig(Params dns) {
        if (!dns.isPresent()) {
            return null;
        }
        return new GroupOptions.DnsConfig(dns.strings("NameServer"), dns.strings("Search"),
                nameValues(dns.list("Option")));
    }

    private static List<NameValue> nameValues(List<Params> items) {
        List<NameValue> values = new ArrayList<>();
        for (Params item : items) {
            values.add(new NameValue(item.required("Name"), item.string("Value").orElse(null)));
        }
        return values;
    }

    private static List<GroupOptions.HostAlias> hostAliases(Params params) {
        List<GroupOptions.HostAlias> aliases = new ArrayList<>();
        for (Params item : params.list("HostAliase")) {
            String ip = item.required("Ip");
            if (!IPV4.matcher(ip).matches() && !IPV6.matcher(ip).matches()) {
                throw ApiException.invalidParameter(item.child("Ip").path(), "\"" + ip + "\" is not an IP address.");
            }
            List<String> hostnames = item.strings("Hostname");
            if (hostnames.isEmpty()) {
                throw ApiException.missingParameter(item.child("Hostname").path() + ".1");
            }
            aliases.add(new GroupOptions.HostAlias(ip, hostnames));
        }
        return aliases;
    }

    /** Server, UserName and Password are all mandatory. Messages name the parameter, never its value. */
    static List<GroupOptions.RegistryCredential> credentials(Params params) {
        List<GroupOptions.RegistryCredential> credentials = new ArrayList<>();
        for (Params item : params.list("ImageRegistryCredential")) {
            credentials.add(new GroupOptions.RegistryCredential(item.required("Server"), item.required("UserName"),
                    item.required("Password")));
        }
        return credentials;
    }
}
