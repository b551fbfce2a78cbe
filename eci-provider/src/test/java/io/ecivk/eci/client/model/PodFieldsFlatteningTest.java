package io.ecivk.eci.client.model;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every pod field the typed client can express, as the SDK's own flattener puts it on the wire: literal expected
 * query parameters, with key names from eci-openapi.md §2.3/§3.1 (the CreateContainerGroup model of SDK 1.1.2).
 */
class PodFieldsFlatteningTest {

  @Test
  void containerWithEveryExtendedField() throws Exception {
    Container container =
        Container.builder("app", "app:1")
            .gpu(1)
            .stdin(true)
            .stdinOnce(false)
            .tty(true)
            .volumeMounts(
                List.of(
                    VolumeMount.of("cfg", "/etc/cfg", true),
                    new VolumeMount("data", "/data", false, "sub/dir", "HostToContainer")))
            .readinessProbe(Probe.httpGet("/healthz", 80, "HTTP").withTiming(3, 5, 2, 1, 4))
            .livenessProbe(Probe.exec(List.of("cat", "/tmp/healthy")).withTiming(10, null, null, null, null))
            .securityContext(new ContainerSecurityContext(List.of("NET_ADMIN", "SYS_TIME"), true, 1000L, 2000L, true))
            .postStart(
                LifecycleHandler.httpGet(
                    "10.0.0.1", "/start", 8080, "HTTPS", List.of(new HttpHeader("X-A", "1"), new HttpHeader("X-B", "2"))))
            .preStop(LifecycleHandler.exec(List.of("/bin/sh", "-c", "sleep 5")))
            .terminationMessagePath("/dev/termination-log")
            .terminationMessagePolicy("FallbackToLogsOnError")
            .build();

    assertThat(flatten(CreateContainerGroupRequest.builder("g").containers(List.of(container)).build()))
        .containsExactly(
            entry("Container.1.Gpu", "1"),
            entry("Container.1.Image", "app:1"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetHost", "10.0.0.1"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetHttpHeader.1.Name", "X-A"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetHttpHeader.1.Value", "1"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetHttpHeader.2.Name", "X-B"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetHttpHeader.2.Value", "2"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetPath", "/start"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetPort", "8080"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetScheme", "HTTPS"),
            entry("Container.1.LifecyclePreStopHandlerExec.1", "/bin/sh"),
            entry("Container.1.LifecyclePreStopHandlerExec.2", "-c"),
            entry("Container.1.LifecyclePreStopHandlerExec.3", "sleep 5"),
            entry("Container.1.LivenessProbe.Exec.Command.1", "cat"),
            entry("Container.1.LivenessProbe.Exec.Command.2", "/tmp/healthy"),
            entry("Container.1.LivenessProbe.InitialDelaySeconds", "10"),
            entry("Container.1.Name", "app"),
            entry("Container.1.ReadinessProbe.FailureThreshold", "4"),
            entry("Container.1.ReadinessProbe.HttpGet.Path", "/healthz"),
            entry("Container.1.ReadinessProbe.HttpGet.Port", "80"),
            entry("Container.1.ReadinessProbe.HttpGet.Scheme", "HTTP"),
            entry("Container.1.ReadinessProbe.InitialDelaySeconds", "3"),
            entry("Container.1.ReadinessProbe.PeriodSeconds", "5"),
            entry("Container.1.ReadinessProbe.SuccessThreshold", "1"),
            entry("Container.1.ReadinessProbe.TimeoutSeconds", "2"),
            entry("Container.1.SecurityContext.Capability.Add.1", "NET_ADMIN"),
            entry("Container.1.SecurityContext.Capability.Add.2", "SYS_TIME"),
            entry("Container.1.SecurityContext.ReadOnlyRootFilesystem", "true"),
            entry("Container.1.SecurityContext.RunAsUser", "1000"),
            entry("Container.1.SecurityContextRunAsGroup", "2000"),
            entry("Container.1.SecurityContextRunAsNonRoot", "true"),
            entry("Container.1.Stdin", "true"),
            entry("Container.1.StdinOnce", "false"),
            entry("Container.1.TerminationMessagePath", "/dev/termination-log"),
            entry("Container.1.TerminationMessagePolicy", "FallbackToLogsOnError"),
            entry("Container.1.Tty", "true"),
            entry("Container.1.VolumeMount.1.MountPath", "/etc/cfg"),
            entry("Container.1.VolumeMount.1.Name", "cfg"),
            entry("Container.1.VolumeMount.1.ReadOnly", "true"),
            entry("Container.1.VolumeMount.2.MountPath", "/data"),
            entry("Container.1.VolumeMount.2.MountPropagation", "HostToContainer"),
            entry("Container.1.VolumeMount.2.Name", "data"),
            entry("Container.1.VolumeMount.2.ReadOnly", "false"),
            entry("Container.1.VolumeMount.2.SubPath", "sub/dir"),
            entry("ContainerGroupName", "g"));
  }

