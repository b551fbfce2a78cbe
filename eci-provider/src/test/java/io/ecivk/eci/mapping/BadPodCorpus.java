package io.ecivk.eci.mapping;

import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.ResolvedPod.BoundPersistentVolume;
import io.ecivk.spi.ResolvedPod.FileVolume;
import io.ecivk.spi.ResolvedPod.VolumeFile;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Malformed or unsupported pods, each with the fragment of the reason it must fail with. Every pod is otherwise
 * valid and has its own name and UID ({@code corpus/bad-NN}), so that a test can send them all to one ECI and
 * tell them apart. Shared by {@link BadPodCorpusTest} (the mapping) and the provider's integration test.
 */
public final class BadPodCorpus {

  /** One malformed pod and the fragment of the message it fails with. */
  public record Case(String name, ResolvedPod pod, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  private BadPodCorpus() {}

  /** A good pod of the same shape as the corpus' pods, under the given name and UID. */
  public static ResolvedPod good(String name, String uid) {
    return ResolvedPod.of(base(name, uid).build());
  }

  public static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    Builder b = new Builder(cases);
    // ---- quantities and size
    b.add("cpu quantity not a number", p -> res(p, "cpu", "two"), "spec.containers[0].resources.limits.cpu");
    b.add("negative memory", p -> res(p, "memory", "-1Gi"),
        "spec.containers[0].resources.limits.memory: \"-1Gi\" is negative");
    b.add("more than 64 vCPU", p -> res(p, "cpu", "96"), "more than the largest ECI spec (64.0 vCPU / 512.0 GiB)");
    b.add("fractional GPU", p -> res(p, "nvidia.com/gpu", "500m"), "nvidia.com/gpu");
    b.add("huge pages", p -> res(p, "hugepages-2Mi", "1Gi"),
        "resources.limits[hugepages-2Mi]: only cpu, memory, ephemeral-storage and nvidia.com/gpu");
    b.add("GPU without a GPU instance type", p -> res(p, "nvidia.com/gpu", "1"),
        "ECI runs GPU containers only on a GPU instance type");
    // ---- counts and names
    b.add("21 containers", p -> p.editSpec().withContainers(IntStream.range(0, 21).mapToObj(i ->
        new ContainerBuilder().withName("c" + i).withImage("busybox").build()).toList()).endSpec(),
        "spec.containers: the pod has 21 containers, ECI runs at most 20 in one group");
    b.add("21 init containers", p -> p.editSpec().withInitContainers(IntStream.range(0, 21).mapToObj(i ->
        new ContainerBuilder().withName("i" + i).withImage("busybox").build()).toList()).endSpec(),
        "spec.initContainers: the pod has 21 init containers, ECI runs at most 20 in one group");
    b.add("21 volumes", p -> p.editSpec().withVolumes(IntStream.range(0, 21).mapToObj(i ->
        new VolumeBuilder().withName("v" + i).withNewEmptyDir().endEmptyDir().build()).toList()).endSpec(),
        "spec.volumes: the pod has 21 volumes, ECI mounts at most 20");
    b.add("container name with upper case", p -> p.editSpec().editContainer(0).withName("App_1").endContainer()
        .endSpec(), "spec.containers[0].name: \"App_1\" is not a DNS label");
    b.add("volume name with an underscore", p -> p.editSpec().addNewVolume().withName("data_vol").withNewEmptyDir()
        .endEmptyDir().endVolume().endSpec(), "spec.volumes[0].name: \"data_vol\" is not a DNS label");
    b.add("image with whitespace", p -> p.editSpec().editContainer(0).withImage("nginx 1.25").endContainer()
        .endSpec(), "spec.containers[0].image: \"nginx 1.25\" contains whitespace");
    b.add("no image", p -> p.editSpec().editContainer(0).withImage(null).endContainer().endSpec(),
        "spec.containers[0].image: missing");
    b.add("two volumes of one name", p -> p.editSpec().addNewVolume().withName("v").withNewEmptyDir().endEmptyDir()
        .endVolume().addNewVolume().withName("v").withNewEmptyDir().endEmptyDir().endVolume().endSpec(),
        "spec.volumes[1].name: a second volume named v");
    // ---- host access and privileges
    b.add("hostPath volume", p -> p.editSpec().addNewVolume().withName("docker").withNewHostPath()
        .withPath("/var/run/docker.sock").endHostPath().endVolume().endSpec(),
        "spec.volumes[0] (docker, hostPath): ECI runs every pod in its own sandbox, there is no host filesystem");
    b.add("privileged", p -> p.editSpec().editContainer(0).withNewSecurityContext().withPrivileged(true)
        .endSecurityContext().endContainer().endSpec(), "privileged containers are not supported on ECI");
    b.add("hostNetwork", p -> p.editSpec().withHostNetwork(true).endSpec(), "spec.hostNetwork: ECI has no host network");
    b.add("hostPID", p -> p.editSpec().withHostPID(true).endSpec(), "spec.hostPID");
    b.add("hostIPC", p -> p.editSpec().withHostIPC(true).endSpec(), "spec.hostIPC");
    b.add("hostPort", p -> p.editSpec().editContainer(0).addNewPort().withContainerPort(80).withHostPort(80).endPort()
        .endContainer().endSpec(), "spec.containers[0].ports[0].hostPort: ECI has no host ports");
    b.add("SCTP port", p -> p.editSpec().editContainer(0).addNewPort().withContainerPort(80).withProtocol("SCTP")
        .endPort().endContainer().endSpec(), "ECI supports TCP and UDP, not SCTP");
    b.add("seccomp Unconfined", p -> p.editSpec().editContainer(0).withNewSecurityContext().withNewSeccompProfile()
        .withType("Unconfined").endSeccompProfile().endSecurityContext().endContainer().endSpec(),
        "seccompProfile: ECI applies only the runtime's default seccomp profile, not Unconfined");
    b.add("unsafe sysctl", p -> p.editSpec().withNewSecurityContext().addNewSysctl().withName("kernel.msgmax")
        .withValue("1").endSysctl().endSecurityContext().endSpec(), "sysctls[0] (kernel.msgmax)");
    b.add("fsGroup", p -> p.editSpec().withNewSecurityContext().withFsGroup(2000L).endSecurityContext().endSpec(),
        "spec.securityContext.fsGroup: ECI cannot change the group of volumes");
    // ---- annotations
    b.ann("spot strategy unknown", "k8s.aliyun.com/eci-spot-strategy", "Cheap",
        "metadata.annotations[k8s.aliyun.com/eci-spot-strategy]: \"Cheap\" is not SpotAsPriceGo or SpotWithPriceLimit");
    b.ann("use-specs malformed", "k8s.aliyun.com/eci-use-specs", "2c4g",
        "metadata.annotations[k8s.aliyun.com/eci-use-specs]: \"2c4g\" entry \"2c4g\" is neither");
    b.ann("max-pending-minute too small", "k8s.aliyun.com/eci-max-pending-minute", "5",
        "metadata.annotations[k8s.aliyun.com/eci-max-pending-minute]: \"5\" is not a whole number of minutes");
    b.ann("with-eip not a boolean", "k8s.aliyun.com/eci-with-eip", "yes",
        "metadata.annotations[k8s.aliyun.com/eci-with-eip]: \"yes\" is not true or false");
    b.ann("four custom tags", "k8s.aliyun.com/eci-custom-tags", "a:1,b:2,c:3,d:4",
        "metadata.annotations[k8s.aliyun.com/eci-custom-tags]: \"a:1,b:2,c:3,d:4\" has 4 tags, at most 3");
    b.ann("extra ephemeral storage not a quantity", "k8s.aliyun.com/eci-extra-ephemeral-storage", "lots",
        "metadata.annotations[k8s.aliyun.com/eci-extra-ephemeral-storage]: \"lots\" is not a quantity");
    b.ann("ingress bandwidth not a quantity", "kubernetes.io/ingress-bandwidth", "fast",
        "metadata.annotations[kubernetes.io/ingress-bandwidth]: \"fast\" is not a quantity");
    b.ann("ntp server not an IP", "k8s.aliyun.com/eci-ntp-server", "ntp.aliyun.com",
        "metadata.annotations[k8s.aliyun.com/eci-ntp-server]");
    b.ann("compute category unknown", "k8s.aliyun.com/eci-compute-category", "premium",
        "metadata.annotations[k8s.aliyun.com/eci-compute-category]: \"premium\" entry \"premium\" is not economy");
    b.ann("two security groups", "k8s.aliyun.com/eci-security-group", "sg-a,sg-b",
        "metadata.annotations[k8s.aliyun.com/eci-security-group]: \"sg-a,sg-b\" names 2 security groups");
    b.ann("eip bandwidth with a unit", "k8s.aliyun.com/eip-bandwidth", "5M",
        "metadata.annotations[k8s.aliyun.com/eip-bandwidth]: \"5M\" is not a whole number of Mbit/s");
    b.ann("enable-ipv6 not a boolean", "k8s.aliyun.com/eci-enable-ipv6", "on",
        "metadata.annotations[k8s.aliyun.com/eci-enable-ipv6]: \"on\" is not true or false");
    // ---- volumes the framework resolved
    b.resolved("oversize configMap file", p -> mount(p, new VolumeBuilder().withName("cfg").withNewConfigMap()
        .withName("big").endConfigMap().build()),
        Map.of("cfg", new FileVolume(List.of(new VolumeFile("model.bin", new byte[40 * 1024], 0644)))), List.of(),
        "spec.volumes[0] (cfg, configMap): file \"model.bin\" is 40960 bytes, ECI's ConfigFile volumes take files of"
            + " at most 32768 bytes");
    b.resolved("oversize configMap in all", p -> mount(p, new VolumeBuilder().withName("cfg").withNewConfigMap()
        .withName("big").endConfigMap().build()),
        Map.of("cfg", new FileVolume(List.of(new VolumeFile("a", new byte[25 * 1024], 0644),
            new VolumeFile("b", new byte[25 * 1024], 0644), new VolumeFile("c", new byte[25 * 1024], 0644)))),
        List.of(), "its files total 76800 bytes, ECI's ConfigFile volumes take at most 61440 bytes (60 KB) in all");
    b.resolved("claim bound to a cloud disk", p -> mount(p, new VolumeBuilder().withName("data")
        .withNewPersistentVolumeClaim().withClaimName("disk").endPersistentVolumeClaim().build()),
        Map.of("data", new BoundPersistentVolume("disk", new PersistentVolumeBuilder().withNewMetadata()
            .withName("d-bp1").endMetadata().withNewSpec().withNewCsi().withDriver("diskplugin.csi.alibabacloud.com")
            .withVolumeHandle("d-bp1").endCsi().endSpec().build(), false)), List.of(),
        "claim disk is bound to PersistentVolume d-bp1 of type csi, driver diskplugin.csi.alibabacloud.com; ECI"
            + " mounts only NFS PersistentVolumes so far");
    b.resolved("claim bound to a hostPath PersistentVolume", p -> mount(p, new VolumeBuilder().withName("data")
        .withNewPersistentVolumeClaim().withClaimName("local").endPersistentVolumeClaim().build()),
        Map.of("data", new BoundPersistentVolume("local", new PersistentVolumeBuilder().withNewMetadata()
            .withName("pv-local").endMetadata().withNewSpec().withNewHostPath().withPath("/mnt").endHostPath()
            .endSpec().build(), false)), List.of(),
        "claim local is bound to PersistentVolume pv-local of type hostPath; ECI mounts only NFS");
    b.resolved("secret env left unresolved", p -> p, Map.of(), List.of(),
        Map.of("app", List.of(new EnvVarBuilder().withName("DB_PASSWORD").withNewValueFrom().withNewSecretKeyRef()
            .withName("db").withKey("password").endSecretKeyRef().endValueFrom().build())),
        "spec.containers[0].env[DB_PASSWORD].valueFrom.secretKeyRef: was not resolved to a value");
    b.add("envFrom without resolution", p -> p.editSpec().editContainer(0).addNewEnvFrom().withNewConfigMapRef()
        .withName("cfg").endConfigMapRef().endEnvFrom().endContainer().endSpec(),
        "spec.containers[0].envFrom: was not resolved to values");
    b.add("configMap volume without resolution", p -> mount(p, new VolumeBuilder().withName("cfg")
        .withNewConfigMap().withName("cfg").endConfigMap().build()),
        "spec.volumes[0] (cfg, configMap): its files were not resolved");
    // ---- probes, hooks, mounts
    b.add("probe with a host", p -> p.editSpec().editContainer(0).withNewLivenessProbe().withNewHttpGet()
        .withHost("example.com").withPort(new IntOrString(80)).endHttpGet().endLivenessProbe().endContainer()
        .endSpec(), "livenessProbe.httpGet.host: ECI's HTTP probes always target the pod's IP");
    b.add("gRPC probe", p -> p.editSpec().editContainer(0).withNewReadinessProbe().withNewGrpc().withPort(9090)
        .endGrpc().endReadinessProbe().endContainer().endSpec(), "readinessProbe.grpc: ECI's probes have no gRPC");
    b.add("probe with two actions", p -> p.editSpec().editContainer(0).withNewLivenessProbe().withNewExec()
        .withCommand("true").endExec().withNewTcpSocket().withPort(new IntOrString(80)).endTcpSocket()
        .endLivenessProbe().endContainer().endSpec(),
        "livenessProbe: needs exactly one of exec, httpGet, tcpSocket, has 2");
    b.add("probe on an unknown named port", p -> p.editSpec().editContainer(0).withNewLivenessProbe()
        .withNewTcpSocket().withPort(new IntOrString("metrics")).endTcpSocket().endLivenessProbe().endContainer()
        .endSpec(), "livenessProbe.tcpSocket.port: the container has no port named metrics");
    b.add("probe with an FTP scheme", p -> p.editSpec().editContainer(0).withNewLivenessProbe().withNewHttpGet()
        .withPort(new IntOrString(21)).withScheme("FTP").endHttpGet().endLivenessProbe().endContainer().endSpec(),
        "livenessProbe.httpGet.scheme: \"FTP\" is not HTTP or HTTPS");
    b.add("startupProbe", p -> p.editSpec().editContainer(0).withNewStartupProbe().withNewExec().withCommand("true")
        .endExec().endStartupProbe().endContainer().endSpec(), "startupProbe: ECI has no startup probes");
    b.add("sleep preStop hook", p -> p.editSpec().editContainer(0).withNewLifecycle().withNewPreStop().withNewSleep()
        .withSeconds(5L).endSleep().endPreStop().endLifecycle().endContainer().endSpec(),
        "lifecycle.preStop.sleep: ECI's lifecycle hooks have no sleep action");
    b.add("subPathExpr", p -> mount(p, new VolumeBuilder().withName("logs").withNewEmptyDir().endEmptyDir().build())
        .editSpec().editContainer(0).editVolumeMount(0).withSubPathExpr("$(POD_NAME)").endVolumeMount()
        .endContainer().endSpec(), "subPathExpr: ECI cannot expand subPathExpr");
    b.add("mount of no volume", p -> p.editSpec().editContainer(0).addNewVolumeMount().withName("data")
        .withMountPath("/data").endVolumeMount().endContainer().endSpec(), "no volume named data");
    b.add("emptyDir on huge pages", p -> p.editSpec().addNewVolume().withName("hp").withNewEmptyDir()
        .withMedium("HugePages").endEmptyDir().endVolume().endSpec(), "emptyDir.medium");
    // ---- pod level
    b.add("restart policy unknown", p -> p.editSpec().withRestartPolicy("Sometimes").endSpec(),
        "spec.restartPolicy: \"Sometimes\" is not Always, OnFailure or Never");
    b.add("negative grace period", p -> p.editSpec().withTerminationGracePeriodSeconds(-1L).endSpec(),
        "spec.terminationGracePeriodSeconds: -1 is negative");
    b.add("zero active deadline", p -> p.editSpec().withActiveDeadlineSeconds(0L).endSpec(),
        "spec.activeDeadlineSeconds: 0 is not positive");
    b.add("dnsPolicy unknown", p -> p.editSpec().withDnsPolicy("Weird").endSpec(), "spec.dnsPolicy: \"Weird\"");
    b.add("ephemeral container", p -> p.editSpec().addNewEphemeralContainer().withName("debug").withImage("busybox")
        .endEphemeralContainer().endSpec(), "spec.ephemeralContainers");
    return List.copyOf(cases);
  }

