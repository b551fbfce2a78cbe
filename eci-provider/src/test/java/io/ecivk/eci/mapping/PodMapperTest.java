package io.ecivk.eci.mapping;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.sizing.EciSpec;
import io.ecivk.eci.sizing.EciSpecTable;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodMapperTest {

  private static final MappingContext CTX =
      new MappingContext(
          "c-8f3a1", "virtual-kubelet-cn-hangzhou-j", List.of("vsw-bp1a", "vsw-bp1b"), "sg-bp1abc",
          EciSpecTable.standard());

  static final MappingContext CTX_DNS =
      new MappingContext(
          "c-8f3a1", "virtual-kubelet-cn-hangzhou-j", List.of("vsw-bp1a", "vsw-bp1b"), "sg-bp1abc",
          EciSpecTable.standard(), new ClusterDns(List.of("10.96.0.10"), "cluster.local"));

  @Test
  void mapsTwoContainersAndAnInitContainer() throws Exception {
    MappedPod mapped = PodMapper.map(Fixtures.pod("web-2c-1i"), CTX_DNS);

    // app 1 vCPU / 1.5 GiB (limits) + log-shipper 0.25 / 0.25 (requests) = 1.25 / 1.75; init 1 / 2:
    // the pod needs 1.25 vCPU / 2 GiB and gets 2 vCPU / 2 GiB.
    assertThat(mapped.spec()).isEqualTo(new EciSpec(2.0f, 2.0f));
    assertThat(mapped.events())
        .containsExactly(
            ProviderEvent.normal(
                "AutoInstanceTypeMatch", "The most-matched instanceType for current eci instance is 2.0-2.0Gi"));
    assertThat(flatten(mapped.request()))
        .containsExactly(
            entry("ClientToken", "6f1c2a9e-0c47-4b8e-9d3a-1f0e8c7b5a21-2"),
            entry("Container.1.Arg.1", "--port=8080"),
            entry("Container.1.Arg.2", "--log-level"),
            entry("Container.1.Arg.3", "info"),
            entry("Container.1.Command.1", "/app/server"),
            entry("Container.1.Cpu", "1.0"),
            entry("Container.1.EnvironmentVar.1.Key", "MODE"),
            entry("Container.1.EnvironmentVar.1.Value", "production"),
            entry("Container.1.EnvironmentVar.2.FieldRef.FieldPath", "status.podIP"),
            entry("Container.1.EnvironmentVar.2.Key", "POD_IP"),
            entry("Container.1.EnvironmentVar.3.Key", "EMPTY"),
            entry("Container.1.EnvironmentVar.3.Value", ""),
            entry("Container.1.Image", "registry.example.com/shop/web:2.3.1"),
            entry("Container.1.ImagePullPolicy", "IfNotPresent"),
            entry("Container.1.Memory", "1.5"),
            entry("Container.1.Name", "app"),
            entry("Container.1.Port.1.Port", "8080"),
            entry("Container.1.Port.1.Protocol", "TCP"),
            entry("Container.1.Port.2.Port", "9090"),
            entry("Container.1.Port.2.Protocol", "UDP"),
            entry("Container.1.WorkingDir", "/app"),
            entry("Container.2.Cpu", "0.25"),
            entry("Container.2.Image", "fluent/fluent-bit:3.1"),
            entry("Container.2.Memory", "0.25"),
            entry("Container.2.Name", "log-shipper"),
            entry("ContainerGroupName", "shop-web-7d4b9c6f5-x2k8p-3f920e5bb3"),
            entry("Cpu", "2.0"),
            entry("DnsConfig.NameServer.1", "10.96.0.10"),
            entry("DnsConfig.Option.1.Name", "ndots"),
            entry("DnsConfig.Option.1.Value", "5"),
            entry("DnsConfig.Search.1", "shop.svc.cluster.local"),
            entry("DnsConfig.Search.2", "svc.cluster.local"),
            entry("DnsConfig.Search.3", "cluster.local"),
            entry("DnsPolicy", "None"),
            entry("InitContainer.1.Arg.1", "--to"),
            entry("InitContainer.1.Arg.2", "latest"),
            entry("InitContainer.1.Command.1", "/bin/migrate"),
            entry("InitContainer.1.Cpu", "1.0"),
            entry("InitContainer.1.EnvironmentVar.1.Key", "DB_HOST"),
            entry("InitContainer.1.EnvironmentVar.1.Value", "db.shop.svc"),
            entry("InitContainer.1.Image", "registry.example.com/shop/migrate:1.4"),
            entry("InitContainer.1.Memory", "2.0"),
            entry("InitContainer.1.Name", "migrate"),
            entry("Memory", "2.0"),
            entry("RestartPolicy", "OnFailure"),
            entry("SecurityGroupId", "sg-bp1abc"),
            entry("Tag.1.Key", "ecivk.io/cluster-id"),
            entry("Tag.1.Value", "c-8f3a1"),
            entry("Tag.2.Key", "ecivk.io/node-name"),
            entry("Tag.2.Value", "virtual-kubelet-cn-hangzhou-j"),
            entry("Tag.3.Key", "ecivk.io/pod-namespace"),
            entry("Tag.3.Value", "shop"),
            entry("Tag.4.Key", "ecivk.io/pod-name"),
            entry("Tag.4.Value", "web-7d4b9c6f5-x2k8p"),
            entry("Tag.5.Key", "ecivk.io/pod-uid"),
            entry("Tag.5.Value", "6f1c2a9e-0c47-4b8e-9d3a-1f0e8c7b5a21"),
            entry("TerminationGracePeriodSeconds", "30"),
            entry("VSwitchId", "vsw-bp1a,vsw-bp1b"));
  }

  @Test
  void podWithoutResourcesGetsEciDefaultAndNoEvent() throws Exception {
    Pod pod =
        new PodBuilder()
            .withNewMetadata().withNamespace("default").withName("nginx").withUid(UID).endMetadata()
            .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.25").endContainer().endSpec()
            .build();

    MappedPod mapped = PodMapper.map(pod, CTX);

    assertThat(mapped.spec()).isEqualTo(new EciSpec(2.0f, 4.0f));
    assertThat(mapped.events()).isEmpty();
    assertThat(flatten(mapped.request()))
        .containsExactly(
            entry("ClientToken", UID + "-0"),
            entry("Container.1.Image", "nginx:1.25"),
            entry("Container.1.Name", "nginx"),
            entry("ContainerGroupName", "default-nginx-3f920e5bb3"),
            entry("Cpu", "2.0"),
            entry("Memory", "4.0"),
            entry("RestartPolicy", "Always"),
            entry("SecurityGroupId", "sg-bp1abc"),
            entry("Tag.1.Key", "ecivk.io/cluster-id"),
            entry("Tag.1.Value", "c-8f3a1"),
            entry("Tag.2.Key", "ecivk.io/node-name"),
            entry("Tag.2.Value", "virtual-kubelet-cn-hangzhou-j"),
            entry("Tag.3.Key", "ecivk.io/pod-namespace"),
            entry("Tag.3.Value", "default"),
            entry("Tag.4.Key", "ecivk.io/pod-name"),
            entry("Tag.4.Value", "nginx"),
            entry("Tag.5.Key", "ecivk.io/pod-uid"),
            entry("Tag.5.Value", UID),
            entry("VSwitchId", "vsw-bp1a,vsw-bp1b"));
  }

  @Test
  void emptyValuesDefaultsAndIgnoredFieldsSendNothing() {
    Pod plain = base().build();
    Pod withEmpties =
        base()
            .editMetadata().addToLabels("app", "web").addToAnnotations("note", "x").endMetadata()
            .editSpec()
            .withNewSecurityContext().endSecurityContext()
            .withImagePullSecrets(List.of())
            .withVolumes(List.of())
            .withHostNetwork(false).withHostPID(false).withHostIPC(false)
            .withNodeName("vk").addToNodeSelector("type", "virtual-kubelet").withNewAffinity().endAffinity()
            .addNewToleration().withKey("virtual-kubelet.io/provider").withOperator("Exists").endToleration()
            .withPriority(1000).withPriorityClassName("high").withSchedulerName("default-scheduler")
            .withServiceAccountName("default").withAutomountServiceAccountToken(false)
            .withSubdomain("web").withEnableServiceLinks(true)
            .editContainer(0)
            .withNewLifecycle().endLifecycle()
            .withStdin(false).withStdinOnce(false).withTty(false)
            .withNewSecurityContext().withPrivileged(false).withAllowPrivilegeEscalation(true)
            .withProcMount("Default").withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
            .withNewCapabilities().endCapabilities().endSecurityContext()
            .withTerminationMessagePath("/dev/termination-log").withTerminationMessagePolicy("File")
            .endContainer()
            .endSpec()
            .build();

    assertThat(PodMapper.map(withEmpties, CTX).request()).isEqualTo(PodMapper.map(plain, CTX).request());
  }

  private static final String UNRESOLVED =
      "was not resolved to a value; only the fieldRefs status.podIP"
          + ", status.podIPs, status.hostIP, status.hostIPs are left for ECI to fill in";

  static Stream<Arguments> unsupported() {
    return Stream.of(
        unsupported("hostNetwork", p -> p.editSpec().withHostNetwork(true).endSpec(),
            "spec.hostNetwork: ECI has no host network"),
        unsupported("hostPID", p -> p.editSpec().withHostPID(true).endSpec(),
            "spec.hostPID: ECI has no host PID namespace"),
        unsupported("hostIPC", p -> p.editSpec().withHostIPC(true).endSpec(),
            "spec.hostIPC: ECI has no host IPC namespace"),
        unsupported("shareProcessNamespace", p -> p.editSpec().withShareProcessNamespace(true).endSpec(),
            "spec.shareProcessNamespace: a shared process namespace is not supported yet"),
        unsupported("projected volume",
            p -> p.editSpec().addNewVolume().withName("kube-api-access-x7k2p").withNewProjected().endProjected()
                .endVolume().endSpec(),
            "spec.volumes[0] (kube-api-access-x7k2p, projected): its files were not resolved (the framework renders "
                + "them before createPod)"),
        unsupported("ephemeral container",
            p -> p.editSpec().addNewEphemeralContainer().withName("debug").withImage("busybox")
                .endEphemeralContainer().endSpec(),
            "spec.ephemeralContainers: ephemeral containers are not supported yet"),
        unsupported("readinessGates",
            p -> p.editSpec().addNewReadinessGate("target-health.elbv2.k8s.aws/web").endSpec(),
            "spec.readinessGates: readiness gates are not supported yet"),
        unsupported("pod-level resources",
            p -> p.editSpec().withNewResources().addToLimits("cpu", new Quantity("2")).endResources().endSpec(),
            "spec.resources: pod-level resources are not supported yet, set them per container"),
        unsupported("resourceClaims",
            p -> p.editSpec().addNewResourceClaim().withName("gpu").withResourceClaimName("gpu-claim")
                .endResourceClaim().endSpec(),
            "spec.resourceClaims: dynamic resource claims are not supported yet"),
        unsupported("sidecar init container",
            p -> p.editSpec().addNewInitContainer().withName("proxy").withImage("envoy").withRestartPolicy("Always")
                .endInitContainer().endSpec(),
            "spec.initContainers[0].restartPolicy: sidecar containers are not supported yet"),
        unsupported("app container restart policy",
            p -> p.editSpec().editContainer(0).withRestartPolicy("Never").endContainer().endSpec(),
            "spec.containers[0].restartPolicy: per-container restart policies are not supported yet"),
        unsupported("container restart rules",
            p -> p.editSpec().editContainer(0).addNewRestartPolicyRule().withAction("Restart")
                .withNewExitCodes().withOperator("In").withValues(42).endExitCodes()
                .endRestartPolicyRule().endContainer().endSpec(),
            "spec.containers[0].restartPolicyRules: container restart rules are not supported yet"),
        unsupported("hostPort",
            p -> p.editSpec().editContainer(0).addNewPort().withContainerPort(80).withHostPort(80).endPort()
                .endContainer().endSpec(),
            "spec.containers[0].ports[0].hostPort: ECI has no host ports"),
        unsupported("SCTP port",
            p -> p.editSpec().editContainer(0).addNewPort().withContainerPort(80).withProtocol("SCTP").endPort()
                .endContainer().endSpec(),
            "spec.containers[0].ports[0].protocol: ECI supports TCP and UDP, not SCTP"),
        unsupported("env from a secret",
            p -> p.editSpec().editContainer(1).editEnv(2).withValue(null).withNewValueFrom()
                .withNewSecretKeyRef().withName("db").withKey("password").endSecretKeyRef()
                .endValueFrom().endEnv().endContainer().endSpec(),
            "spec.containers[1].env[2].valueFrom.secretKeyRef: " + UNRESOLVED),
        unsupported("env from a config map",
            p -> p.editSpec().editContainer(0).editEnv(0).withValue(null).withNewValueFrom()
                .withNewConfigMapKeyRef().withName("cfg").withKey("mode").endConfigMapKeyRef()
                .endValueFrom().endEnv().endContainer().endSpec(),
            "spec.containers[0].env[0].valueFrom.configMapKeyRef: " + UNRESOLVED),
        unsupported("env from a resource field",
            p -> p.editSpec().editContainer(0).editEnv(1).withValue(null).withNewValueFrom()
                .withNewResourceFieldRef().withResource("limits.cpu").endResourceFieldRef()
                .endValueFrom().endEnv().endContainer().endSpec(),
            "spec.containers[0].env[1].valueFrom.resourceFieldRef: " + UNRESOLVED),
        unsupported("env from another pod field",
            p -> p.editSpec().editContainer(0).editEnv(1).withValue(null).withNewValueFrom()
                .withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
                .endValueFrom().endEnv().endContainer().endSpec(),
            "spec.containers[0].env[1].valueFrom.fieldRef (metadata.name): " + UNRESOLVED),
        unsupported("env of an init container",
            p -> p.editSpec().addNewInitContainer().withName("init").withImage("busybox").addNewEnv()
                .withName("TOKEN").withNewValueFrom().withNewSecretKeyRef().withName("s").withKey("k")
                .endSecretKeyRef().endValueFrom().endEnv().endInitContainer().endSpec(),
            "spec.initContainers[0].env[0].valueFrom.secretKeyRef: " + UNRESOLVED),
        unsupported("envFrom",
            p -> p.editSpec().editContainer(0).addNewEnvFrom().withNewConfigMapRef().withName("cfg")
                .endConfigMapRef().endEnvFrom().endContainer().endSpec(),
            "spec.containers[0].envFrom: was not resolved to values (the framework resolves envFrom before "
                + "createPod)"),
        unsupported("volumeDevice",
            p -> p.editSpec().editContainer(0).addNewVolumeDevice("/dev/xvda", "disk").endContainer().endSpec(),
            "spec.containers[0].volumeDevices: block devices are not supported yet"),
        unsupported("huge pages",
            p -> p.editSpec().editContainer(1).withNewResources().addToRequests("hugepages-2Mi", new Quantity("1Gi"))
                .addToRequests("memory", new Quantity("1Gi")).endResources().endContainer().endSpec(),
            "spec.containers[1].resources.requests[hugepages-2Mi]: only cpu, memory, ephemeral-storage and "
                + "nvidia.com/gpu are supported yet"),
        unsupported("container resource claims",
            p -> p.editSpec().editContainer(0).withNewResources().addNewClaim().withName("gpu").endClaim()
                .endResources().endContainer().endSpec(),
            "spec.containers[0].resources.claims: dynamic resource claims are not supported yet"),
        unsupported("startupProbe",
            p -> p.editSpec().editContainer(0).withNewStartupProbe().withNewExec().withCommand("true").endExec()
                .endStartupProbe().endContainer().endSpec(),
            "spec.containers[0].startupProbe: ECI has no startup probes"),
        unsupported("pod-level fields before containers",
            p -> p.editSpec().editContainer(0).withNewStartupProbe().withNewExec().withCommand("true").endExec()
                .endStartupProbe().endContainer().addNewVolume().withName("v").withNewSecret().endSecret()
                .endVolume().withHostNetwork(true).endSpec(),
            "spec.hostNetwork: ECI has no host network"),
        unsupported("init containers before app containers",
            p -> p.editSpec().editContainer(0).withNewStartupProbe().withNewExec().withCommand("true").endExec()
                .endStartupProbe().endContainer().addNewInitContainer().withName("i")
                .withImage("busybox").withStdin(true).endInitContainer().endSpec(),
            "spec.initContainers[0].stdin: ECI's init containers have no stdin"),
        unsupported("containers in order",
            p -> p.editSpec().editContainer(1).withNewStartupProbe().withNewExec().withCommand("true").endExec()
                .endStartupProbe().endContainer().editContainer(0).withNewSecurityContext().withPrivileged(true)
                .endSecurityContext().endContainer().endSpec(),
            "spec.containers[0].securityContext.privileged: privileged containers are not supported on ECI"),
        unsupported("env before probes within a container",
            p -> p.editSpec().editContainer(0).withNewStartupProbe().withNewExec().withCommand("true").endExec()
                .endStartupProbe().editEnv(2).withValue(null).withNewValueFrom().withNewSecretKeyRef()
                .withName("s").withKey("k").endSecretKeyRef().endValueFrom().endEnv().endContainer().endSpec(),
            "spec.containers[0].env[2].valueFrom.secretKeyRef: " + UNRESOLVED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupported")
  void unsupportedFieldFailsThePod(String name, Pod pod, String message) {
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> PodMapper.map(pod, CTX));

    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
    assertThat(e.code()).isEqualTo("UnsupportedPodField");
    assertThat(e.getMessage()).isEqualTo(message);
  }

  @Test
  void podAsTheApiServerStoresItFailsOnItsServiceAccountVolumeWhenNothingWasResolved() {
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> PodMapper.map(Fixtures.pod("api-server-defaulted"), CTX));

    assertThat(e.code()).isEqualTo("UnsupportedPodField");
    assertThat(e.getMessage())
        .isEqualTo("spec.volumes[0] (kube-api-access-x7k2p, projected): its files were not resolved (the framework "
            + "renders them before createPod)");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("no UID", base().editMetadata().withUid(null).endMetadata().build(), "InvalidPodField",
            "metadata.uid: missing"),
        Arguments.of("no containers", base().editSpec().withContainers(List.of()).endSpec().build(),
            "InvalidPodField", "spec.containers: the pod has no containers"),
        Arguments.of("no image", base().editSpec().editContainer(1).withImage(null).endContainer().endSpec().build(),
            "InvalidPodField", "spec.containers[1].image: missing"),
        Arguments.of("unknown restart policy", base().editSpec().withRestartPolicy("Sometimes").endSpec().build(),
            "InvalidPodField", "spec.restartPolicy: \"Sometimes\" is not Always, OnFailure or Never"),
        Arguments.of("bad create attempt",
            base().editMetadata().addToAnnotations("ecivk.io/create-attempt", "two").endMetadata().build(),
            "InvalidPodField",
            "metadata.annotations[ecivk.io/create-attempt]: \"two\" is not a create attempt (a non-negative integer)"),
        Arguments.of("negative memory",
            base().editSpec().editContainer(0).withNewResources().addToLimits("memory", new Quantity("-1Gi"))
                .endResources().endContainer().endSpec().build(),
            "InvalidPodField", "spec.containers[0].resources.limits.memory: \"-1Gi\" is negative"),
        Arguments.of("too large",
            base().editSpec().editContainer(0).withNewResources().addToLimits("cpu", new Quantity("96"))
                .endResources().endContainer().endSpec().build(),
            "UnsupportedSpec",
            "pod needs 96.0 vCPU / 0.0 GiB, more than the largest ECI spec (64.0 vCPU / 512.0 GiB)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidPodIsRefused(String name, Pod pod, String code, String message) {
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> PodMapper.map(pod, CTX));

    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.getMessage()).isEqualTo(message);
  }

  private static final String UID = "6f1c2a9e-0c47-4b8e-9d3a-1f0e8c7b5a21";

  /** A valid pod of two containers with three literal env vars each. */
  static PodBuilder base() {
    return new PodBuilder()
        .withNewMetadata().withNamespace("shop").withName("web").withUid(UID).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage("app:1")
        .addNewEnv().withName("A").withValue("1").endEnv()
        .addNewEnv().withName("B").withValue("2").endEnv()
        .addNewEnv().withName("C").withValue("3").endEnv()
        .endContainer()
        .addNewContainer().withName("sidecar").withImage("side:1")
        .addNewEnv().withName("X").withValue("1").endEnv()
        .addNewEnv().withName("Y").withValue("2").endEnv()
        .addNewEnv().withName("Z").withValue("3").endEnv()
        .endContainer()
        .endSpec();
  }

  private static Arguments unsupported(String name, UnaryOperator<PodBuilder> edit, String message) {
    return Arguments.of(name, edit.apply(base()).build(), message);
  }

  private static Map<String, String> flatten(CreateContainerGroupRequest request) throws Exception {
    return new TreeMap<>(com.aliyun.openapiutil.Client.query(request.toParams()));
  }
}