  @Test
  void tcpProbeTcpHookAndOnlyTheSetSecurityFields() throws Exception {
    Container container =
        Container.builder("c", "i")
            .readinessProbe(Probe.tcpSocket(6379))
            .postStart(LifecycleHandler.tcpSocket("localhost", 6379))
            .preStop(LifecycleHandler.httpGet(null, "/stop", 8080, null, null))
            .securityContext(new ContainerSecurityContext(null, null, null, 3000L, null))
            .build();

    assertThat(flatten(CreateContainerGroupRequest.builder("g").initContainers(List.of(container)).build()))
        .containsExactly(
            entry("ContainerGroupName", "g"),
            entry("InitContainer.1.Image", "i"),
            entry("InitContainer.1.LifecyclePostStartHandlerTcpSocketHost", "localhost"),
            entry("InitContainer.1.LifecyclePostStartHandlerTcpSocketPort", "6379"),
            entry("InitContainer.1.LifecyclePreStopHandlerHttpGetPath", "/stop"),
            entry("InitContainer.1.LifecyclePreStopHandlerHttpGetPort", "8080"),
            entry("InitContainer.1.Name", "c"),
            entry("InitContainer.1.ReadinessProbe.TcpSocket.Port", "6379"),
            entry("InitContainer.1.SecurityContextRunAsGroup", "3000"));
  }

