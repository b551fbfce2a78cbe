package io.ecivk.eci.mapping;

import static io.ecivk.eci.mapping.PodFieldsMappingTest.BASE;
import static io.ecivk.eci.mapping.PodFieldsMappingTest.NO_DNS;
import static io.ecivk.eci.mapping.PodFieldsMappingTest.flatten;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.ResolvedPod.BoundPersistentVolume;
import io.ecivk.spi.ResolvedPod.FileVolume;
import io.ecivk.spi.ResolvedPod.RegistryCredential;
import io.ecivk.spi.ResolvedPod.VolumeFile;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
 * One case per field the framework resolves for a pod (env, file volumes, bound PersistentVolumes, registry
 * credentials) and per security-context relaxation: the literal flattened query is {@link PodFieldsMappingTest#BASE}
 * with the case's literal entries added. Contents are base64 on the wire: {@code aGVsbG8=} is {@code hello}.
 */
class ResolvedPodMappingTest {

  /** A resolved pod under construction: the pod edited from {@link PodFieldsMappingTest#base()}, plus content. */
  static final class Resolved {
    final Map<String, List<EnvVar>> env = new LinkedHashMap<>();
    final Map<String, ResolvedPod.ResolvedVolume> volumes = new HashMap<>();
    final java.util.ArrayList<RegistryCredential> credentials = new java.util.ArrayList<>();
    PodBuilder pod = PodFieldsMappingTest.base();

    Resolved pod(UnaryOperator<PodBuilder> edit) {
      pod = edit.apply(pod);
      return this;
    }

    Resolved env(String container, EnvVar... vars) {
      env.put(container, List.of(vars));
      return this;
    }

    Resolved files(String volume, VolumeFile... files) {
      volumes.put(volume, new FileVolume(List.of(files)));
      return this;
    }

    Resolved pv(String volume, String claim, PersistentVolume pv, boolean readOnly) {
      volumes.put(volume, new BoundPersistentVolume(claim, pv, readOnly));
      return this;
    }

    Resolved credential(String server, String user, String password) {
      credentials.add(new RegistryCredential(server, user, password));
      return this;
    }

    ResolvedPod build() {
      return new ResolvedPod(pod.build(), env, volumes, credentials);
    }
  }

  static Resolved resolved() {
    return new Resolved();
  }

  static EnvVar literal(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  static EnvVar field(String name, String path) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path).endFieldRef()
        .endValueFrom().build();
  }

  static VolumeFile file(String path, String text, int mode) {
    return new VolumeFile(path, text.getBytes(StandardCharsets.UTF_8), mode);
  }

  static PersistentVolume nfsPv(String name, String server, String path) {
    return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
        .withNewNfs().withServer(server).withPath(path).endNfs().withMountOptions("nolock,tcp,noresvport")
        .endSpec().build();
  }

  static PodBuilder volume(PodBuilder p, UnaryOperator<io.fabric8.kubernetes.api.model.VolumeBuilder> source,
      String mountPath) {
    io.fabric8.kubernetes.api.model.Volume v = source.apply(new io.fabric8.kubernetes.api.model.VolumeBuilder())
        .build();
    return p.editSpec().addToVolumes(v).editContainer(0).addNewVolumeMount().withName(v.getName())
        .withMountPath(mountPath).endVolumeMount().endContainer().endSpec();
  }

  static Stream<Arguments> mapped() {
    return Stream.of(
        mapped("env resolved from configMap, secret and resourceFieldRef is literal",
            resolved().env("app", literal("MODE", "production"), literal("DB_PASSWORD", "s3cr3t"),
                literal("CPU_LIMIT", "2")),
            "Container.1.EnvironmentVar.1.Key", "MODE",
            "Container.1.EnvironmentVar.1.Value", "production",
            "Container.1.EnvironmentVar.2.Key", "DB_PASSWORD",
            "Container.1.EnvironmentVar.2.Value", "s3cr3t",
            "Container.1.EnvironmentVar.3.Key", "CPU_LIMIT",
            "Container.1.EnvironmentVar.3.Value", "2"),
        mapped("command and args expand $(VAR) from the resolved env; $$ escapes, unknown and podIP refs stay",
            resolved().pod(p -> p.editSpec().editContainer(0).withCommand("/bin/$(MODE)", "--port=$(PORT)")
                    .withArgs("$$(MODE)", "$(MISSING)", "$(POD_IP)").endContainer().endSpec())
                .env("app", literal("MODE", "server"), literal("PORT", "8080"), field("POD_IP", "status.podIP")),
            "Container.1.Command.1", "/bin/server",
            "Container.1.Command.2", "--port=8080",
            "Container.1.Arg.1", "$(MODE)",
            "Container.1.Arg.2", "$(MISSING)",
            "Container.1.Arg.3", "$(POD_IP)",
            "Container.1.EnvironmentVar.1.Key", "MODE",
            "Container.1.EnvironmentVar.1.Value", "server",
            "Container.1.EnvironmentVar.2.Key", "PORT",
            "Container.1.EnvironmentVar.2.Value", "8080",
            "Container.1.EnvironmentVar.3.Key", "POD_IP",
            "Container.1.EnvironmentVar.3.FieldRef.FieldPath", "status.podIP"),
        mapped("resolved env replaces the spec's env (envFrom and valueFrom in the spec)",
            resolved().pod(p -> p.editSpec().editContainer(0).addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef()
                    .withName("cfg").endConfigMapRef().endEnvFrom().addNewEnv().withName("T").withNewValueFrom()
                    .withNewSecretKeyRef().withName("s").withKey("t").endSecretKeyRef().endValueFrom().endEnv()
                    .endContainer().endSpec())
                .env("app", literal("CFG_A", "1"), literal("T", "tok")),
            "Container.1.EnvironmentVar.1.Key", "CFG_A",
            "Container.1.EnvironmentVar.1.Value", "1",
            "Container.1.EnvironmentVar.2.Key", "T",
            "Container.1.EnvironmentVar.2.Value", "tok"),
        mapped("service links like the kubelet's",
            resolved().env("app", literal("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
                literal("KUBERNETES_SERVICE_PORT", "443")),
            "Container.1.EnvironmentVar.1.Key", "KUBERNETES_SERVICE_HOST",
            "Container.1.EnvironmentVar.1.Value", "10.96.0.1",
            "Container.1.EnvironmentVar.2.Key", "KUBERNETES_SERVICE_PORT",
            "Container.1.EnvironmentVar.2.Value", "443"),
        mapped("fieldRef status.podIP through ECI's FieldRef",
            resolved().env("app", field("POD_IP", "status.podIP")),
            "Container.1.EnvironmentVar.1.Key", "POD_IP",
            "Container.1.EnvironmentVar.1.FieldRef.FieldPath", "status.podIP"),
        mapped("status.hostIP and status.hostIPs are the pod's IP on ECI",
            resolved().env("app", field("HOST_IP", "status.hostIP"), field("HOST_IPS", "status.hostIPs")),
            "Container.1.EnvironmentVar.1.Key", "HOST_IP",
            "Container.1.EnvironmentVar.1.FieldRef.FieldPath", "status.podIP",
            "Container.1.EnvironmentVar.2.Key", "HOST_IPS",
            "Container.1.EnvironmentVar.2.FieldRef.FieldPath", "status.podIP"),
        mapped("status.podIPs is the pod's IP",
            resolved().env("app", field("POD_IPS", "status.podIPs")),
            "Container.1.EnvironmentVar.1.Key", "POD_IPS",
            "Container.1.EnvironmentVar.1.FieldRef.FieldPath", "status.podIP"),
        mapped("init container env",
            resolved().pod(p -> p.editSpec().addNewInitContainer().withName("init").withImage("busybox")
                    .endInitContainer().endSpec())
                .env("init", literal("STEP", "migrate")),
            "InitContainer.1.Name", "init",
            "InitContainer.1.Image", "busybox",
            "InitContainer.1.EnvironmentVar.1.Key", "STEP",
            "InitContainer.1.EnvironmentVar.1.Value", "migrate"),
        mapped("configMap volume with items, modes and defaultMode",
            resolved().pod(p -> volume(p, v -> v.withName("cfg").withNewConfigMap().withName("app-config")
                    .withDefaultMode(0440).addNewItem().withKey("a").withPath("conf/a.yaml").withMode(0600).endItem()
                    .addNewItem().withKey("b").withPath("b.txt").endItem().endConfigMap(), "/etc/app"))
                .files("cfg", file("conf/a.yaml", "hello", 0600), file("b.txt", "", 0440)),
            "Volume.1.Name", "cfg",
            "Volume.1.Type", "ConfigFileVolume",
            "Volume.1.ConfigFileVolume.DefaultMode", "288",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path", "conf/a.yaml",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Content", "aGVsbG8=",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Mode", "384",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.2.Path", "b.txt",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.2.Content", "",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.2.Mode", "288",
            "Container.1.VolumeMount.1.Name", "cfg",
            "Container.1.VolumeMount.1.MountPath", "/etc/app"),
        mapped("secret volume, mounted read-only with a subPath",
            resolved().pod(p -> p.editSpec().addNewVolume().withName("creds").withNewSecret().withSecretName("db")
                    .endSecret().endVolume().editContainer(0).addNewVolumeMount().withName("creds")
                    .withMountPath("/etc/db/password").withSubPath("password").withReadOnly(true).endVolumeMount()
                    .endContainer().endSpec())
                .files("creds", file("password", "s3cr3t", 0644)),
            "Volume.1.Name", "creds",
            "Volume.1.Type", "ConfigFileVolume",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path", "password",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Content", "czNjcjN0",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Mode", "420",
            "Container.1.VolumeMount.1.Name", "creds",
            "Container.1.VolumeMount.1.MountPath", "/etc/db/password",
            "Container.1.VolumeMount.1.SubPath", "password",
            "Container.1.VolumeMount.1.ReadOnly", "true"),
        mapped("downwardAPI volume",
            resolved().pod(p -> volume(p, v -> v.withName("podinfo").withNewDownwardAPI().addNewItem()
                    .withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
                    .endDownwardAPI(), "/etc/podinfo"))
                .files("podinfo", file("labels", "app=\"web\"", 0644)),
            "Volume.1.Name", "podinfo",
            "Volume.1.Type", "ConfigFileVolume",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path", "labels",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Content", "YXBwPSJ3ZWIi",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Mode", "420",
            "Container.1.VolumeMount.1.Name", "podinfo",
            "Container.1.VolumeMount.1.MountPath", "/etc/podinfo"),
        mapped("projected kube-api-access volume: token, ca.crt, namespace",
            resolved().pod(p -> volume(p, v -> v.withName("kube-api-access-x7k2p").withNewProjected()
                    .withDefaultMode(420).addNewSource().withNewServiceAccountToken().withExpirationSeconds(3607L)
                    .withPath("token").endServiceAccountToken().endSource().endProjected(),
                    "/var/run/secrets/kubernetes.io/serviceaccount"))
                .files("kube-api-access-x7k2p", file("token", "eyJhbGciOi", 0644), file("ca.crt", "-----BEGIN", 0644),
                    file("namespace", "shop", 0644)),
            "Volume.1.Name", "kube-api-access-x7k2p",
            "Volume.1.Type", "ConfigFileVolume",
            "Volume.1.ConfigFileVolume.DefaultMode", "420",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path", "token",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Content", "ZXlKaGJHY2lPaQ==",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.1.Mode", "420",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.2.Path", "ca.crt",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.2.Content", "LS0tLS1CRUdJTg==",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.2.Mode", "420",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.3.Path", "namespace",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.3.Content", "c2hvcA==",
            "Volume.1.ConfigFileVolume.ConfigFileToPath.3.Mode", "420",
            "Container.1.VolumeMount.1.Name", "kube-api-access-x7k2p",
            "Container.1.VolumeMount.1.MountPath", "/var/run/secrets/kubernetes.io/serviceaccount"),
        mapped("an optional configMap that is missing: an empty directory",
            resolved().pod(p -> volume(p, v -> v.withName("opt").withNewConfigMap().withName("maybe")
                    .withOptional(true).endConfigMap(), "/etc/opt"))
                .files("opt"),
            "Volume.1.Name", "opt",
            "Volume.1.Type", "EmptyDirVolume",
            "Container.1.VolumeMount.1.Name", "opt",
            "Container.1.VolumeMount.1.MountPath", "/etc/opt"),
        mapped("persistentVolumeClaim bound to an NFS PersistentVolume",
            resolved().pod(p -> volume(p, v -> v.withName("data").withNewPersistentVolumeClaim()
                    .withClaimName("data-web-0").endPersistentVolumeClaim(), "/data"))
                .pv("data", "data-web-0", nfsPv("pv-nas-1", "0a1b2c.cn-hangzhou.nas.aliyuncs.com", "/share"), false),
            "Volume.1.Name", "data",
            "Volume.1.Type", "NFSVolume",
            "Volume.1.NFSVolume.Server", "0a1b2c.cn-hangzhou.nas.aliyuncs.com",
            "Volume.1.NFSVolume.Path", "/share",
            "Container.1.VolumeMount.1.Name", "data",
            "Container.1.VolumeMount.1.MountPath", "/data"),
        mapped("read-only persistentVolumeClaim",
            resolved().pod(p -> volume(p, v -> v.withName("data").withNewPersistentVolumeClaim()
                    .withClaimName("shared").withReadOnly(true).endPersistentVolumeClaim(), "/data"))
                .pv("data", "shared", nfsPv("pv-nas-2", "nas.example", "/ro"), true),
            "Volume.1.Name", "data",
            "Volume.1.Type", "NFSVolume",
            "Volume.1.NFSVolume.Server", "nas.example",
            "Volume.1.NFSVolume.Path", "/ro",
            "Volume.1.NFSVolume.ReadOnly", "true",
            "Container.1.VolumeMount.1.Name", "data",
            "Container.1.VolumeMount.1.MountPath", "/data"),
        mapped("imagePullSecrets as ImageRegistryCredential, in order",
            resolved().pod(p -> p.editSpec().addNewImagePullSecret("acr").addNewImagePullSecret("hub").endSpec())
                .credential("registry.cn-hangzhou.aliyuncs.com", "robot", "pw1")
                .credential("https://index.docker.io/v1/", "me", "pw2"),
            "ImageRegistryCredential.1.Server", "registry.cn-hangzhou.aliyuncs.com",
            "ImageRegistryCredential.1.UserName", "robot",
            "ImageRegistryCredential.1.Password", "pw1",
            "ImageRegistryCredential.2.Server", "https://index.docker.io/v1/",
            "ImageRegistryCredential.2.UserName", "me",
            "ImageRegistryCredential.2.Password", "pw2"),
        mapped("capabilities.drop and allowPrivilegeEscalation false are accepted, add is sent",
            resolved().pod(p -> p.editSpec().editContainer(0).withNewSecurityContext()
                .withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL")
                .withAdd("NET_BIND_SERVICE").endCapabilities().endSecurityContext().endContainer().endSpec()),
            "Container.1.SecurityContext.Capability.Add.1", "NET_BIND_SERVICE"),
        mapped("restricted Pod Security Standard pod with an init container",
            resolved().pod(ResolvedPodMappingTest::restricted),
            "Container.1.SecurityContext.RunAsUser", "1000",
            "Container.1.SecurityContextRunAsNonRoot", "true",
            "InitContainer.1.Name", "init",
            "InitContainer.1.Image", "busybox",
            "InitContainer.1.SecurityContext.RunAsUser", "1000"));
  }

  /** What the restricted Pod Security Standard demands, pod-wide and per container. */
  static PodBuilder restricted(PodBuilder p) {
    return p.editSpec().withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(1000L)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .editContainer(0).withNewSecurityContext().withAllowPrivilegeEscalation(false).withNewCapabilities()
        .withDrop("ALL").endCapabilities().endSecurityContext().endContainer()
        .addNewInitContainer().withName("init").withImage("busybox").withNewSecurityContext()
        .withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL").endCapabilities()
        .endSecurityContext().endInitContainer().endSpec();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mapped")
  void mapsTheResolvedField(String name, ResolvedPod pod, Map<String, String> delta) throws Exception {
    Map<String, String> expected = new TreeMap<>(BASE);
    expected.putAll(delta);

    assertThat(flatten(PodMapper.map(pod, NO_DNS).request())).isEqualTo(expected);
  }

  @Test
  void restrictedPodRunsWithOneWarningNamingWhatIsNotEnforced() {
    MappedPod mapped = PodMapper.map(resolved().pod(ResolvedPodMappingTest::restricted).build(), NO_DNS);

    assertThat(mapped.events()).containsExactly(ProviderEvent.warning("SecurityContextNotEnforced",
        "ECI cannot enforce spec.initContainers[0].securityContext.capabilities.drop, "
            + "spec.initContainers[0].securityContext.allowPrivilegeEscalation, "
            + "spec.containers[0].securityContext.capabilities.drop, "
            + "spec.containers[0].securityContext.allowPrivilegeEscalation: the containers run with the runtime's "
            + "default capabilities and privilege escalation allowed, inside the pod's own sandbox VM"));
  }

  @Test
  void runAsNonRootOnAnInitContainerWithoutAUserIsReported() {
    MappedPod mapped = PodMapper.map(resolved().pod(p -> p.editSpec().withNewSecurityContext().withRunAsNonRoot(true)
        .endSecurityContext().addNewInitContainer().withName("init").withImage("busybox").endInitContainer()
        .endSpec()).build(), NO_DNS);

    assertThat(mapped.events()).extracting(ProviderEvent::message).containsExactly(
        "ECI cannot enforce spec.securityContext.runAsNonRoot (inherited by spec.initContainers[0]): the containers"
            + " run with the runtime's default capabilities and privilege escalation allowed, inside the pod's own"
            + " sandbox VM");
  }

  @Test
  void thePodAsTheApiServerStoresItRunsWithItsServiceAccountTokenResolved() throws Exception {
    Pod pod = Fixtures.pod("api-server-defaulted");
    String container = pod.getSpec().getContainers().get(0).getName();
    ResolvedPod resolved = new ResolvedPod(pod,
        Map.of(container, List.of(literal("KUBERNETES_SERVICE_HOST", "10.96.0.1"))),
        Map.of("kube-api-access-x7k2p", new FileVolume(List.of(file("token", "eyJ", 0644), file("ca.crt", "ca", 0644),
            file("namespace", pod.getMetadata().getNamespace(), 0644)))),
        List.of());

    Map<String, String> query = flatten(PodMapper.map(resolved, PodMapperTest.CTX_DNS).request());

    assertThat(query)
        .containsEntry("Volume.1.Name", "kube-api-access-x7k2p")
        .containsEntry("Volume.1.Type", "ConfigFileVolume")
        .containsEntry("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path", "token")
        .containsEntry("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Content", "ZXlK")
        .containsEntry("Container.1.EnvironmentVar.1.Key", "KUBERNETES_SERVICE_HOST")
        .containsEntry("Container.1.EnvironmentVar.1.Value", "10.96.0.1");
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        rejected("a configMapKeyRef the framework left unresolved",
            resolved().env("app", new EnvVarBuilder().withName("MODE").withNewValueFrom().withNewConfigMapKeyRef()
                .withName("cfg").withKey("mode").endConfigMapKeyRef().endValueFrom().build()),
            "UnsupportedPodField",
            "spec.containers[0].env[MODE].valueFrom.configMapKeyRef: was not resolved to a value; only the fieldRefs"
                + " status.podIP, status.podIPs, status.hostIP, status.hostIPs are left for ECI to fill in"),
        rejected("a fieldRef ECI cannot fill in",
            resolved().env("app", field("NODE", "spec.nodeName")),
            "UnsupportedPodField",
            "spec.containers[0].env[NODE].valueFrom.fieldRef (spec.nodeName): was not resolved to a value; only the"
                + " fieldRefs status.podIP, status.podIPs, status.hostIP, status.hostIPs are left for ECI to fill in"),
        rejected("a file over 32 KB",
            resolved().pod(p -> volume(p, v -> v.withName("big").withNewConfigMap().withName("big").endConfigMap(),
                    "/big"))
                .files("big", new VolumeFile("blob", new byte[32 * 1024 + 1], 0644)),
            "UnsupportedPodField",
            "spec.volumes[0] (big, configMap): file \"blob\" is 32769 bytes, ECI's ConfigFile volumes take files of"
                + " at most 32768 bytes (32 KB)"),
        rejected("files over 60 KB in all",
            resolved().pod(p -> volume(p, v -> v.withName("big").withNewSecret().withSecretName("big").endSecret(),
                    "/big"))
                .files("big", new VolumeFile("a", new byte[30 * 1024], 0644), new VolumeFile("b", new byte[30 * 1024],
                    0644), new VolumeFile("c", new byte[1], 0644)),
            "UnsupportedPodField",
            "spec.volumes[0] (big, secret): its files total 61441 bytes, ECI's ConfigFile volumes take at most 61440"
                + " bytes (60 KB) in all"),
        rejected("a claim bound to a CSI PersistentVolume",
            resolved().pod(p -> volume(p, v -> v.withName("data").withNewPersistentVolumeClaim().withClaimName("disk")
                    .endPersistentVolumeClaim(), "/data"))
                .pv("data", "disk", new PersistentVolumeBuilder().withNewMetadata().withName("d-bp1").endMetadata()
                    .withNewSpec().withNewCsi().withDriver("diskplugin.csi.alibabacloud.com").withVolumeHandle("d-1")
                    .endCsi().withAccessModes("ReadWriteOnce").endSpec().build(), false),
            "UnsupportedPodField",
            "spec.volumes[0] (data, persistentVolumeClaim): claim disk is bound to PersistentVolume d-bp1 of type"
                + " csi, driver diskplugin.csi.alibabacloud.com; ECI mounts only NFS PersistentVolumes so far"),
        rejected("a claim that was not resolved",
            resolved().pod(p -> volume(p, v -> v.withName("data").withNewPersistentVolumeClaim().withClaimName("pending")
                    .endPersistentVolumeClaim(), "/data")),
            "UnsupportedPodField",
            "spec.volumes[0] (data, persistentVolumeClaim): claim pending was not resolved to a bound"
                + " PersistentVolume"),
        rejected("a file mode above 0777",
            resolved().pod(p -> volume(p, v -> v.withName("cfg").withNewConfigMap().withName("c").endConfigMap(),
                    "/c"))
                .files("cfg", file("x", "1", 01777)),
            "InvalidPodField",
            "spec.volumes[0] (cfg, configMap): file \"x\" has mode 1023, not a file mode from 0 to 0777 (511)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsTheResolvedField(String name, ResolvedPod pod, String code, String message) {
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> PodMapper.map(pod, NO_DNS));

    assertThat(e).as("no exception").isNotNull();
    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
    assertThat(e.getMessage()).isEqualTo(message);
    assertThat(e.code()).isEqualTo(code);
  }

  private static Arguments mapped(String name, Resolved resolved, String... delta) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < delta.length; i += 2) {
      entries.put(delta[i], delta[i + 1]);
    }
    return Arguments.of(name, resolved.build(), entries);
  }

  private static Arguments rejected(String name, Resolved resolved, String code, String message) {
    return Arguments.of(name, resolved.build(), code, message);
  }
}
