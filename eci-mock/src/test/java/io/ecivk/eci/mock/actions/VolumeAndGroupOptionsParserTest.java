package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.model.ContainerGroupSpec;
import io.ecivk.eci.mock.model.GroupOptions;
import io.ecivk.eci.mock.model.NameValue;
import io.ecivk.eci.mock.model.Region;
import io.ecivk.eci.mock.model.VolumeSpec;
import io.ecivk.eci.mock.network.Ipv4Cidr;
import io.ecivk.eci.mock.network.VSwitch;
import io.ecivk.eci.mock.sizing.SpecTable;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Volumes and group-level fields: literal parameters in, literal stored values or errors out. */
class VolumeAndGroupOptionsParserTest {

    private final CreateRequestParser parser = new CreateRequestParser(new Region("cn-hangzhou", List.of(
            new VSwitch("vsw-a", "cn-hangzhou-i", Ipv4Cidr.parse("10.224.0.0/16"))), Set.of()),
            SpecTable.standard());

    private ContainerGroupSpec parse(Consumer<Map<String, String>> amend) {
        Map<String, String> params = new HashMap<>(ActionsFixture.minimalCreate("web-1"));
        amend.accept(params);
        return parser.parse(ApiRequest.of(params));
    }

    private void assertRejected(Consumer<Map<String, String>> amend, String code, String message) {
        assertThatThrownBy(() -> parse(amend)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void storesEveryVolumeType() {
        List<VolumeSpec> volumes = parse(p -> {
            p.put("Volume.1.Name", "cache");
            p.put("Volume.1.Type", "EmptyDirVolume");
            p.put("Volume.1.EmptyDirVolume.Medium", "Memory");
            p.put("Volume.1.EmptyDirVolume.SizeLimit", "256Mi");
            p.put("Volume.2.Name", "nas");
            p.put("Volume.2.Type", "NFSVolume");
            p.put("Volume.2.NFSVolume.Server", "0eaf.cn-hangzhou.nas.aliyuncs.com");
            p.put("Volume.2.NFSVolume.Path", "/share");
            p.put("Volume.2.NFSVolume.ReadOnly", "true");
            p.put("Volume.3.Name", "cfg");
            p.put("Volume.3.Type", "ConfigFileVolume");
            p.put("Volume.3.ConfigFileVolume.DefaultMode", "420");
            p.put("Volume.3.ConfigFileVolume.ConfigFileToPath.1.Path", "app.conf");
            p.put("Volume.3.ConfigFileVolume.ConfigFileToPath.1.Content", "aGVsbG8=");
            p.put("Volume.3.ConfigFileVolume.ConfigFileToPath.1.Mode", "256");
            p.put("Volume.4.Name", "disk");
            p.put("Volume.4.Type", "DiskVolume");
            p.put("Volume.4.DiskVolume.DiskId", "d-123");
            p.put("Volume.4.DiskVolume.DiskSize", "40");
            p.put("Volume.4.DiskVolume.FsType", "ext4");
            p.put("Volume.5.Name", "flex");
            p.put("Volume.5.Type", "FlexVolume");
            p.put("Volume.5.FlexVolume.Driver", "alicloud/disk");
            p.put("Volume.5.FlexVolume.FsType", "xfs");
            p.put("Volume.5.FlexVolume.Options", "{\"volumeId\":\"d-1\"}");
        }).volumes();
        assertThat(volumes).containsExactly(
                new VolumeSpec("cache", "EmptyDirVolume", new VolumeSpec.EmptyDir("Memory", "256Mi"), null, null,
                        null, null),
                new VolumeSpec("nas", "NFSVolume", null,
                        new VolumeSpec.Nfs("0eaf.cn-hangzhou.nas.aliyuncs.com", "/share", true), null, null, null),
                new VolumeSpec("cfg", "ConfigFileVolume", null, null, new VolumeSpec.ConfigFile(420,
                        List.of(new VolumeSpec.ConfigFileToPath("app.conf", "aGVsbG8=", 256))), null, null),
                new VolumeSpec("disk", "DiskVolume", null, null, null, new VolumeSpec.Disk("d-123", 40, "ext4"),
                        null),
                new VolumeSpec("flex", "FlexVolume", null, null, null, null,
                        new VolumeSpec.Flex("alicloud/disk", "xfs", "{\"volumeId\":\"d-1\"}")));
    }

    @Test
    void rejectsBadVolumes() {
        assertRejected(p -> {
            p.put("Volume.1.Name", "h");
            p.put("Volume.1.Type", "HostPathVolume");
            p.put("Volume.1.HostPathVolume.Path", "/var/log");
        }, "InvalidParameter", "The specified parameter \"Volume.1.Type\" is not valid: "
                + "HostPathVolume is only available to whitelisted users.");
        assertRejected(p -> {
            p.put("Volume.1.Name", "cfg");
            p.put("Volume.1.Type", "ConfigFileVolume");
            p.put("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path", "a");
            p.put("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Content", "not base64!");
        }, "InvalidParameter", "The specified parameter \"Volume.1.ConfigFileVolume.ConfigFileToPath.1.Content\" "
                + "is not valid: the content must be base64.");
        assertRejected(p -> {
            p.put("Volume.1.Name", "v");
            p.put("Volume.1.Type", "EmptyDirVolume");
            p.put("Volume.2.Name", "v");
            p.put("Volume.2.Type", "EmptyDirVolume");
        }, "InvalidParameter", "The specified parameter \"Volume.2.Name\" is not valid: "
                + "volume \"v\" is declared twice.");
        assertRejected(p -> {
            p.put("Volume.1.Name", "nas");
            p.put("Volume.1.Type", "NFSVolume");
            p.put("Volume.1.NFSVolume.Path", "/share");
        }, "MissingParameter", "The input parameter \"Volume.1.NFSVolume.Server\" that is mandatory for "
                + "processing this request is not supplied.");
        assertRejected(p -> {
            p.put("Volume.1.Name", "d");
            p.put("Volume.1.Type", "DiskVolume");
            p.put("Volume.1.DiskVolume.DiskId", "d-1");
            p.put("Volume.1.DiskVolume.DiskSize", "big");
        }, "InvalidParameter", "The specified parameter \"Volume.1.DiskVolume.DiskSize\" is not valid: "
                + "\"big\" is not an integer.");
        assertRejected(p -> {
            p.put("Volume.1.Name", "e");
            p.put("Volume.1.Type", "EmptyDirVolume");
            p.put("Volume.1.EmptyDirVolume.SizeLimit", "lots");
        }, "InvalidParameter", "The specified parameter \"Volume.1.EmptyDirVolume.SizeLimit\" is not valid: "
                + "\"lots\" is not a quantity such as 256Mi.");
        assertRejected(p -> {
            p.put("Volume.1.Name", "f");
            p.put("Volume.1.Type", "FlexVolume");
        }, "MissingParameter", "The input parameter \"Volume.1.FlexVolume.Driver\" that is mandatory for "
                + "processing this request is not supplied.");
    }

    @Test
    void storesGroupLevelFields() {
        GroupOptions options = parse(p -> {
            p.put("InstanceType", "ecs.c6.large,ecs.g6.large");
            p.put("ComputeCategory.1", "economy");
            p.put("ComputeCategory.2", "general");
            p.put("SpotStrategy", "SpotWithPriceLimit");
            p.put("SpotPriceLimit", "0.25");
            p.put("SpotDuration", "1");
            p.put("AutoMatchImageCache", "true");
            p.put("ImageSnapshotId", "imc-1");
            p.put("EipInstanceId", "eip-1");
            p.put("AutoCreateEip", "false");
            p.put("EipBandwidth", "5");
            p.put("EipISP", "BGP");
            p.put("EipCommonBandwidthPackage", "cbwp-1");
            p.put("TerminationGracePeriodSeconds", "30");
            p.put("ActiveDeadlineSeconds", "600");
            p.put("Ipv6AddressCount", "1");
            p.put("CorePattern", "/data/core");
            p.put("DnsPolicy", "None");
            p.put("DnsConfig.NameServer.1", "10.0.0.10");
            p.put("DnsConfig.Search.1", "default.svc.cluster.local");
            p.put("DnsConfig.Option.1.Name", "ndots");
            p.put("DnsConfig.Option.1.Value", "5");
            p.put("HostAliase.1.Ip", "10.0.0.5");
            p.put("HostAliase.1.Hostname.1", "db");
            p.put("HostAliase.1.Hostname.2", "db.local");
            p.put("HostName", "web-host");
            p.put("SecurityContext.Sysctl.1.Name", "net.core.somaxconn");
            p.put("SecurityContext.Sysctl.1.Value", "1024");
            p.put("ImageRegistryCredential.1.Server", "registry.example.com");
            p.put("ImageRegistryCredential.1.UserName", "robot");
            p.put("ImageRegistryCredential.1.Password", "s3cr3t");
            p.put("RamRoleName", "eci-role");
            p.put("EphemeralStorage", "20");
            p.put("NtpServer.1", "ntp.aliyun.com");
            p.put("IngressBandwidth", "1000000");
            p.put("EgressBandwidth", "2000000");
            p.put("GpuDriverVersion", "tesla=470.82.01");
            p.put("MaxPendingMinute", "30");
            p.put("ShareProcessNamespace", "true");
            p.put("ResourceGroupId", "rg-1");
        }).options();
        assertThat(options).isEqualTo(new GroupOptions("ecs.c6.large,ecs.g6.large", List.of("economy", "general"),
                "SpotWithPriceLimit", new BigDecimal("0.25"), 1L, true, "imc-1", "eip-1", false, 5L, "BGP",
                "cbwp-1", 30L, 600L, 1, "/data/core", "None",
                new GroupOptions.DnsConfig(List.of("10.0.0.10"), List.of("default.svc.cluster.local"),
                        List.of(new NameValue("ndots", "5"))),
                List.of(new GroupOptions.HostAlias("10.0.0.5", List.of("db", "db.local"))), "web-host",
                List.of(new NameValue("net.core.somaxconn", "1024")),
                List.of(new GroupOptions.RegistryCredential("registry.example.com", "robot", "s3cr3t")),
                "eci-role", 20, List.of("ntp.aliyun.com"), 1000000L, 2000000L, "tesla=470.82.01", 30, true,
                "rg-1"));
        assertThat(options.imageRegistryCredentials().get(0).toString()).doesNotContain("s3cr3t");
        assertThat(parse(p -> { }).options()).isEqualTo(GroupOptions.NONE);
    }

    @Test
    void rejectsBadGroupLevelFields() {
        assertRejected(p -> p.put("SpotStrategy", "SpotWithPriceLimit"), "MissingParameter",
                "The input parameter \"SpotPriceLimit\" that is mandatory for processing this request is not "
                        + "supplied.");
        assertRejected(p -> p.put("SpotStrategy", "Cheap"), "InvalidParameter",
                "The specified parameter \"SpotStrategy\" is not valid: "
                        + "\"Cheap\" is not one of NoSpot, SpotAsPriceGo, SpotWithPriceLimit.");
        assertRejected(p -> p.put("MaxPendingMinute", "5"), "InvalidParameter",
                "The specified parameter \"MaxPendingMinute\" is not valid: the value must be between 10 and 1440.");
        assertRejected(p -> p.put("MaxPendingMinute", "1441"), "InvalidParameter",
                "The specified parameter \"MaxPendingMinute\" is not valid: the value must be between 10 and 1440.");
        assertRejected(p -> p.put("DnsPolicy", "ClusterFirst"), "InvalidParameter",
                "The specified parameter \"DnsPolicy\" is not valid: \"ClusterFirst\" is not one of Default, None.");
        assertRejected(p -> p.put("ComputeCategory.1", "turbo"), "InvalidParameter",
                "The specified parameter \"ComputeCategory.1\" is not valid: \"turbo\" is not one of economy, "
                        + "general.");
        assertRejected(p -> {
            p.put("ImageRegistryCredential.1.Server", "registry.example.com");
            p.put("ImageRegistryCredential.1.UserName", "robot");
        }, "MissingParameter", "The input parameter \"ImageRegistryCredential.1.Password\" that is mandatory for "
                + "processing this request is not supplied.");
        assertRejected(p -> p.put("HostAliase.1.Ip", "db.local"), "InvalidParameter",
                "The specified parameter \"HostAliase.1.Ip\" is not valid: \"db.local\" is not an IP address.");
        assertRejected(p -> p.put("HostAliase.1.Ip", "10.0.0.1"), "MissingParameter",
                "The input parameter \"HostAliase.1.Hostname.1\" that is mandatory for processing this request is "
                        + "not supplied.");
        assertRejected(p -> p.put("TerminationGracePeriodSeconds", "soon"), "InvalidParameter",
                "The specified parameter \"TerminationGracePeriodSeconds\" is not valid: \"soon\" is not an "
                        + "integer.");
        assertRejected(p -> p.put("Ipv6AddressCount", "2"), "InvalidParameter",
                "The specified parameter \"Ipv6AddressCount\" is not valid: the value must be between 1 and 1.");
        assertRejected(p -> p.put("SecurityContext.Sysctl.1.Value", "1"), "MissingParameter",
                "The input parameter \"SecurityContext.Sysctl.1.Name\" that is mandatory for processing this "
                        + "request is not supplied.");
    }

    @Test
    void instanceTypeIsAcceptedAndSizingStillFollowsCpuAndMemory() {
        ContainerGroupSpec spec = parse(p -> {
            p.put("InstanceType", "ecs.c6.large");
            p.put("Cpu", "2");
            p.put("Memory", "4");
        });
        assertThat(spec.options().instanceType()).isEqualTo("ecs.c6.large");
        assertThat(spec.size().spec().label()).isEqualTo("2.0-4.0Gi");
    }
}
