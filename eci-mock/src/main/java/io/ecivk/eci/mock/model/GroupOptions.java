package io.ecivk.eci.mock.model;

import java.math.BigDecimal;
import java.util.List;

/**
 * The group-level CreateContainerGroup fields beyond name, network, sizing, containers, volumes and tags. Every
 * scalar is null when not sent (except {@code spotStrategy}, which defaults to NoSpot); lists are empty.
 */
public record GroupOptions(String instanceType, List<String> computeCategories, String spotStrategy,
        BigDecimal spotPriceLimit, Long spotDuration, Boolean autoMatchImageCache, String imageSnapshotId,
        String eipInstanceId, Boolean autoCreateEip, Long eipBandwidth, String eipIsp,
        String eipCommonBandwidthPackage, Long terminationGracePeriodSeconds, Long activeDeadlineSeconds,
        Integer ipv6AddressCount, String corePattern, String dnsPolicy, DnsConfig dnsConfig,
        List<HostAlias> hostAliases, String hostName, List<NameValue> sysctls,
        List<RegistryCredential> imageRegistryCredentials, String ramRoleName, Integer ephemeralStorage,
        List<String> ntpServers, Long ingressBandwidth, Long egressBandwidth, String gpuDriverVersion,
        Integer maxPendingMinute, Boolean shareProcessNamespace, String resourceGroupId) {

    public static final GroupOptions NONE = new GroupOptions(null, List.of(), "NoSpot", null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, List.of(), null, List.of(), List.of(), null,
            null, List.of(), null, null, null, null, null, null);

    public GroupOptions {
        computeCategories = List.copyOf(computeCategories);
        hostAliases = List.copyOf(hostAliases);
        sysctls = List.copyOf(sysctls);
        imageRegistryCredentials = List.copyOf(imageRegistryCredentials);
        ntpServers = List.copyOf(ntpServers);
    }

    /** {@code DnsConfig.{NameServer.N, Search.N, Option.N.{Name,Value}}}. */
    public record DnsConfig(List<String> nameServers, List<String> searches, List<NameValue> options) {

        public DnsConfig {
            nameServers = List.copyOf(nameServers);
            searches = List.copyOf(searches);
            options = List.copyOf(options);
        }
    }

    /** {@code HostAliase.N.{Ip, Hostname.N}}. */
    public record HostAlias(String ip, List<String> hostnames) {

        public HostAlias {
            hostnames = List.copyOf(hostnames);
        }
    }

    /** A private registry login. The password is never rendered: not in answers, not in logs, not in toString. */
    public record RegistryCredential(String server, String userName, String password) {

        @Override
        public String toString() {
            return "RegistryCredential[server=" + server + ", userName=" + userName + ", password=***]";
        }
    }
}
