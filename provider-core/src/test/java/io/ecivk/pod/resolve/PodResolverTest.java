package io.ecivk.pod.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.pod.resolve.ObjectRef.Kind;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.ResolvedPod.BoundPersistentVolume;
import io.ecivk.spi.ResolvedPod.FileVolume;
import io.ecivk.spi.ResolvedPod.RegistryCredential;
import io.ecivk.spi.ResolvedPod.VolumeFile;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PodResolverTest {
  private static final String NS = "shop";
  private final InMemoryReader reader = new InMemoryReader();
  private final PodResolver resolver =
      new PodResolver(reader, () -> Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi")));

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Pod pod(UnaryOperator<PodBuilder> customize) {
    PodBuilder b = new PodBuilder()
        .withNewMetadata().withName("web-0").withNamespace(NS).withUid("uid-1").addToLabels("app", "web")
        .endMetadata()
        .withNewSpec().withNodeName("vk").withServiceAccountName("web-sa")
        .addNewContainer().withName("app").withImage("nginx").endContainer()
        .endSpec();
    return customize.apply(b).build();
  }

  private static EnvVar literal(String name, String value) {
    return new EnvVar(name, value, null);
  }

  private void configMap(String name, Map<String, String> data) {
    reader.add(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata()
        .withData(data).build());
  }

  private void secret(String name, String type, Map<String, String> clear) {
    Map<String, String> data = new java.util.LinkedHashMap<>();
    clear.forEach((k, v) -> data.put(k, b64(v)));
    reader.add(new SecretBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata().withType(type)
        .withData(data).build());
  }

  private ResolvedPod resolved(Pod pod) {
    Resolution r = resolver.resolve(pod);
    assertThat(r).isInstanceOf(Resolution.Resolved.class);
    return ((Resolution.Resolved) r).pod();
  }

  @Test
  void environmentInKubeletOrderWithExpansionAndServiceLinks() {
    configMap("cfg", Map.of("MODE", "prod", "1BAD", "x", "LEVEL", "info"));
    secret("creds", "Opaque", Map.of("password", "hunter2", "USER", "admin"));
    reader.add(new ServiceBuilder().withNewMetadata().withNamespace("default").withName("kubernetes").endMetadata()
        .withNewSpec().withClusterIP("10.96.0.1").addNewPort().withName("https").withPort(443).withProtocol("TCP")
        .endPort().endSpec().build());
    reader.add(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("db").endMetadata()
        .withNewSpec().withClusterIP("10.96.0.5").addNewPort().withPort(5432).endPort().endSpec().build());
    Pod pod = pod(b -> b.editSpec().editFirstContainer()
        .addNewEnvFrom().withNewConfigMapRef().withName("cfg").endConfigMapRef().endEnvFrom()
        .addNewEnvFrom().withPrefix("S_").withNewSecretRef().withName("creds").endSecretRef().endEnvFrom()
        .addToEnv(literal("LEVEL", "debug"))
        .addToEnv(new EnvVarBuilder().withName("DB_PASSWORD").withNewValueFrom().withNewSecretKeyRef()
            .withName("creds").withKey("password").endSecretKeyRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
            .withFieldPath("metadata.name").endFieldRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef()
            .withFieldPath("status.podIP").endFieldRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("MEM").withNewValueFrom().withNewResourceFieldRef()
            .withResource("limits.memory").withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom()
            .build())
        .addToEnv(literal("URL", "$(POD_NAME).$(MODE):$(DB_SERVICE_PORT)/$(POD_IP)/$$(MODE)"))
        .addToEnv(literal("DB_SERVICE_HOST", "overridden"))
        .addToEnv(new EnvVarBuilder().withName("OPT").withNewValueFrom().withNewConfigMapKeyRef()
            .withName("absent").withKey("k").withOptional(true).endConfigMapKeyRef().endValueFrom().build())
        .endContainer().endSpec());

    Resolution r = resolver.resolve(pod);

    assertThat(r).isInstanceOf(Resolution.Resolved.class);
    List<EnvVar> env = ((Resolution.Resolved) r).pod().envOf("app");
    assertThat(env).containsExactly(
        literal("LEVEL", "debug"),
        literal("MODE", "prod"),
        literal("S_USER", "admin"),
        literal("S_password", "hunter2"),
        literal("DB_PASSWORD", "hunter2"),
        literal("POD_NAME", "web-0"),
        new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
            .endFieldRef().endValueFrom().build(),
        literal("MEM", "32768"),
        literal("URL", "web-0.prod:5432/$(POD_IP)/$(MODE)"),
        literal("DB_SERVICE_HOST", "overridden"),
        literal("DB_SERVICE_PORT", "5432"),
        literal("DB_PORT", "tcp://10.96.0.5:5432"),
        literal("DB_PORT_5432_TCP", "tcp://10.96.0.5:5432"),
        literal("DB_PORT_5432_TCP_PROTO", "tcp"),
        literal("DB_PORT_5432_TCP_PORT", "5432"),
        literal("DB_PORT_5432_TCP_ADDR", "10.96.0.5"),
        literal("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
        literal("KUBERNETES_SERVICE_PORT", "443"),
        literal("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
        literal("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
        literal("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
        literal("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
        literal("KUBERNETES_PORT_443_TCP_PORT", "443"),
        literal("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"));
    assertThat(r.events()).containsExactly(ProviderEvent.warning("InvalidEnvironmentVariableNames",
        "Keys [1BAD] from the EnvFrom configMap shop/cfg were skipped since they are considered invalid "
            + "environment variable names."));
    assertThat(reader.reads.stream().filter(s -> s.equals("Secret/shop/creds"))).hasSize(1); // read once per pod
  }

  @Test
  void missingDependenciesCarryTheKubeletMessagesOnePerContainer() {
    configMap("cfg", Map.of("present", "1"));
    Pod pod = pod(b -> b.editSpec()
        .addToInitContainers(new ContainerBuilder().withName("init").withImage("busybox")
            .addNewEnvFrom().withNewSecretRef().withName("nosecret").endSecretRef().endEnvFrom().build())
        .editFirstContainer()
        .addToEnv(new EnvVarBuilder().withName("A").withNewValueFrom().withNewConfigMapKeyRef()
            .withName("cfg").withKey("absent").endConfigMapKeyRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("B").withNewValueFrom().withNewConfigMapKeyRef()
            .withName("nocfg").withKey("k").endConfigMapKeyRef().endValueFrom().build())
        .endContainer()
        .addNewContainer().withName("side").withImage("x")
        .addToEnv(new EnvVarBuilder().withName("C").withNewValueFrom().withNewConfigMapKeyRef()
            .withName("nocfg").withKey("k").endConfigMapKeyRef().endValueFrom().build())
        .endContainer()
        .endSpec());

    Resolution r = resolver.resolve(pod);

    assertThat(r).isInstanceOf(Resolution.Waiting.class);
    assertThat(((Resolution.Waiting) r).missing()).containsExactly(
        MissingDependency.ofContainer(new ObjectRef(Kind.SECRET, NS, "nosecret"), "init", "secret \"nosecret\" not found"),
        MissingDependency.ofContainer(new ObjectRef(Kind.CONFIG_MAP, NS, "cfg"), "app",
            "couldn't find key absent in ConfigMap shop/cfg"),
        MissingDependency.ofContainer(new ObjectRef(Kind.CONFIG_MAP, NS, "nocfg"), "side",
            "configmap \"nocfg\" not found"));
  }

  @Test
  void optionalSourcesThatAreMissingDefineNothing() {
    Pod pod = pod(b -> b.withNewSpec().withEnableServiceLinks(false)
        .addNewContainer().withName("app")
        .addNewEnvFrom().withNewConfigMapRef().withName("none").withOptional(true).endConfigMapRef().endEnvFrom()
        .addToEnv(new EnvVarBuilder().withName("S").withNewValueFrom().withNewSecretKeyRef()
            .withName("none").withKey("k").withOptional(true).endSecretKeyRef().endValueFrom().build())
        .addToEnv(literal("EMPTY", ""))
        .endContainer()
        .addNewVolume().withName("opt").withNewConfigMap().withName("none").withOptional(true).endConfigMap()
        .endVolume()
        .endSpec());

    ResolvedPod resolved = resolved(pod);

    assertThat(resolved.envOf("app")).containsExactly(literal("EMPTY", ""));
    assertThat(resolved.volumes()).containsEntry("opt", new FileVolume(List.of()));
  }

  @Test
  void configMapSecretDownwardAndProjectedVolumesBecomeFiles() {
    reader.add(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName("cfg").endMetadata()
        .addToData("b.conf", "B").addToData("a.conf", "A").addToBinaryData("bin", b64("\u0001\u0002")).build());
    configMap("kube-root-ca.crt", Map.of("ca.crt", "-----BEGIN CERTIFICATE-----"));
    secret("tls", "kubernetes.io/tls", Map.of("tls.crt", "CRT", "tls.key", "KEY"));
    reader.serviceAccounts.add(NS + "/web-sa");
    Pod pod = pod(b -> b.editSpec()
        .addToVolumes(new VolumeBuilder().withName("all").withNewConfigMap().withName("cfg").endConfigMap().build())
        .addToVolumes(new VolumeBuilder().withName("items").withNewConfigMap().withName("cfg").withDefaultMode(0400)
            .addNewItem().withKey("a.conf").withPath("conf/a").endItem()
            .addNewItem().withKey("b.conf").withPath("b").withMode(0600).endItem()
            .endConfigMap().build())
        .addToVolumes(new VolumeBuilder().withName("tls").withNewSecret().withSecretName("tls").withDefaultMode(0440)
            .endSecret().build())
        .addToVolumes(new VolumeBuilder().withName("info").withNewDownwardAPI()
            .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
            .addNewItem().withPath("cpu").withMode(0444).withNewResourceFieldRef().withContainerName("app")
            .withResource("limits.cpu").withDivisor(new Quantity("1m")).endResourceFieldRef().endItem()
            .endDownwardAPI().build())
        .addToVolumes(new VolumeBuilder().withName("kube-api-access-x7k2p").withNewProjected().withDefaultMode(0644)
            .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L)
            .endServiceAccountToken().endSource()
            .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt")
            .withPath("ca.crt").endItem().endConfigMap().endSource()
            .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef()
            .withApiVersion("v1").withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI()
            .endSource()
            .endProjected().build())
        .addToVolumes(new VolumeBuilder().withName("vault").withNewProjected()
            .addNewSource().withNewServiceAccountToken().withPath("vault-token").withAudience("vault")
            .withExpirationSeconds(7200L).endServiceAccountToken().endSource()
            .endProjected().build())
        .endSpec());

    ResolvedPod resolved = resolved(pod);

    assertThat(resolved.volumes()).containsEntry("all", new FileVolume(List.of(
        new VolumeFile("a.conf", "A".getBytes(), 0644), new VolumeFile("b.conf", "B".getBytes(), 0644),
        new VolumeFile("bin", new byte[] {1, 2}, 0644))));
    assertThat(resolved.volumes()).containsEntry("items", new FileVolume(List.of(
        new VolumeFile("conf/a", "A".getBytes(), 0400), new VolumeFile("b", "B".getBytes(), 0600))));
    assertThat(resolved.volumes()).containsEntry("tls", new FileVolume(List.of(
        new VolumeFile("tls.crt", "CRT".getBytes(), 0440), new VolumeFile("tls.key", "KEY".getBytes(), 0440))));
    assertThat(resolved.volumes()).containsEntry("info", new FileVolume(List.of(
        new VolumeFile("labels", "app=\"web\"".getBytes(), 0644), new VolumeFile("cpu", "8000".getBytes(), 0444))));
    assertThat(resolved.volumes()).containsEntry("kube-api-access-x7k2p", new FileVolume(List.of(
        new VolumeFile("token", "token-for-web-sa-web-0".getBytes(), 0644),
        new VolumeFile("ca.crt", "-----BEGIN CERTIFICATE-----".getBytes(), 0644),
        new VolumeFile("namespace", "shop".getBytes(), 0644))));
    assertThat(reader.tokenRequests).hasSize(2);
    var spec = reader.tokenRequests.get(0).getSpec();
    assertThat(spec.getExpirationSeconds()).isEqualTo(3607L);
    assertThat(spec.getAudiences()).isEmpty();
    assertThat(spec.getBoundObjectRef().getKind()).isEqualTo("Pod");
    assertThat(spec.getBoundObjectRef().getApiVersion()).isEqualTo("v1");
    assertThat(spec.getBoundObjectRef().getName()).isEqualTo("web-0");
    assertThat(spec.getBoundObjectRef().getUid()).isEqualTo("uid-1");
    assertThat(reader.tokenRequests.get(1).getSpec().getAudiences()).containsExactly("vault");
    assertThat(reader.tokenRequests.get(1).getSpec().getExpirationSeconds()).isEqualTo(7200L);
  }

  @Test
  void missingVolumeSourcesAndKeysWait() {
    configMap("cfg", Map.of("a", "1"));
    Pod pod = pod(b -> b.editSpec()
        .addToVolumes(new VolumeBuilder().withName("v1").withNewConfigMap().withName("cfg")
            .addNewItem().withKey("zz").withPath("zz").endItem().endConfigMap().build())
        .addToVolumes(new VolumeBuilder().withName("v2").withNewSecret().withSecretName("gone").endSecret().build())
        .addToVolumes(new VolumeBuilder().withName("v3").withNewProjected().addNewSource().withNewServiceAccountToken()
            .withPath("t").endServiceAccountToken().endSource().endProjected().build())
        .endSpec());

    Resolution r = resolver.resolve(pod);

    assertThat(((Resolution.Waiting) r).missing()).containsExactly(
        MissingDependency.ofVolume(new ObjectRef(Kind.CONFIG_MAP, NS, "cfg"), "v1",
            "configmap references non-existent config key: zz"),
        MissingDependency.ofVolume(new ObjectRef(Kind.SECRET, NS, "gone"), "v2", "secret \"gone\" not found"),
        MissingDependency.ofVolume(new ObjectRef(Kind.SERVICE_ACCOUNT, NS, "web-sa"), "v3",
            "serviceaccount \"web-sa\" not found"));
  }

  @Test
  void claimsMustBeBoundToAVolumeThatNamesThem() {
    Pod pod = pod(b -> b.editSpec().addToVolumes(new VolumeBuilder().withName("data")
        .withNewPersistentVolumeClaim().withClaimName("data-0").withReadOnly(true).endPersistentVolumeClaim().build())
        .endSpec());
    ObjectRef claim = new ObjectRef(Kind.PERSISTENT_VOLUME_CLAIM, NS, "data-0");

    assertThat(((Resolution.Waiting) resolver.resolve(pod)).missing()).containsExactly(
        MissingDependency.ofVolume(claim, "data", "persistentvolumeclaim \"data-0\" not found"));

    reader.add(new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace(NS).withName("data-0")
        .withUid("pvc-uid").endMetadata().withNewStatus().withPhase("Pending").endStatus().build());
    assertThat(((Resolution.Waiting) resolver.resolve(pod)).missing()).containsExactly(
        MissingDependency.ofVolume(claim, "data",
            "PVC shop/data-0 has non-bound phase (\"Pending\") or empty pvc.Spec.VolumeName (\"\")"));

    reader.add(new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace(NS).withName("data-0")
        .withUid("pvc-uid").endMetadata().withNewSpec().withVolumeName("pv-nfs").endSpec()
        .withNewStatus().withPhase("Bound").endStatus().build());
    assertThat(((Resolution.Waiting) resolver.resolve(pod)).missing()).containsExactly(
        MissingDependency.ofVolume(new ObjectRef(Kind.PERSISTENT_VOLUME, null, "pv-nfs"), "data",
            "persistentvolume \"pv-nfs\" not found"));

    var pv = new PersistentVolumeBuilder().withNewMetadata().withName("pv-nfs").endMetadata()
        .withNewSpec().withNewNfs().withServer("nfs.example.com").withPath("/exports/data").endNfs()
        .withNewClaimRef().withNamespace(NS).withName("data-0").withUid("pvc-uid").endClaimRef().endSpec().build();
    reader.add(pv);
    assertThat(resolved(pod).volumes()).containsEntry("data", new BoundPersistentVolume("data-0", pv, true));
  }

  @Test
  void imagePullSecretsBecomeCredentialsAndMissingOnesAWarning() {
    secret("regcred", "kubernetes.io/dockerconfigjson", Map.of(".dockerconfigjson",
        "{\"auths\":{\"registry.example.com\":{\"username\":\"u\",\"password\":\"p\"}}}"));
    secret("broken", "kubernetes.io/dockerconfigjson", Map.of(".dockerconfigjson", "nope"));
    Pod pod = pod(b -> b.editSpec().addNewImagePullSecret("regcred").addNewImagePullSecret("absent")
        .addNewImagePullSecret("broken").addNewImagePullSecret("regcred").endSpec());

    Resolution r = resolver.resolve(pod);

    assertThat(((Resolution.Resolved) r).pod().registryCredentials())
        .containsExactly(new RegistryCredential("registry.example.com", "u", "p"));
    assertThat(r.events()).containsExactly(
        ProviderEvent.warning("FailedToRetrieveImagePullSecret",
            "Image pull secret shop/broken is malformed and was skipped: .dockerconfigjson is not valid JSON"),
        ProviderEvent.warning("FailedToRetrieveImagePullSecret",
            "Unable to retrieve some image pull secrets (absent); attempting to pull the image may not succeed."));
  }

  @Test
  void unsupportedFieldsAreInvalidWithAReasonNamingThem() {
    Pod badField = pod(b -> b.editSpec().editFirstContainer()
        .addToEnv(new EnvVarBuilder().withName("X").withNewValueFrom().withNewFieldRef()
            .withFieldPath("spec.hostname").endFieldRef().endValueFrom().build()).endContainer().endSpec());
    Pod badResource = pod(b -> b.editSpec().editFirstContainer()
        .addToEnv(new EnvVarBuilder().withName("H").withNewValueFrom().withNewResourceFieldRef()
            .withContainerName("nope").withResource("limits.cpu").endResourceFieldRef().endValueFrom().build())
        .endContainer().endSpec());

    Pod trustBundle = pod(b -> b.editSpec().addToVolumes(new VolumeBuilder().withName("bundle").withNewProjected()
        .addNewSource().withNewClusterTrustBundle().withName("roots").withPath("ca.pem").endClusterTrustBundle()
        .endSource().endProjected().build()).endSpec());
    assertThat(resolver.resolve(trustBundle)).isEqualTo(new Resolution.Invalid(
        "volume bundle: projected source clusterTrustBundle is not supported", List.of()));
    assertThat(resolver.resolve(badField)).isEqualTo(new Resolution.Invalid(
        "env X of container app: unsupported fieldRef fieldPath: spec.hostname", List.of()));
    assertThat(resolver.resolve(badResource)).isEqualTo(new Resolution.Invalid(
        "env H of container app: no container named nope", List.of()));
  }
}