  @Test
  void probesAndHooksTakeExactlyOneAction() {
    assertThatThrownBy(() -> new Probe(null, null, null, null, null, List.of("x"), null, 80))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Probe(1, 1, 1, 1, 1, List.of(), null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LifecycleHandler(List.of(), null, null, null, null, List.of(), null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachVolumeType() throws Exception {
    var request =
        CreateContainerGroupRequest.builder("g")
            .volumes(
                List.of(
                    Volume.configFile(
                        "cfg", 420,
                        List.of(
                            ConfigFileToPath.of("a.conf", "hello".getBytes(StandardCharsets.UTF_8), null),
                            ConfigFileToPath.ofText("dir/b.key", "s3cr3t", 256))),
                    Volume.emptyDir("scratch", "Memory", "256Mi"),
                    Volume.emptyDir("plain", null, null),
                    Volume.nfs("nas", "0eaf-x.cn-hangzhou.nas.aliyuncs.com", "/share", true),
                    Volume.disk("disk", "d-123", 20, "ext4"),
                    Volume.flex("flex", "alicloud/disk", "ext4", "{\"volumeId\":\"d-1\"}"),
                    Volume.hostPath("host", "/var/log", "Directory")))
            .build();

    assertThat(flatten(request))
        .containsExactly(
            entry("ContainerGroupName", "g"),
            entry("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Content", "aGVsbG8="),
            entry("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path", "a.conf"),
            entry("Volume.1.ConfigFileVolume.ConfigFileToPath.2.Content", "czNjcjN0"),
            entry("Volume.1.ConfigFileVolume.ConfigFileToPath.2.Mode", "256"),
            entry("Volume.1.ConfigFileVolume.ConfigFileToPath.2.Path", "dir/b.key"),
            entry("Volume.1.ConfigFileVolume.DefaultMode", "420"),
            entry("Volume.1.Name", "cfg"),
            entry("Volume.1.Type", "ConfigFileVolume"),
            entry("Volume.2.EmptyDirVolume.Medium", "Memory"),
            entry("Volume.2.EmptyDirVolume.SizeLimit", "256Mi"),
            entry("Volume.2.Name", "scratch"),
            entry("Volume.2.Type", "EmptyDirVolume"),
            entry("Volume.3.Name", "plain"),
            entry("Volume.3.Type", "EmptyDirVolume"),
            entry("Volume.4.NFSVolume.Path", "/share"),
            entry("Volume.4.NFSVolume.ReadOnly", "true"),
            entry("Volume.4.NFSVolume.Server", "0eaf-x.cn-hangzhou.nas.aliyuncs.com"),
            entry("Volume.4.Name", "nas"),
            entry("Volume.4.Type", "NFSVolume"),
            entry("Volume.5.DiskVolume.DiskId", "d-123"),
            entry("Volume.5.DiskVolume.DiskSize", "20"),
            entry("Volume.5.DiskVolume.FsType", "ext4"),
            entry("Volume.5.Name", "disk"),
            entry("Volume.5.Type", "DiskVolume"),
            entry("Volume.6.FlexVolume.Driver", "alicloud/disk"),
            entry("Volume.6.FlexVolume.FsType", "ext4"),
            entry("Volume.6.FlexVolume.Options", "{\"volumeId\":\"d-1\"}"),
            entry("Volume.6.Name", "flex"),
            entry("Volume.6.Type", "FlexVolume"),
            entry("Volume.7.HostPathVolume.Path", "/var/log"),
            entry("Volume.7.HostPathVolume.Type", "Directory"),
            entry("Volume.7.Name", "host"),
            entry("Volume.7.Type", "HostPathVolume"));
  }

  @Test
  void volumeSettingsMustMatchTheType() {
    assertThatThrownBy(() -> new Volume("v", Volume.NFS, null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Volume("v", Volume.DISK, null, null, null, new Volume.Disk("d", 1, null), null,
                new Volume.HostPath("/x", null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Volume("v", "SecretVolume", null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ConfigFileToPath.of("p", new byte[] {1, 2, (byte) 0xff}, null).decodedContent())
        .containsExactly(1, 2, 0xff);
  }

  @Test
  void createWithEveryTopLevelField() throws Exception {
    var request =
        CreateContainerGroupRequest.builder("g")
            .instanceTypes(List.of("ecs.c6.large", "ecs.g6.large"))
            .computeCategories(List.of("economy", "general"))
            .spotStrategy("SpotWithPriceLimit")
            .spotPriceLimit(0.25f)
            .spotDuration(0L)
            .autoMatchImageCache(true)
            .imageSnapshotId("imc-1")
            .eipInstanceId("eip-1")
            .autoCreateEip(true)
            .eipBandwidth(5)
            .eipIsp("BGP")
            .eipCommonBandwidthPackage("cbwp-1")
            .terminationGracePeriodSeconds(30L)
            .activeDeadlineSeconds(600L)
            .ipv6AddressCount(1)
            .corePattern("/pod/data/dump/core")
            .dnsPolicy("None")
            .dnsConfig(
                new DnsConfig(
                    List.of("10.0.0.10", "8.8.8.8"), List.of("default.svc.cluster.local", "svc.cluster.local"),
                    List.of(new DnsConfig.Option("ndots", "2"), new DnsConfig.Option("edns0", null))))
            .hostAliases(
                List.of(new HostAlias("10.0.0.5", List.of("db", "db.local")), new HostAlias("10.0.0.6", List.of("cache"))))
            .hostName("web-0")
            .sysctls(List.of(new Sysctl("net.core.somaxconn", "1024"), new Sysctl("kernel.msgmax", "65536")))
            .imageRegistryCredentials(
                List.of(new ImageRegistryCredential("registry.example.com", "robot", "pa ss*~")))
            .ramRoleName("AliyunECIContainerGroupRole")
            .ephemeralStorage(50)
            .ntpServers(List.of("100.100.5.1", "100.100.5.2"))
            .ingressBandwidth(40_000_000L)
            .egressBandwidth(20_000_000L)
            .gpuDriverVersion("tesla=525.85.12")
            .maxPendingMinute(30)
            .shareProcessNamespace(true)
            .resourceGroupId("rg-1")
            .build();

    assertThat(flatten(request))
        .containsExactly(
            entry("ActiveDeadlineSeconds", "600"),
            entry("AutoCreateEip", "true"),
            entry("AutoMatchImageCache", "true"),
            entry("ComputeCategory.1", "economy"),
            entry("ComputeCategory.2", "general"),
            entry("ContainerGroupName", "g"),
            entry("CorePattern", "/pod/data/dump/core"),
            entry("DnsConfig.NameServer.1", "10.0.0.10"),
            entry("DnsConfig.NameServer.2", "8.8.8.8"),
            entry("DnsConfig.Option.1.Name", "ndots"),
            entry("DnsConfig.Option.1.Value", "2"),
            entry("DnsConfig.Option.2.Name", "edns0"),
            entry("DnsConfig.Search.1", "default.svc.cluster.local"),
            entry("DnsConfig.Search.2", "svc.cluster.local"),
            entry("DnsPolicy", "None"),
            entry("EgressBandwidth", "20000000"),
            entry("EipBandwidth", "5"),
            entry("EipCommonBandwidthPackage", "cbwp-1"),
            entry("EipISP", "BGP"),
            entry("EipInstanceId", "eip-1"),
            entry("EphemeralStorage", "50"),
            entry("GpuDriverVersion", "tesla=525.85.12"),
            entry("HostAliase.1.Hostname.1", "db"),
            entry("HostAliase.1.Hostname.2", "db.local"),
            entry("HostAliase.1.Ip", "10.0.0.5"),
            entry("HostAliase.2.Hostname.1", "cache"),
            entry("HostAliase.2.Ip", "10.0.0.6"),
            entry("HostName", "web-0"),
            entry("ImageRegistryCredential.1.Password", "pa ss*~"),
            entry("ImageRegistryCredential.1.Server", "registry.example.com"),
            entry("ImageRegistryCredential.1.UserName", "robot"),
            entry("ImageSnapshotId", "imc-1"),
            entry("IngressBandwidth", "40000000"),
            entry("InstanceType", "ecs.c6.large,ecs.g6.large"),
            entry("Ipv6AddressCount", "1"),
            entry("MaxPendingMinute", "30"),
            entry("NtpServer.1", "100.100.5.1"),
            entry("NtpServer.2", "100.100.5.2"),
            entry("RamRoleName", "AliyunECIContainerGroupRole"),
            entry("ResourceGroupId", "rg-1"),
            entry("SecurityContext.Sysctl.1.Name", "net.core.somaxconn"),
            entry("SecurityContext.Sysctl.1.Value", "1024"),
            entry("SecurityContext.Sysctl.2.Name", "kernel.msgmax"),
            entry("SecurityContext.Sysctl.2.Value", "65536"),
            entry("ShareProcessNamespace", "true"),
            entry("SpotDuration", "0"),
            entry("SpotPriceLimit", "0.25"),
            entry("SpotStrategy", "SpotWithPriceLimit"),
            entry("TerminationGracePeriodSeconds", "30"));
  }

  @Test
  void updateContainerGroup() throws Exception {
    var request =
        UpdateContainerGroupRequest.builder("eci-1")
            .updateType(UpdateContainerGroupRequest.INCREMENTAL_UPDATE)
            .restartPolicy("OnFailure")
            .cpu(2.0f)
            .memory(4.0f)
            .containers(
                List.of(
                    Container.builder("app", "app:2")
                        .volumeMounts(List.of(VolumeMount.of("cfg", "/etc/cfg", true)))
                        .build()))
            .initContainers(List.of(Container.builder("init", "busybox").commands(List.of("true")).build()))
            .volumes(List.of(Volume.configFile("cfg", null, List.of(ConfigFileToPath.ofText("a.conf", "hello", null)))))
            .imageRegistryCredentials(List.of(new ImageRegistryCredential("r.example.com", "u", "p")))
            .dnsConfig(new DnsConfig(List.of("1.1.1.1"), null, null))
            .tags(List.of(new Tag("k", "v")))
            .clientToken("upd-1")
            .build();

    assertThat(request.action()).isEqualTo("UpdateContainerGroup");
    assertThat(flatten(request))
        .containsExactly(
            entry("ClientToken", "upd-1"),
            entry("Container.1.Image", "app:2"),
            entry("Container.1.Name", "app"),
            entry("Container.1.VolumeMount.1.MountPath", "/etc/cfg"),
            entry("Container.1.VolumeMount.1.Name", "cfg"),
            entry("Container.1.VolumeMount.1.ReadOnly", "true"),
            entry("ContainerGroupId", "eci-1"),
            entry("Cpu", "2.0"),
            entry("DnsConfig.NameServer.1", "1.1.1.1"),
            entry("ImageRegistryCredential.1.Password", "p"),
            entry("ImageRegistryCredential.1.Server", "r.example.com"),
            entry("ImageRegistryCredential.1.UserName", "u"),
            entry("InitContainer.1.Command.1", "true"),
            entry("InitContainer.1.Image", "busybox"),
            entry("InitContainer.1.Name", "init"),
            entry("Memory", "4.0"),
            entry("RestartPolicy", "OnFailure"),
            entry("Tag.1.Key", "k"),
            entry("Tag.1.Value", "v"),
            entry("UpdateType", "IncrementalUpdate"),
            entry("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Content", "aGVsbG8="),
            entry("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path", "a.conf"),
            entry("Volume.1.Name", "cfg"),
            entry("Volume.1.Type", "ConfigFileVolume"));
    assertThat(flatten(UpdateContainerGroupRequest.builder("eci-2").build()))
        .containsExactly(entry("ContainerGroupId", "eci-2"));
  }

  @Test
  void updateNamesThePostStartHeaderListInThePlural() throws Exception {
    var hooks =
        Container.builder("app", "app:2")
            .postStart(LifecycleHandler.httpGet(null, "/a", 80, null, List.of(new HttpHeader("X-A", "1"))))
            .preStop(LifecycleHandler.httpGet(null, "/b", 80, null, List.of(new HttpHeader("X-B", "2"))))
            .build();

    assertThat(flatten(UpdateContainerGroupRequest.builder("eci-1").containers(List.of(hooks)).build()))
        .containsExactly(
            entry("Container.1.Image", "app:2"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetHttpHeaders.1.Name", "X-A"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetHttpHeaders.1.Value", "1"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetPath", "/a"),
            entry("Container.1.LifecyclePostStartHandlerHttpGetPort", "80"),
            entry("Container.1.LifecyclePreStopHandlerHttpGetHttpHeader.1.Name", "X-B"),
            entry("Container.1.LifecyclePreStopHandlerHttpGetHttpHeader.1.Value", "2"),
            entry("Container.1.LifecyclePreStopHandlerHttpGetPath", "/b"),
            entry("Container.1.LifecyclePreStopHandlerHttpGetPort", "80"),
            entry("Container.1.Name", "app"),
            entry("ContainerGroupId", "eci-1"));
    assertThat(flatten(CreateContainerGroupRequest.builder("g").containers(List.of(hooks)).build()))
        .containsKey("Container.1.LifecyclePostStartHandlerHttpGetHttpHeader.1.Name");
  }

  private static Map<String, String> flatten(EciRequest request) throws Exception {
    return new TreeMap<>(com.aliyun.openapiutil.Client.query(request.toParams()));
  }
}
