package io.ecivk.eci.mapping;

import io.ecivk.spi.ProviderEvent;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.sizing.EciSpec;
import io.ecivk.eci.sizing.EciSpecTable;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per mapped pod field and annotation: the literal flattened query is the base pod's literal query
 * ({@link #BASE}) with the case's literal entries added or replaced; and one literal message per rejection.
 */
class PodFieldsMappingTest {

  private static final String UID = "6f1c2a9e-0c47-4b8e-9d3a-1f0e8c7b5a21";

  private static final MappingContext CTX = PodMapperTest.CTX_DNS;

  static final MappingContext NO_DNS =
      new MappingContext(
          "c-8f3a1", "virtual-kubelet-cn-hangzhou-j", List.of("vsw-bp1a", "vsw-bp1b"), "sg-bp1abc",
          EciSpecTable.standard());

  /** The literal query of {@link #base()} under {@link #NO_DNS}. */
  static final Map<String, String> BASE =
      Map.ofEntries(
          Map.entry("ClientToken", UID + "-0"),
          Map.entry("Container.1.Image", "app:1"),
          Map.entry("Container.1.Name", "app"),
          Map.entry("Container.1.Port.1.Port", "8080"),
          Map.entry("Container.1.Port.1.Protocol", "TCP"),
          Map.entry("ContainerGroupName", "shop-web-3f920e5bb3"),
          Map.entry("Cpu", "2.0"),
          Map.entry("Memory", "4.0"),
          Map.entry("RestartPolicy", "Always"),
          Map.entry("SecurityGroupId", "sg-bp1abc"),
          Map.entry("Tag.1.Key", "ecivk.io/cluster-id"),
          Map.entry("Tag.1.Value", "c-8f3a1"),
          Map.entry("Tag.2.Key", "ecivk.io/node-name"),
          Map.entry("Tag.2.Value", "virtual-kubelet-cn-hangzhou-j"),
          Map.entry("Tag.3.Key", "ecivk.io/pod-namespace"),
          Map.entry("Tag.3.Value", "shop"),
          Map.entry("Tag.4.Key", "ecivk.io/pod-name"),
          Map.entry("Tag.4.Value", "web"),
          Map.entry("Tag.5.Key", "ecivk.io/pod-uid"),
          Map.entry("Tag.5.Value", UID),
          Map.entry("VSwitchId", "vsw-bp1a,vsw-bp1b"));

  /** A pod of one container with a port named http, no dnsPolicy. */
  static PodBuilder base() {
    return new PodBuilder()
        .withNewMetadata().withNamespace("shop").withName("web").withUid(UID).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage("app:1")
        .addNewPort().withName("http").withContainerPort(8080).endPort()
        .endContainer()
        .endSpec();
  }

  @Test
  void basePodIsTheBaseQuery() throws Exception {
    assertThat(flatten(PodMapper.map(base().build(), NO_DNS).request())).isEqualTo(new TreeMap<>(BASE));
  }

  static Stream<Arguments> mapped() {
    return Stream.of(
        // ---- probes
        mapped("exec liveness probe with timing",
            p -> p.editSpec().editContainer(0).withNewLivenessProbe().withNewExec().withCommand("cat", "/tmp/ok")
                .endExec().withInitialDelaySeconds(5).withPeriodSeconds(10).withTimeoutSeconds(2)
                .withSuccessThreshold(1).withFailureThreshold(3).endLivenessProbe().endContainer().endSpec(),
            "Container.1.LivenessProbe.Exec.Command.1", "cat",
            "Container.1.LivenessProbe.Exec.Command.2", "/tmp/ok",
            "Container.1.LivenessProbe.FailureThreshold", "3",
            "Container.1.LivenessProbe.InitialDelaySeconds", "5",
            "Container.1.LivenessProbe.PeriodSeconds", "10",
            "Container.1.LivenessProbe.SuccessThreshold", "1",
            "Container.1.LivenessProbe.TimeoutSeconds", "2"),
        mapped("httpGet readiness probe on a named port",
            p -> p.editSpec().editContainer(0).withNewReadinessProbe().withNewHttpGet().withPath("/healthz")
                .withPort(new IntOrString("http")).withScheme("HTTPS").endHttpGet().endReadinessProbe()
                .endContainer().endSpec(),
            "Container.1.ReadinessProbe.HttpGet.Path", "/healthz",
            "Container.1.ReadinessProbe.HttpGet.Port", "8080",
            "Container.1.ReadinessProbe.HttpGet.Scheme", "HTTPS"),
        mapped("tcpSocket liveness probe",
            p -> p.editSpec().editContainer(0).withNewLivenessProbe().withNewTcpSocket()
                .withPort(new IntOrString(9000)).endTcpSocket().endLivenessProbe().endContainer().endSpec(),
            "Container.1.LivenessProbe.TcpSocket.Port", "9000"),
        // ---- lifecycle
        mapped("postStart exec",
            p -> p.editSpec().editContainer(0).withNewLifecycle().withNewPostStart().withNewExec()
                .withCommand("sh", "-c", "echo up").endExec().endPostStart().endLifecycle().endContainer().endSpec(),
            "Container.1.LifecyclePostStartHandlerExec.1", "sh",
            "Container.1.LifecyclePostStartHandlerExec.2", "-c",
            "Container.1.LifecyclePostStartHandlerExec.3", "echo up"),
        mapped("preStop httpGet with host and headers",
            p -> p.editSpec().editContainer(0).withNewLifecycle().withNewPreStop().withNewHttpGet()
                .withHost("127.0.0.1").withPath("/drain").withPort(new IntOrString("http")).withScheme("HTTP")
                .addNewHttpHeader().withName("X-Drain").withValue("1").endHttpHeader()
                .endHttpGet().endPreStop().endLifecycle().endContainer().endSpec(),
            "Container.1.LifecyclePreStopHandlerHttpGetHost", "127.0.0.1",
            "Container.1.LifecyclePreStopHandlerHttpGetHttpHeader.1.Name", "X-Drain",
            "Container.1.LifecyclePreStopHandlerHttpGetHttpHeader.1.Value", "1",
            "Container.1.LifecyclePreStopHandlerHttpGetPath", "/drain",
            "Container.1.LifecyclePreStopHandlerHttpGetPort", "8080",
            "Container.1.LifecyclePreStopHandlerHttpGetScheme", "HTTP"),
        mapped("preStop tcpSocket",
            p -> p.editSpec().editContainer(0).withNewLifecycle().withNewPreStop().withNewTcpSocket()
                .withHost("10.0.0.5").withPort(new IntOrString(7000)).endTcpSocket().endPreStop().endLifecycle()
                .endContainer().endSpec(),
            "Container.1.LifecyclePreStopHandlerTcpSocketHost", "10.0.0.5",
            "Container.1.LifecyclePreStopHandlerTcpSocketPort", "7000"),
        // ---- security context
        mapped("container security context",
            p -> p.editSpec().editContainer(0).withNewSecurityContext().withNewCapabilities()
                .withAdd("NET_ADMIN", "SYS_TIME").endCapabilities().withReadOnlyRootFilesystem(true)
                .withRunAsUser(1000L).withRunAsGroup(3000L).withRunAsNonRoot(true).withPrivileged(false)
                .endSecurityContext().endContainer().endSpec(),
            "Container.1.SecurityContext.Capability.Add.1", "NET_ADMIN",
            "Container.1.SecurityContext.Capability.Add.2", "SYS_TIME",
            "Container.1.SecurityContext.ReadOnlyRootFilesystem", "true",
            "Container.1.SecurityContext.RunAsUser", "1000",
            "Container.1.SecurityContextRunAsGroup", "3000",
            "Container.1.SecurityContextRunAsNonRoot", "true"),
        mapped("pod security context defaults, overridden per container",
            p -> p.editSpec().withNewSecurityContext().withRunAsUser(1000L).withRunAsGroup(3000L)
                .withRunAsNonRoot(true).withFsGroupChangePolicy("OnRootMismatch").endSecurityContext()
                .editContainer(0).withNewSecurityContext().withRunAsUser(2000L).endSecurityContext().endContainer()
                .addNewContainer().withName("side").withImage("side:1").endContainer().endSpec(),
            "Container.1.SecurityContext.RunAsUser", "2000",
            "Container.1.SecurityContextRunAsGroup", "3000",
            "Container.1.SecurityContextRunAsNonRoot", "true",
            "Container.2.Image", "side:1",
            "Container.2.Name", "side",
            "Container.2.SecurityContext.RunAsUser", "1000",
            "Container.2.SecurityContextRunAsGroup", "3000",
            "Container.2.SecurityContextRunAsNonRoot", "true"),
        mapped("init container security context",
            p -> p.editSpec().withNewSecurityContext().withRunAsUser(1000L).endSecurityContext()
                .addNewInitContainer().withName("init").withImage("busybox").withNewSecurityContext()
                .withNewCapabilities().withAdd("CHOWN").endCapabilities().withReadOnlyRootFilesystem(true)
                .endSecurityContext().endInitContainer().endSpec(),
            "Container.1.SecurityContext.RunAsUser", "1000",
            "InitContainer.1.Image", "busybox",
            "InitContainer.1.Name", "init",
            "InitContainer.1.SecurityContext.Capability.Add.1", "CHOWN",
            "InitContainer.1.SecurityContext.ReadOnlyRootFilesystem", "true",
            "InitContainer.1.SecurityContext.RunAsUser", "1000"),
        mapped("safe sysctls",
            p -> p.editSpec().withNewSecurityContext()
                .addNewSysctl().withName("net.core.somaxconn").withValue("1024").endSysctl()
                .addNewSysctl().withName("net.ipv4.ip_local_port_range").withValue("1024 65000").endSysctl()
                .endSecurityContext().endSpec(),
            "SecurityContext.Sysctl.1.Name", "net.core.somaxconn",
            "SecurityContext.Sysctl.1.Value", "1024",
            "SecurityContext.Sysctl.2.Name", "net.ipv4.ip_local_port_range",
            "SecurityContext.Sysctl.2.Value", "1024 65000"),
        // ---- interactive, termination message
        mapped("stdin, stdinOnce, tty",
            p -> p.editSpec().editContainer(0).withStdin(true).withStdinOnce(true).withTty(true).endContainer()
                .endSpec(),
            "Container.1.Stdin", "true",
            "Container.1.StdinOnce", "true",
            "Container.1.Tty", "true"),
        mapped("termination message path and policy",
            p -> p.editSpec().editContainer(0).withTerminationMessagePath("/var/log/exit")
                .withTerminationMessagePolicy("FallbackToLogsOnError").endContainer().endSpec(),
            "Container.1.TerminationMessagePath", "/var/log/exit",
            "Container.1.TerminationMessagePolicy", "FallbackToLogsOnError"),
        // ---- pod level
        mapped("hostAliases",
            p -> p.editSpec().addNewHostAlias().withIp("10.0.0.1").withHostnames("db", "db.local").endHostAlias()
                .addNewHostAlias().withIp("10.0.0.2").withHostnames("cache").endHostAlias().endSpec(),
            "HostAliase.1.Hostname.1", "db",
            "HostAliase.1.Hostname.2", "db.local",
            "HostAliase.1.Ip", "10.0.0.1",
            "HostAliase.2.Hostname.1", "cache",
            "HostAliase.2.Ip", "10.0.0.2"),
        mapped("hostname, subdomain ignored",
            p -> p.editSpec().withHostname("web-0").withSubdomain("web").endSpec(),
            "HostName", "web-0"),
        mapped("grace period and active deadline",
            p -> p.editSpec().withTerminationGracePeriodSeconds(45L).withActiveDeadlineSeconds(3600L).endSpec(),
            "ActiveDeadlineSeconds", "3600",
            "TerminationGracePeriodSeconds", "45"),
        // ---- DNS
        mappedIn("ClusterFirst", CTX,
            p -> p.editSpec().withDnsPolicy("ClusterFirst").endSpec(),
            "DnsConfig.NameServer.1", "10.96.0.10",
            "DnsConfig.Option.1.Name", "ndots",
            "DnsConfig.Option.1.Value", "5",
            "DnsConfig.Search.1", "shop.svc.cluster.local",
            "DnsConfig.Search.2", "svc.cluster.local",
            "DnsConfig.Search.3", "cluster.local",
            "DnsPolicy", "None"),
        mappedIn("ClusterFirst merged with dnsConfig", CTX,
            p -> p.editSpec().withDnsPolicy("ClusterFirst").withNewDnsConfig()
                .withNameservers("1.1.1.1", "10.96.0.10").withSearches("corp.example", "svc.cluster.local")
                .addNewOption().withName("ndots").withValue("2").endOption()
                .addNewOption().withName("edns0").endOption().endDnsConfig().endSpec(),
            "DnsConfig.NameServer.1", "10.96.0.10",
            "DnsConfig.NameServer.2", "1.1.1.1",
            "DnsConfig.Option.1.Name", "ndots",
            "DnsConfig.Option.1.Value", "2",
            "DnsConfig.Option.2.Name", "edns0",
            "DnsConfig.Search.1", "shop.svc.cluster.local",
            "DnsConfig.Search.2", "svc.cluster.local",
            "DnsConfig.Search.3", "cluster.local",
            "DnsConfig.Search.4", "corp.example",
            "DnsPolicy", "None"),
        mappedIn("ClusterFirstWithHostNet is ClusterFirst, another domain", new MappingContext(
                "c-8f3a1", "virtual-kubelet-cn-hangzhou-j", List.of("vsw-bp1a", "vsw-bp1b"), "sg-bp1abc",
                EciSpecTable.standard(), new ClusterDns(List.of("172.21.0.10", "172.21.0.11"), "corp.internal")),
            p -> p.editSpec().withDnsPolicy("ClusterFirstWithHostNet").endSpec(),
            "DnsConfig.NameServer.1", "172.21.0.10",
            "DnsConfig.NameServer.2", "172.21.0.11",
            "DnsConfig.Option.1.Name", "ndots",
            "DnsConfig.Option.1.Value", "5",
            "DnsConfig.Search.1", "shop.svc.corp.internal",
            "DnsConfig.Search.2", "svc.corp.internal",
            "DnsConfig.Search.3", "corp.internal",
            "DnsPolicy", "None"),
        mappedIn("unset dnsPolicy with cluster DNS is ClusterFirst", CTX,
            p -> p,
            "DnsConfig.NameServer.1", "10.96.0.10",
            "DnsConfig.Option.1.Name", "ndots",
            "DnsConfig.Option.1.Value", "5",
            "DnsConfig.Search.1", "shop.svc.cluster.local",
            "DnsConfig.Search.2", "svc.cluster.local",
            "DnsConfig.Search.3", "cluster.local",
            "DnsPolicy", "None"),
        mapped("Default",
            p -> p.editSpec().withDnsPolicy("Default").endSpec(),
            "DnsPolicy", "Default"),
        mapped("None with dnsConfig",
            p -> p.editSpec().withDnsPolicy("None").withNewDnsConfig().withNameservers("1.1.1.1", "8.8.8.8")
                .withSearches("example.com").addNewOption().withName("timeout").withValue("2").endOption()
                .endDnsConfig().endSpec(),
            "DnsConfig.NameServer.1", "1.1.1.1",
            "DnsConfig.NameServer.2", "8.8.8.8",
            "DnsConfig.Option.1.Name", "timeout",
            "DnsConfig.Option.1.Value", "2",
            "DnsConfig.Search.1", "example.com",
            "DnsPolicy", "None"),
        // ---- volumes and mounts
        mapped("emptyDir in memory with a size limit, mounted with subPath",
            p -> p.editSpec().addNewVolume().withName("cache").withNewEmptyDir().withMedium("Memory")
                .withSizeLimit(new Quantity("256Mi")).endEmptyDir().endVolume()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .editContainer(0).addNewVolumeMount().withName("cache").withMountPath("/cache").withSubPath("app")
                .endVolumeMount().addNewVolumeMount().withName("scratch").withMountPath("/tmp").endVolumeMount()
                .endContainer().endSpec(),
            "Container.1.VolumeMount.1.MountPath", "/cache",
            "Container.1.VolumeMount.1.Name", "cache",
            "Container.1.VolumeMount.1.SubPath", "app",
            "Container.1.VolumeMount.2.MountPath", "/tmp",
            "Container.1.VolumeMount.2.Name", "scratch",
            "Volume.1.EmptyDirVolume.Medium", "Memory",
            "Volume.1.EmptyDirVolume.SizeLimit", "256Mi",
            "Volume.1.Name", "cache",
            "Volume.1.Type", "EmptyDirVolume",
            "Volume.2.Name", "scratch",
            "Volume.2.Type", "EmptyDirVolume"),
        mapped("NFS, mounted read-only with propagation",
            p -> p.editSpec().addNewVolume().withName("share").withNewNfs().withServer("0a1b2c-xyz.nas.aliyuncs.com")
                .withPath("/exports").withReadOnly(true).endNfs().endVolume()
                .editContainer(0).addNewVolumeMount().withName("share").withMountPath("/share").withReadOnly(true)
                .withMountPropagation("HostToContainer").endVolumeMount().endContainer().endSpec(),
            "Container.1.VolumeMount.1.MountPath", "/share",
            "Container.1.VolumeMount.1.MountPropagation", "HostToContainer",
            "Container.1.VolumeMount.1.Name", "share",
            "Container.1.VolumeMount.1.ReadOnly", "true",
            "Volume.1.NFSVolume.Path", "/exports",
            "Volume.1.NFSVolume.ReadOnly", "true",
            "Volume.1.NFSVolume.Server", "0a1b2c-xyz.nas.aliyuncs.com",
            "Volume.1.Name", "share",
            "Volume.1.Type", "NFSVolume"),
        // ---- GPU
        mapped("GPU on a GPU instance type with a driver version",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-use-specs", "ecs.gn6i-c4g1.xlarge,ecs.gn6v-c8g1.2xlarge",
                    "k8s.aliyun.com/eci-gpu-driver-version", "tesla=525.85.12"))
                .editSpec().editContainer(0).withNewResources().addToLimits("nvidia.com/gpu", new Quantity("1"))
                .endResources().endContainer().endSpec(),
            "Container.1.Gpu", "1",
            "GpuDriverVersion", "tesla=525.85.12",
            "InstanceType", "ecs.gn6i-c4g1.xlarge,ecs.gn6v-c8g1.2xlarge"),
        mapped("GPU on a bare-metal GPU instance type",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-use-specs", "ecs.ebmgn7e.32xlarge"))
                .editSpec().editContainer(0).withNewResources().addToLimits("nvidia.com/gpu", new Quantity("8"))
                .endResources().endContainer().endSpec(),
            "Container.1.Gpu", "8",
            "InstanceType", "ecs.ebmgn7e.32xlarge"),
        // ---- annotations
        mapped("use-specs, first a cpu-mem spec: it sizes the group",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-use-specs", "0.5-1Gi, 2-4Gi,ecs.c6.xlarge")),
            "Cpu", "0.5",
            "InstanceType", "0.5-1Gi,2-4Gi,ecs.c6.xlarge",
            "Memory", "1.0"),
        mapped("use-specs, first an ECS type: the computed size stays",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-use-specs", "ecs.c6.large,4-8Gi")),
            "InstanceType", "ecs.c6.large,4-8Gi"),
        mapped("vswitch and schedule strategy",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-vswitch", "vsw-x1,vsw-x2,vsw-x3",
                "k8s.aliyun.com/eci-schedule-strategy", "VSwitchRandom")),
            "ScheduleStrategy", "VSwitchRandom",
            "VSwitchId", "vsw-x1,vsw-x2,vsw-x3"),
        mapped("security group",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-security-group", "sg-other")),
            "SecurityGroupId", "sg-other"),
        mapped("spot as price go, duration 0",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-spot-strategy", "SpotAsPriceGo",
                "k8s.aliyun.com/eci-spot-duration", "0")),
            "SpotDuration", "0",
            "SpotStrategy", "SpotAsPriceGo"),
        mapped("spot with price limit",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-spot-strategy", "SpotWithPriceLimit",
                "k8s.aliyun.com/eci-spot-price-limit", "0.25")),
            "SpotPriceLimit", "0.25",
            "SpotStrategy", "SpotWithPriceLimit"),
        mapped("auto-imc and imc-id",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-auto-imc", "false", "k8s.aliyun.com/eci-imc-id", "imc-2ze1")),
            "AutoMatchImageCache", "false",
            "ImageSnapshotId", "imc-2ze1"),
        mapped("older image-cache and image-snapshot-id",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-image-cache", "true",
                "k8s.aliyun.com/eci-image-snapshot-id", "imc-old")),
            "AutoMatchImageCache", "true",
            "ImageSnapshotId", "imc-old"),
        mapped("with-eip and its bandwidth",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-with-eip", "true", "k8s.aliyun.com/eip-bandwidth", "5")),
            "AutoCreateEip", "true",
            "EipBandwidth", "5"),
        mapped("eip-instanceid",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-eip-instanceid", "eip-bp1q")),
            "EipInstanceId", "eip-bp1q"),
        mapped("ram role name",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-ram-role-name", "AliyunECIContainerGroupRole")),
            "RamRoleName", "AliyunECIContainerGroupRole"),
        mapped("extra ephemeral storage, rounded up to GiB",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-extra-ephemeral-storage", "1500Mi")),
            "EphemeralStorage", "2"),
        mapped("extra ephemeral storage 50Gi",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-extra-ephemeral-storage", "50Gi")),
            "EphemeralStorage", "50"),
        mapped("custom tags after ours",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-custom-tags", "env:test,name:alice")),
            "Tag.6.Key", "env",
            "Tag.6.Value", "test",
            "Tag.7.Key", "name",
            "Tag.7.Value", "alice"),
        mapped("ntp servers",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-ntp-server", "100.100.5.1,100.100.5.2")),
            "NtpServer.1", "100.100.5.1",
            "NtpServer.2", "100.100.5.2"),
        mapped("core pattern",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-core-pattern", "/pod/data/dump/core")),
            "CorePattern", "/pod/data/dump/core"),
        mapped("compute categories",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-compute-category", "economy,general")),
            "ComputeCategory.1", "economy",
            "ComputeCategory.2", "general"),
        mapped("max pending minute",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-max-pending-minute", "30")),
            "MaxPendingMinute", "30"),
        mapped("ipv6",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-enable-ipv6", "true")),
            "Ipv6AddressCount", "1"),
        mapped("ipv6 disabled sends nothing",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-enable-ipv6", "false"))),
        mapped("ingress and egress bandwidth",
            p -> ann(p, Map.of("kubernetes.io/ingress-bandwidth", "40M", "kubernetes.io/egress-bandwidth", "1G")),
            "EgressBandwidth", "1000000000",
            "IngressBandwidth", "40000000"),
        mapped("unknown eci annotations are ignored",
            p -> ann(p, Map.of("k8s.aliyun.com/eci-fail-strategy", "fail-fast",
                "k8s.aliyun.com/eci-instance-id", "eci-2ze0"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mapped")
  void mapsTheField(String name, MappingContext ctx, Pod pod, Map<String, String> delta) throws Exception {
    Map<String, String> expected = new TreeMap<>(BASE);
    expected.putAll(delta);

    assertThat(flatten(PodMapper.map(pod, ctx).request())).isEqualTo(expected);
  }

  @Test
  void clusterFirstWithoutAnyKnownClusterDnsFallsBackToDefaultWithAWarningLikeTheKubelet() throws Exception {
    MappedPod mapped = PodMapper.map(base().editSpec().withDnsPolicy("ClusterFirst").endSpec().build(), NO_DNS);

    assertThat(flatten(mapped.request())).containsEntry("DnsPolicy", "Default").doesNotContainKey("DnsConfig.NameServer.1");
    assertThat(mapped.events()).containsExactly(ProviderEvent.warning("MissingClusterDNS",
        "the agent knows no cluster DNS (no --cluster-dns and no kube-system/kube-dns Service) and cannot create the"
            + " pod with the \"ClusterFirst\" DNS policy. Falling back to \"Default\" (the VPC's DNS)."));
  }

  @Test
  void realDeploymentPod() throws Exception {
    MappedPod mapped = PodMapper.map(Fixtures.pod("deployment-probes"), CTX);

    assertThat(mapped.spec()).isEqualTo(new EciSpec(2.0f, 4.0f));
    assertThat(mapped.events()).isEmpty();
    assertThat(flatten(mapped.request()))
        .containsExactly(
            entry("ClientToken", "0b7e3c1a-5d2f-4e8a-9c6b-2a1f0e9d8c7b-0"),
            entry("Container.1.Arg.1", "--listen=:8080"),
            entry("Container.1.Arg.2", "--metrics=:9102"),
            entry("Container.1.Cpu", "1.0"),
            entry("Container.1.EnvironmentVar.1.FieldRef.FieldPath", "status.podIP"),
            entry("Container.1.EnvironmentVar.1.Key", "POD_IP"),
            entry("Container.1.Image", "registry.example.com/payments/api:4.2.0"),
            entry("Container.1.ImagePullPolicy", "IfNotPresent"),
            entry("Container.1.LifecyclePreStopHandlerExec.1", "/bin/sh"),
            entry("Container.1.LifecyclePreStopHandlerExec.2", "-c"),
            entry("Container.1.LifecyclePreStopHandlerExec.3", "sleep 10"),
            entry("Container.1.LivenessProbe.FailureThreshold", "3"),
            entry("Container.1.LivenessProbe.HttpGet.Path", "/livez"),
            entry("Container.1.LivenessProbe.HttpGet.Port", "8080"),
            entry("Container.1.LivenessProbe.HttpGet.Scheme", "HTTP"),
            entry("Container.1.LivenessProbe.InitialDelaySeconds", "10"),
            entry("Container.1.LivenessProbe.PeriodSeconds", "10"),
            entry("Container.1.LivenessProbe.SuccessThreshold", "1"),
            entry("Container.1.LivenessProbe.TimeoutSeconds", "1"),
            entry("Container.1.Memory", "2.0"),
            entry("Container.1.Name", "api"),
            entry("Container.1.Port.1.Port", "8080"),
            entry("Container.1.Port.1.Protocol", "TCP"),
            entry("Container.1.Port.2.Port", "9102"),
            entry("Container.1.Port.2.Protocol", "TCP"),
            entry("Container.1.ReadinessProbe.FailureThreshold", "3"),
            entry("Container.1.ReadinessProbe.PeriodSeconds", "5"),
            entry("Container.1.ReadinessProbe.SuccessThreshold", "1"),
            entry("Container.1.ReadinessProbe.TcpSocket.Port", "8080"),
            entry("Container.1.ReadinessProbe.TimeoutSeconds", "1"),
            entry("Container.1.SecurityContext.RunAsUser", "10001"),
            entry("Container.1.SecurityContextRunAsNonRoot", "true"),
            entry("Container.1.VolumeMount.1.MountPath", "/tmp"),
            entry("Container.1.VolumeMount.1.Name", "tmp"),
            entry("ContainerGroupName", "payments-api-6b8f9c7d5-m4x2q-cae5b5aa21"),
            entry("Cpu", "2.0"),
            entry("DnsConfig.NameServer.1", "10.96.0.10"),
            entry("DnsConfig.Option.1.Name", "ndots"),
            entry("DnsConfig.Option.1.Value", "5"),
            entry("DnsConfig.Search.1", "payments.svc.cluster.local"),
            entry("DnsConfig.Search.2", "svc.cluster.local"),
            entry("DnsConfig.Search.3", "cluster.local"),
            entry("DnsPolicy", "None"),
            entry("InstanceType", "2-4Gi,ecs.c6.large"),
            entry("Memory", "4.0"),
            entry("RestartPolicy", "Always"),
            entry("SecurityGroupId", "sg-bp1abc"),
            entry("Tag.1.Key", "ecivk.io/cluster-id"),
            entry("Tag.1.Value", "c-8f3a1"),
            entry("Tag.2.Key", "ecivk.io/node-name"),
            entry("Tag.2.Value", "virtual-kubelet-cn-hangzhou-j"),
            entry("Tag.3.Key", "ecivk.io/pod-namespace"),
            entry("Tag.3.Value", "payments"),
            entry("Tag.4.Key", "ecivk.io/pod-name"),
            entry("Tag.4.Value", "api-6b8f9c7d5-m4x2q"),
            entry("Tag.5.Key", "ecivk.io/pod-uid"),
            entry("Tag.5.Value", "0b7e3c1a-5d2f-4e8a-9c6b-2a1f0e9d8c7b"),
            entry("TerminationGracePeriodSeconds", "60"),
            entry("VSwitchId", "vsw-bp1a,vsw-bp1b"),
            entry("Volume.1.EmptyDirVolume.SizeLimit", "1Gi"),
            entry("Volume.1.Name", "tmp"),
            entry("Volume.1.Type", "EmptyDirVolume"));
  }

  @Test
  void firstCpuMemUseSpecIsTheReportedSpecWithoutAnEvent() {
    MappedPod mapped =
        PodMapper.map(ann(base(), Map.of("k8s.aliyun.com/eci-use-specs", "1-2Gi")).build(), NO_DNS);

    assertThat(mapped.spec()).isEqualTo(new EciSpec(1.0f, 2.0f));
    assertThat(mapped.events()).isEmpty();
  }

  static Stream<Arguments> rejected() {
    String bad = "InvalidAnnotation";
    String unsupported = "UnsupportedPodField";
    String invalid = "InvalidPodField";
    return Stream.of(
        rejected("privileged", unsupported,
            p -> p.editSpec().editContainer(0).withNewSecurityContext().withPrivileged(true).endSecurityContext()
                .endContainer().endSpec(),
            "spec.containers[0].securityContext.privileged: privileged containers are not supported on ECI"),
        rejected("seccomp Unconfined", unsupported,
            p -> p.editSpec().editContainer(0).withNewSecurityContext().withNewSeccompProfile()
                .withType("Unconfined").endSeccompProfile().endSecurityContext().endContainer().endSpec(),
            "spec.containers[0].securityContext.seccompProfile: ECI applies only the runtime's default seccomp "
                + "profile, not Unconfined"),
        rejected("procMount Unmasked", unsupported,
            p -> p.editSpec().editContainer(0).withNewSecurityContext().withProcMount("Unmasked")
                .endSecurityContext().endContainer().endSpec(),
            "spec.containers[0].securityContext.procMount: ECI has only the Default proc mount"),
        rejected("pod fsGroup", unsupported,
            p -> p.editSpec().withNewSecurityContext().withFsGroup(2000L).endSecurityContext().endSpec(),
            "spec.securityContext.fsGroup: ECI cannot change the group of volumes"),
        rejected("pod supplementalGroups", unsupported,
            p -> p.editSpec().withNewSecurityContext().withSupplementalGroups(4000L).endSecurityContext().endSpec(),
            "spec.securityContext.supplementalGroups: ECI has no supplemental groups"),
        rejected("pod runAsGroup inherited by an init container", unsupported,
            p -> p.editSpec().withNewSecurityContext().withRunAsGroup(3000L).endSecurityContext()
                .addNewInitContainer().withName("init").withImage("busybox").endInitContainer().endSpec(),
            "spec.securityContext.runAsGroup (inherited by spec.initContainers[0]): ECI's init containers have no "
                + "runAsGroup"),
        rejected("unsafe sysctl", unsupported,
            p -> p.editSpec().withNewSecurityContext().addNewSysctl().withName("kernel.msgmax").withValue("65536")
                .endSysctl().endSecurityContext().endSpec(),
            "spec.securityContext.sysctls[0] (kernel.msgmax): ECI accepts only the sysctls kernel.shm_rmid_forced, "
                + "net.core.somaxconn, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, "
                + "net.ipv4.ping_group_range"),
        rejected("tcp_syncookies, excluded by ECI", unsupported,
            p -> p.editSpec().withNewSecurityContext().addNewSysctl().withName("net.ipv4.tcp_syncookies")
                .withValue("1").endSysctl().endSecurityContext().endSpec(),
            "spec.securityContext.sysctls[0] (net.ipv4.tcp_syncookies): ECI accepts only the sysctls "
                + "kernel.shm_rmid_forced, net.core.somaxconn, net.ipv4.ip_local_port_range, "
                + "net.ipv4.ip_unprivileged_port_start, net.ipv4.ping_group_range"),
        rejected("probe host", unsupported,
            p -> p.editSpec().editContainer(0).withNewLivenessProbe().withNewHttpGet().withHost("example.com")
                .withPort(new IntOrString(80)).endHttpGet().endLivenessProbe().endContainer().endSpec(),
            "spec.containers[0].livenessProbe.httpGet.host: ECI's HTTP probes always target the pod's IP and have "
                + "no host"),
        rejected("probe headers", unsupported,
            p -> p.editSpec().editContainer(0).withNewReadinessProbe().withNewHttpGet()
                .withPort(new IntOrString(80)).addNewHttpHeader().withName("Host").withValue("x").endHttpHeader()
                .endHttpGet().endReadinessProbe().endContainer().endSpec(),
            "spec.containers[0].readinessProbe.httpGet.httpHeaders: ECI's HTTP probes have no headers"),
        rejected("gRPC probe", unsupported,
            p -> p.editSpec().editContainer(0).withNewLivenessProbe().withNewGrpc().withPort(9090).endGrpc()
                .endLivenessProbe().endContainer().endSpec(),
            "spec.containers[0].livenessProbe.grpc: ECI's probes have no gRPC action"),
        rejected("unknown named port", invalid,
            p -> p.editSpec().editContainer(0).withNewLivenessProbe().withNewTcpSocket()
                .withPort(new IntOrString("metrics")).endTcpSocket().endLivenessProbe().endContainer().endSpec(),
            "spec.containers[0].livenessProbe.tcpSocket.port: the container has no port named metrics"),
        rejected("probe on an init container", unsupported,
            p -> p.editSpec().addNewInitContainer().withName("init").withImage("busybox").withNewLivenessProbe()
                .withNewExec().withCommand("true").endExec().endLivenessProbe().endInitContainer().endSpec(),
            "spec.initContainers[0].livenessProbe: ECI runs no probes on init containers"),
        rejected("lifecycle on an init container", unsupported,
            p -> p.editSpec().addNewInitContainer().withName("init").withImage("busybox").withNewLifecycle()
                .withNewPreStop().withNewExec().withCommand("true").endExec().endPreStop().endLifecycle()
                .endInitContainer().endSpec(),
            "spec.initContainers[0].lifecycle: ECI runs no lifecycle hooks on init containers"),
        rejected("sleep hook", unsupported,
            p -> p.editSpec().editContainer(0).withNewLifecycle().withNewPreStop().withNewSleep().withSeconds(5L)
                .endSleep().endPreStop().endLifecycle().endContainer().endSpec(),
            "spec.containers[0].lifecycle.preStop.sleep: ECI's lifecycle hooks have no sleep action, use exec"),
        rejected("subPathExpr", unsupported,
            p -> p.editSpec().addNewVolume().withName("logs").withNewEmptyDir().endEmptyDir().endVolume()
                .editContainer(0).addNewVolumeMount().withName("logs").withMountPath("/logs")
                .withSubPathExpr("$(POD_NAME)").endVolumeMount().endContainer().endSpec(),
            "spec.containers[0].volumeMounts[0].subPathExpr: ECI cannot expand subPathExpr, use subPath"),
        rejected("mount of no volume", invalid,
            p -> p.editSpec().editContainer(0).addNewVolumeMount().withName("data").withMountPath("/data")
                .endVolumeMount().endContainer().endSpec(),
            "spec.containers[0].volumeMounts[0].name: no volume named data"),
        rejected("a secret volume, not its mount, is reported", unsupported,
            p -> p.editSpec().addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("creds").withNewSecret().withSecretName("db").endSecret().endVolume()
                .editContainer(0).addNewVolumeMount().withName("creds").withMountPath("/creds").endVolumeMount()
                .endContainer().endSpec(),
            "spec.volumes[1] (creds, secret): its files were not resolved (the framework renders them before "
                + "createPod)"),
        rejected("hostPath volume", unsupported,
            p -> p.editSpec().addNewVolume().withName("host").withNewHostPath().withPath("/var/run").endHostPath()
                .endVolume().endSpec(),
            "spec.volumes[0] (host, hostPath): ECI runs every pod in its own sandbox, there is no host filesystem to "
                + "mount; use an emptyDir, a configMap or an NFS volume"),
        rejected("emptyDir on huge pages", unsupported,
            p -> p.editSpec().addNewVolume().withName("hp").withNewEmptyDir().withMedium("HugePages").endEmptyDir()
                .endVolume().endSpec(),
            "spec.volumes[0].emptyDir.medium: ECI's emptyDir media are the disk (\"\") and Memory, not HugePages"),
        rejected("ClusterFirst with a dnsConfig but no cluster DNS", unsupported,
            p -> p.editSpec().withDnsPolicy("ClusterFirst").withNewDnsConfig().withSearches("x").endDnsConfig()
                .endSpec(),
            "spec.dnsConfig: the agent knows no cluster DNS (no --cluster-dns and no kube-system/kube-dns Service),"
                + " and ECI cannot add a dnsConfig to the VPC's DNS"),
        rejected("Default with a dnsConfig", unsupported,
            p -> p.editSpec().withDnsPolicy("Default").withNewDnsConfig().withSearches("x").endDnsConfig().endSpec(),
            "spec.dnsConfig: ECI applies a dnsConfig only with dnsPolicy None or ClusterFirst"),
        rejected("GPU without a GPU instance type", unsupported,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-use-specs", "ecs.c6.xlarge")).editSpec().editContainer(0)
                .withNewResources().addToLimits("nvidia.com/gpu", new Quantity("2")).endResources().endContainer()
                .endSpec(),
            "nvidia.com/gpu: ECI runs GPU containers only on a GPU instance type, name one (ecs.gn...) in the "
                + "annotation k8s.aliyun.com/eci-use-specs"),
        // ---- annotations
        rejected("more than 5 use-specs", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-use-specs", "1-2Gi,2-4Gi,4-8Gi,8-16Gi,16-32Gi,32-64Gi")),
            "metadata.annotations[k8s.aliyun.com/eci-use-specs]: \"1-2Gi,2-4Gi,4-8Gi,8-16Gi,16-32Gi,32-64Gi\" has 6 "
                + "entries, at most 5 are allowed"),
        rejected("malformed use-specs", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-use-specs", "2-4G")),
            "metadata.annotations[k8s.aliyun.com/eci-use-specs]: \"2-4G\" entry \"2-4G\" is neither a "
                + "${cpu}-${mem}Gi spec such as 2-4Gi nor an ECS instance type such as ecs.c6.xlarge"),
        rejected("empty vswitch entry", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-vswitch", "vsw-a,,vsw-b")),
            "metadata.annotations[k8s.aliyun.com/eci-vswitch]: \"vsw-a,,vsw-b\" has an empty entry"),
        rejected("schedule strategy", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-schedule-strategy", "Random")),
            "metadata.annotations[k8s.aliyun.com/eci-schedule-strategy]: \"Random\" is not VSwitchOrdered or "
                + "VSwitchRandom"),
        rejected("two security groups", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-security-group", "sg-a,sg-b")),
            "metadata.annotations[k8s.aliyun.com/eci-security-group]: \"sg-a,sg-b\" names 2 security groups, "
                + "ECI's API takes exactly one"),
        rejected("spot strategy", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-spot-strategy", "NoSpot")),
            "metadata.annotations[k8s.aliyun.com/eci-spot-strategy]: \"NoSpot\" is not SpotAsPriceGo or "
                + "SpotWithPriceLimit"),
        rejected("spot price limit not a number", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-spot-strategy", "SpotWithPriceLimit",
                "k8s.aliyun.com/eci-spot-price-limit", "cheap")),
            "metadata.annotations[k8s.aliyun.com/eci-spot-price-limit]: \"cheap\" is not a decimal number"),
        rejected("price limit strategy without a limit", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-spot-strategy", "SpotWithPriceLimit")),
            "metadata.annotations[k8s.aliyun.com/eci-spot-strategy]: \"SpotWithPriceLimit\" needs a price limit "
                + "in k8s.aliyun.com/eci-spot-price-limit"),
        rejected("spot duration", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-spot-duration", "2")),
            "metadata.annotations[k8s.aliyun.com/eci-spot-duration]: \"2\" is not 0 or 1"),
        rejected("auto-imc", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-auto-imc", "yes")),
            "metadata.annotations[k8s.aliyun.com/eci-auto-imc]: \"yes\" is not true or false"),
        rejected("image-cache", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-image-cache", "1")),
            "metadata.annotations[k8s.aliyun.com/eci-image-cache]: \"1\" is not true or false"),
        rejected("imc-id empty", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-imc-id", " ")),
            "metadata.annotations[k8s.aliyun.com/eci-imc-id]: \" \" is empty"),
        rejected("with-eip", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-with-eip", "TRUE")),
            "metadata.annotations[k8s.aliyun.com/eci-with-eip]: \"TRUE\" is not true or false"),
        rejected("eip-bandwidth", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eip-bandwidth", "5M")),
            "metadata.annotations[k8s.aliyun.com/eip-bandwidth]: \"5M\" is not a whole number of Mbit/s"),
        rejected("extra ephemeral storage", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-extra-ephemeral-storage", "lots")),
            "metadata.annotations[k8s.aliyun.com/eci-extra-ephemeral-storage]: \"lots\" is not a quantity"),
        rejected("custom tags, more than 3", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-custom-tags", "a:1,b:2,c:3,d:4")),
            "metadata.annotations[k8s.aliyun.com/eci-custom-tags]: \"a:1,b:2,c:3,d:4\" has 4 tags, at most 3 are "
                + "allowed"),
        rejected("custom tags, our key", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-custom-tags", "ecivk.io/pod-uid:x")),
            "metadata.annotations[k8s.aliyun.com/eci-custom-tags]: \"ecivk.io/pod-uid:x\" tag key ecivk.io/pod-uid "
                + "is reserved for this provider's own tags"),
        rejected("custom tags, not key:value", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-custom-tags", "env")),
            "metadata.annotations[k8s.aliyun.com/eci-custom-tags]: \"env\" entry \"env\" is not key:value"),
        rejected("ntp server", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-ntp-server", "ntp.aliyun.com")),
            "metadata.annotations[k8s.aliyun.com/eci-ntp-server]: \"ntp.aliyun.com\" entry \"ntp.aliyun.com\" is "
                + "not an IP address"),
        rejected("compute category", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-compute-category", "premium")),
            "metadata.annotations[k8s.aliyun.com/eci-compute-category]: \"premium\" entry \"premium\" is not "
                + "economy or general"),
        rejected("max pending minute", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-max-pending-minute", "5")),
            "metadata.annotations[k8s.aliyun.com/eci-max-pending-minute]: \"5\" is not a whole number of minutes "
                + "from 10 to 1440"),
        rejected("enable ipv6", bad,
            p -> ann(p, Map.of("k8s.aliyun.com/eci-enable-ipv6", "on")),
            "metadata.annotations[k8s.aliyun.com/eci-enable-ipv6]: \"on\" is not true or false"),
        rejected("ingress bandwidth", bad,
            p -> ann(p, Map.of("kubernetes.io/ingress-bandwidth", "fast")),
            "metadata.annotations[kubernetes.io/ingress-bandwidth]: \"fast\" is not a quantity"),
        rejected("egress bandwidth fraction", bad,
            p -> ann(p, Map.of("kubernetes.io/egress-bandwidth", "1500m")),
            "metadata.annotations[kubernetes.io/egress-bandwidth]: \"1500m\" is not a whole number of bit/s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsTheField(String name, String code, Pod pod, String message) {
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> PodMapper.map(pod, NO_DNS));

    assertThat(e).as("no exception").isNotNull();
    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
    assertThat(e.getMessage()).isEqualTo(message);
    assertThat(e.code()).isEqualTo(code);
  }

  private static PodBuilder ann(PodBuilder p, Map<String, String> annotations) {
    return p.editMetadata().addToAnnotations(annotations).endMetadata();
  }

  private static Arguments mapped(String name, UnaryOperator<PodBuilder> edit, String... delta) {
    return mappedIn(name, NO_DNS, edit, delta);
  }

  private static Arguments mappedIn(
      String name, MappingContext ctx, UnaryOperator<PodBuilder> edit, String... delta) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < delta.length; i += 2) {
      entries.put(delta[i], delta[i + 1]);
    }
    return Arguments.of(name, ctx, edit.apply(base()).build(), entries);
  }

  private static Arguments rejected(String name, String code, UnaryOperator<PodBuilder> edit, String message) {
    return Arguments.of(name, code, edit.apply(base()).build(), message);
  }

  static Map<String, String> flatten(CreateContainerGroupRequest request) throws Exception {
    return new TreeMap<>(com.aliyun.openapiutil.Client.query(request.toParams()));
  }
}