  private static PodBuilder base(String name, String uid) {
    return new PodBuilder()
        .withNewMetadata().withNamespace("corpus").withName(name).withUid(uid).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage("nginx:1.25").endContainer()
        .endSpec();
  }

  private static PodBuilder res(PodBuilder p, String resource, String quantity) {
    return p.editSpec().editContainer(0).withNewResources().addToLimits(resource, new Quantity(quantity))
        .endResources().endContainer().endSpec();
  }

  private static PodBuilder mount(PodBuilder p, io.fabric8.kubernetes.api.model.Volume volume) {
    return p.editSpec().addToVolumes(volume).editContainer(0).addNewVolumeMount().withName(volume.getName())
        .withMountPath("/mnt/" + volume.getName()).endVolumeMount().endContainer().endSpec();
  }

  private static final class Builder {
    private final List<Case> cases;

    Builder(List<Case> cases) {
      this.cases = cases;
    }

    private String next() {
      return String.format("bad-%02d", cases.size() + 1);
    }

    void add(String name, UnaryOperator<PodBuilder> edit, String reason) {
      resolved(name, edit, Map.of(), List.of(), Map.of(), reason);
    }

    void ann(String name, String annotation, String value, String reason) {
      add(name, p -> p.editMetadata().addToAnnotations(annotation, value).endMetadata(), reason);
    }

    void resolved(String name, UnaryOperator<PodBuilder> edit, Map<String, ResolvedPod.ResolvedVolume> volumes,
        List<ResolvedPod.RegistryCredential> credentials, String reason) {
      resolved(name, edit, volumes, credentials, Map.of(), reason);
    }

    void resolved(String name, UnaryOperator<PodBuilder> edit, Map<String, ResolvedPod.ResolvedVolume> volumes,
        List<ResolvedPod.RegistryCredential> credentials, Map<String, List<io.fabric8.kubernetes.api.model.EnvVar>> env,
        String reason) {
      String podName = next();
      cases.add(new Case(name, new ResolvedPod(edit.apply(base(podName, "uid-" + podName)).build(), env, volumes,
          credentials), reason));
    }
  }
}
