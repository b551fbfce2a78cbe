package io.ecivk.pod.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.ResolvedPod.BoundPersistentVolume;
import io.ecivk.spi.ResolvedPod.FileVolume;
import io.ecivk.spi.ResolvedPod.VolumeFile;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@link PodResolver} with {@link ApiServerReader} against a real API server (and its token signer). */
@ExtendWith(KubeControlPlaneExtension.class)
class PodResolverIT {
  private static final String SA_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  private KubernetesClient client;
  private String namespace;
  private String nodeName;
  private PodResolver resolver;

  @BeforeEach
  void setUp(KubeControlPlane controlPlane) {
    client = controlPlane.client();
    namespace = controlPlane.createNamespace("resolve");
    nodeName = KubeControlPlane.uniqueName("resolve-node");
    // A Node object, so the pod garbage collector keeps pods bound to it.
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(nodeName).endMetadata().build()).create();
    resolver = new PodResolver(new ApiServerReader(client),
        () -> Map.of("cpu", new Quantity("16"), "memory", new Quantity("64Gi")));
  }

  @AfterEach
  void tearDown() {
    client.nodes().withName(nodeName).delete();
  }

  private Pod createPod(String name, UnaryOperator<PodBuilder> customize) {
    PodBuilder b = new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).addToLabels("app", name).endMetadata()
        .withNewSpec().withNodeName(nodeName)
        .addNewContainer().withName("app").withImage("nginx:1.25").endContainer()
        .endSpec();
    return client.pods().inNamespace(namespace).resource(customize.apply(b).build()).create();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }

  private ResolvedPod resolved(Pod pod) {
    Resolution r = resolver.resolve(pod);
    assertThat(r).isInstanceOf(Resolution.Resolved.class);
    return ((Resolution.Resolved) r).pod();
  }

  @Test
  void environmentFromEverySourceWithServiceLinks() {
    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("app-config")
        .endMetadata().addToData("LOG_LEVEL", "info").build()).create();
    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("app-secret")
        .endMetadata().addToStringData("DB_PASSWORD", "s3cr3t").addToStringData("1st-key", "x").build()).create();
    client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName("redis-main")
        .endMetadata().withNewSpec().addNewPort().withName("redis").withPort(6379).endPort()
        .addToSelector("app", "redis").endSpec().build()).create();
    String redisIp = client.services().inNamespace(namespace).withName("redis-main").get().getSpec().getClusterIP();
    String masterIp = client.services().inNamespace("default").withName("kubernetes").get().getSpec().getClusterIP();
    Pod pod = createPod("env-pod", b -> b.editSpec().withAutomountServiceAccountToken(false).editFirstContainer()
        .withNewResources().addToLimits("memory", new Quantity("512Mi")).addToRequests("cpu", new Quantity("250m"))
        .endResources()
        .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("app-config").endConfigMapRef().endEnvFrom()
        .addNewEnvFrom().withNewSecretRef().withName("app-secret").endSecretRef().endEnvFrom()
        .addToEnv(new EnvVarBuilder().withName("LEVEL").withNewValueFrom().withNewConfigMapKeyRef()
            .withName("app-config").withKey("LOG_LEVEL").endConfigMapKeyRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef()
            .withName("app-secret").withKey("DB_PASSWORD").endSecretKeyRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("MY_POD").withNewValueFrom().withNewFieldRef()
            .withFieldPath("metadata.name").endFieldRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("MY_UID").withNewValueFrom().withNewFieldRef()
            .withFieldPath("metadata.uid").endFieldRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("MY_NODE").withNewValueFrom().withNewFieldRef()
            .withFieldPath("spec.nodeName").endFieldRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("MY_IP").withNewValueFrom().withNewFieldRef()
            .withFieldPath("status.podIP").endFieldRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("MEM_MI").withNewValueFrom().withNewResourceFieldRef()
            .withResource("limits.memory").withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom()
            .build())
        .addToEnv(new EnvVarBuilder().withName("CPU_LIMIT").withNewValueFrom().withNewResourceFieldRef()
            .withResource("limits.cpu").endResourceFieldRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("CPU_REQ_M").withNewValueFrom().withNewResourceFieldRef()
            .withResource("requests.cpu").withDivisor(new Quantity("1m")).endResourceFieldRef().endValueFrom()
            .build())
        .addToEnv(env("REDIS_URL", "redis://$(REDIS_MAIN_SERVICE_HOST):$(REDIS_MAIN_SERVICE_PORT_REDIS)/$(MY_POD)"))
        .endContainer().endSpec());

    Resolution r = resolver.resolve(pod);

    assertThat(r).isInstanceOf(Resolution.Resolved.class);
    List<EnvVar> vars = ((Resolution.Resolved) r).pod().envOf("app");
    assertThat(vars.subList(0, 12)).containsExactly(
        env("CFG_LOG_LEVEL", "info"),
        env("DB_PASSWORD", "s3cr3t"),
        env("LEVEL", "info"),
        env("PASSWORD", "s3cr3t"),
        env("MY_POD", "env-pod"),
        env("MY_UID", pod.getMetadata().getUid()),
        env("MY_NODE", nodeName),
        new EnvVarBuilder().withName("MY_IP").withNewValueFrom().withNewFieldRef().withApiVersion("v1")
            .withFieldPath("status.podIP").endFieldRef().endValueFrom().build(),
        env("MEM_MI", "512"),
        env("CPU_LIMIT", "16"),
        env("CPU_REQ_M", "250"),
        env("REDIS_URL", "redis://" + redisIp + ":6379/env-pod"));
    assertThat(vars.subList(12, vars.size())).contains(
        env("KUBERNETES_SERVICE_HOST", masterIp),
        env("KUBERNETES_SERVICE_PORT", "443"),
        env("KUBERNETES_PORT_443_TCP", "tcp://" + masterIp + ":443"),
        env("REDIS_MAIN_SERVICE_HOST", redisIp),
        env("REDIS_MAIN_SERVICE_PORT", "6379"),
        env("REDIS_MAIN_SERVICE_PORT_REDIS", "6379"),
        env("REDIS_MAIN_PORT", "tcp://" + redisIp + ":6379"),
        env("REDIS_MAIN_PORT_6379_TCP_ADDR", redisIp));
    assertThat(r.events()).singleElement().satisfies(e -> assertThat(e.message())
        .isEqualTo("Keys [1st-key] from the EnvFrom secret " + namespace
            + "/app-secret were skipped since they are considered invalid environment variable names."));
  }

  @Test
  void kubeApiAccessVolumeHoldsABoundTokenTheApiServerAcceptsPlusCaAndNamespace() {
    // 1.20's controller-manager publishes kube-root-ca.crt; create it if it has not (yet).
    String ca;
    try {
      ca = await().atMost(Duration.ofSeconds(10)).until(
          () -> client.configMaps().inNamespace(namespace).withName("kube-root-ca.crt").get(), c -> c != null)
          .getData().get("ca.crt");
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      ca = "-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n";
      client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
          .withName("kube-root-ca.crt").endMetadata().addToData("ca.crt", ca).build()).create();
    }
    Pod pod = createPod("token-pod", b -> b.editSpec()
        .addToVolumes(new VolumeBuilder().withName("kube-api-access-5xq2z").withNewProjected().withDefaultMode(420)
            .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L)
            .endServiceAccountToken().endSource()
            .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt")
            .withPath("ca.crt").endItem().endConfigMap().endSource()
            .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef()
            .withApiVersion("v1").withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI()
            .endSource()
            .endProjected().build())
        .addToVolumes(new VolumeBuilder().withName("vault-token").withNewProjected()
            .addNewSource().withNewServiceAccountToken().withPath("vault").withAudience("vault")
            .withExpirationSeconds(7200L).endServiceAccountToken().endSource()
            .endProjected().build())
        .editFirstContainer().addNewVolumeMount().withName("kube-api-access-5xq2z").withMountPath(SA_PATH)
        .withReadOnly(true).endVolumeMount().endContainer()
        .endSpec());

    ResolvedPod resolved = resolved(pod);

    FileVolume access = (FileVolume) resolved.volumes().get("kube-api-access-5xq2z");
    assertThat(access.files()).extracting(VolumeFile::path, VolumeFile::mode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("token", 420), org.assertj.core.groups.Tuple.tuple("ca.crt", 420),
            org.assertj.core.groups.Tuple.tuple("namespace", 420));
    assertThat(new String(access.files().get(1).content(), StandardCharsets.UTF_8)).isEqualTo(ca);
    assertThat(new String(access.files().get(2).content(), StandardCharsets.UTF_8)).isEqualTo(namespace);
    String token = new String(access.files().get(0).content(), StandardCharsets.UTF_8);

    TokenReview review = client.authentication().v1().tokenReviews().create(
        new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    assertThat(review.getStatus().getAuthenticated()).isTrue();
    assertThat(review.getStatus().getUser().getUsername())
        .isEqualTo("system:serviceaccount:" + namespace + ":default");
    assertThat(review.getStatus().getUser().getExtra())
        .containsEntry("authentication.kubernetes.io/pod-name", List.of("token-pod"))
        .containsEntry("authentication.kubernetes.io/pod-uid", List.of(pod.getMetadata().getUid()));

    JsonNode claims = claims(token);
    assertThat(claims.path("kubernetes.io").path("namespace").stringValue()).isEqualTo(namespace);
    assertThat(claims.path("kubernetes.io").path("pod").path("name").stringValue()).isEqualTo("token-pod");
    assertThat(claims.path("kubernetes.io").path("pod").path("uid").stringValue())
        .isEqualTo(pod.getMetadata().getUid());
    assertThat(claims.path("kubernetes.io").path("serviceaccount").path("name").stringValue()).isEqualTo("default");
    long iat = claims.path("iat").longValue();
    // 3607 s as the kubelet asks; API servers may extend exactly this lifetime (then warnafter keeps the 3607).
    long lifetime = claims.path("kubernetes.io").has("warnafter")
        ? claims.path("kubernetes.io").path("warnafter").longValue() - iat
        : claims.path("exp").longValue() - iat;
    assertThat(lifetime).isEqualTo(3607);

    String vault = new String(((FileVolume) resolved.volumes().get("vault-token")).files().get(0).content(),
        StandardCharsets.UTF_8);
    JsonNode vaultClaims = claims(vault);
    assertThat(vaultClaims.path("aud").get(0).stringValue()).isEqualTo("vault");
    assertThat(vaultClaims.path("exp").longValue() - vaultClaims.path("iat").longValue()).isEqualTo(7200);
    TokenReview vaultReview = client.authentication().v1().tokenReviews().create(
        new TokenReviewBuilder().withNewSpec().withToken(vault).withAudiences("vault").endSpec().build());
    assertThat(vaultReview.getStatus().getAuthenticated()).isTrue();
    assertThat(vaultReview.getStatus().getAudiences()).containsExactly("vault");
  }

  @Test
  void claimBoundToAnNfsVolume() {
    String pvName = KubeControlPlane.uniqueName("nfs-pv");
    client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(pvName).endMetadata()
        .withNewSpec().addToCapacity("storage", new Quantity("10Gi")).withAccessModes("ReadWriteMany")
        .withPersistentVolumeReclaimPolicy("Retain").withStorageClassName("")
        .withNewNfs().withServer("nas-1.example.com").withPath("/share/data").endNfs()
        .withNewClaimRef().withNamespace(namespace).withName("data").endClaimRef()
        .endSpec().build()).create();
    try {
      client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
          .withNewMetadata().withName("data").endMetadata()
          .withNewSpec().withAccessModes("ReadWriteMany").withStorageClassName("").withVolumeName(pvName)
          .withNewResources().addToRequests("storage", new Quantity("10Gi")).endResources().endSpec()
          .build()).create();
      Pod pod = createPod("pvc-pod", b -> b.editSpec().withAutomountServiceAccountToken(false)
          .addToVolumes(new VolumeBuilder().withName("data").withNewPersistentVolumeClaim().withClaimName("data")
              .endPersistentVolumeClaim().build()).endSpec());
      // The PV controller binds the pair within moments.
      await().atMost(Duration.ofSeconds(30)).until(() ->
          "Bound".equals(client.persistentVolumeClaims().inNamespace(namespace).withName("data").get()
              .getStatus().getPhase()));
      await().atMost(Duration.ofSeconds(30)).until(() -> resolver.resolve(pod) instanceof Resolution.Resolved);

      BoundPersistentVolume bound = (BoundPersistentVolume) resolved(pod).volumes().get("data");
      assertThat(bound.claimName()).isEqualTo("data");
      assertThat(bound.readOnly()).isFalse();
      assertThat(bound.volume().getMetadata().getName()).isEqualTo(pvName);
      assertThat(bound.volume().getSpec().getNfs().getServer()).isEqualTo("nas-1.example.com");
      assertThat(bound.volume().getSpec().getNfs().getPath()).isEqualTo("/share/data");
    } finally {
      client.persistentVolumes().withName(pvName).delete();
    }
  }

  @Test
  void missingObjectsAreReportedNotThrown() {
    Pod pod = createPod("missing-pod", b -> b.editSpec().withAutomountServiceAccountToken(false)
        .addToImagePullSecrets(new io.fabric8.kubernetes.api.model.LocalObjectReference("no-regcred"))
        .editFirstContainer().addToEnv(new EnvVarBuilder().withName("X").withNewValueFrom().withNewConfigMapKeyRef()
            .withName("no-config").withKey("x").endConfigMapKeyRef().endValueFrom().build()).endContainer()
        .addToVolumes(new VolumeBuilder().withName("s").withNewSecret().withSecretName("no-secret").endSecret().build())
        .endSpec());

    Resolution r = resolver.resolve(pod);

    assertThat(r).isInstanceOf(Resolution.Waiting.class);
    assertThat(((Resolution.Waiting) r).missing()).extracting(MissingDependency::message)
        .containsExactly("configmap \"no-config\" not found", "secret \"no-secret\" not found");
    assertThat(r.events()).singleElement().satisfies(e -> assertThat(e.reason())
        .isEqualTo("FailedToRetrieveImagePullSecret"));
  }

  @Test
  void aReadTheAgentMayNotMakeIsAnAuthFailureNamingThePermission() {
    client.serviceAccounts().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
        .withNewMetadata().withName("powerless").endMetadata().build()).create();
    String token = client.serviceAccounts().inNamespace(namespace).withName("powerless").tokenRequest(
        new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
            .withExpirationSeconds(600L).endSpec().build()).getStatus().getToken();
    io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder(
        client.getConfiguration()).withOauthToken(token).build();
    try (KubernetesClient powerless = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config)
        .build()) {
      ApiServerReader reader = new ApiServerReader(powerless);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.configMap(namespace, "any"))
          .isInstanceOfSatisfying(io.ecivk.spi.errors.ProviderException.class, e -> {
            assertThat(e.category()).isEqualTo(io.ecivk.spi.errors.ErrorCategory.AUTH);
            assertThat(e.code()).isEqualTo("Forbidden");
            assertThat(e.getMessage()).isEqualTo("the API server refused to let the agent get configmaps \"any\" in"
                + " namespace " + namespace + " (HTTP 403): grant it this permission");
          });
    }
  }

  private static JsonNode claims(String jwt) {
    String payload = jwt.split("\\.")[1];
    return JsonMapper.builder().build().readTree(Base64.getUrlDecoder().decode(payload));
  }
}
