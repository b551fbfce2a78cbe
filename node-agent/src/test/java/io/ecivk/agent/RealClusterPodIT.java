package io.ecivk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerGroup;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerInfo;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.testkit.KubeControlPlane;
import io.ecivk.testkit.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 4's acceptance test, end to end: a Deployment pod as a current API server stores it (the default
 * {@code kube-api-access-*} projected volume, env from a ConfigMap and a Secret, envFrom, probes, preStop, an
 * imagePullSecret, the restricted security context; the fixture eci-provider's mapping tests use) is created
 * unchanged (but for its namespace, node and owner) on the real control plane, bound to the virtual node, and runs
 * on the ECI simulator; what the simulator stored is what the kubelet would have given the container: the
 * resolved env, a service-account token the API server accepts for this very pod, the cluster CA and namespace.
 */
@ExtendWith(KubeControlPlaneExtension.class)
class RealClusterPodIT {
  private static final String AK = "LTAI5tREALCLUSTER";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret22";
  private static final Path FIXTURE =
      Path.of("..", "eci-provider", "src", "test", "resources", "fixtures", "pods", "deployment-real.yaml");

  private KubernetesClient client;
  private String namespace;
  private EciSimulator simulator;
  private TeaEciClient eci;
  private Agent agent;

  @BeforeEach
  void start(KubeControlPlane controlPlane) throws Exception {
    client = controlPlane.client();
    namespace = controlPlane.createNamespace("realpod");
    String zone = "cn-hangzhou-" + UUID.randomUUID().toString().substring(0, 8);
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", zone, "10.224.0.0/16").build();
    simulator.start();
    URI endpoint = URI.create("http://127.0.0.1:" + simulator.port());
    eci = new TeaEciClient(EciClientConfig.of(endpoint, "cn-hangzhou", EciCredentials.accessKey(AK, SECRET)));
    AgentConfig config = TestAgentConfigs.onSimulator(zone, endpoint, AK, SECRET)
        .clusterDns(List.of("10.96.0.10")).build();
    agent = Agent.start(config, Config.fromKubeconfig(Files.readString(controlPlane.kubeconfig())));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
      client.nodes().withName(agent.nodeName()).delete();
    }
    simulator.close();
  }

  @Test
  void aDeploymentPodFromACurrentClusterRunsUnchanged() throws Exception {
    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("orders-config").endMetadata().addToData("db.host", "db.shop.svc").build()).create();
    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("orders-flags").endMetadata().addToData("FAST_CHECKOUT", "true").build()).create();
    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("orders-db")
        .endMetadata().addToStringData("password", "s3cr3t").build()).create();
    String dockerConfig = "{\"auths\":{\"registry.cn-hangzhou.aliyuncs.com\":{\"username\":\"robot$shop\","
        + "\"password\":\"pull-pw\"}}}";
    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("acr-pull")
        .endMetadata().withType("kubernetes.io/dockerconfigjson")
        .addToStringData(".dockerconfigjson", dockerConfig).build()).create();
    // The controller-manager publishes the cluster CA into every namespace.
    ConfigMap rootCa = await().atMost(Duration.ofSeconds(30)).until(
        () -> client.configMaps().inNamespace(namespace).withName("kube-root-ca.crt").get(), cm -> cm != null);

    Pod fromCluster = Serialization.unmarshal(Files.readString(FIXTURE), Pod.class);
    Pod pod = new PodBuilder(fromCluster)
        .editMetadata().withNamespace(namespace).withUid(null).withOwnerReferences(List.of()).endMetadata()
        .editSpec().withNodeName(agent.nodeName()).endSpec()
        .withStatus(null)
        .build();
    Pod created = client.pods().inNamespace(namespace).resource(pod).create();
    String name = created.getMetadata().getName();

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Pod current = client.pods().inNamespace(namespace).withName(name).get();
      assertThat(current.getStatus().getPhase()).isEqualTo("Running");
      assertThat(current.getMetadata().getAnnotations()).containsKey("k8s.aliyun.com/eci-instance-id");
    });
    String groupId = client.pods().inNamespace(namespace).withName(name).get().getMetadata().getAnnotations()
        .get("k8s.aliyun.com/eci-instance-id");
    ContainerGroup group =
        eci.describeContainerGroups(DescribeContainerGroupsRequest.byIds(List.of(groupId))).containerGroups().get(0);
    ContainerInfo container = group.containers().get(0);

    Map<String, String> env = container.environmentVars().stream().collect(Collectors.toMap(v -> v.key(),
        v -> v.fieldPath() != null ? "<-" + v.fieldPath() : v.value(), (a, b) -> b));
    assertThat(env)
        .containsEntry("DB_HOST", "db.shop.svc")
        .containsEntry("DB_PASSWORD", "s3cr3t")
        .containsEntry("FLAG_FAST_CHECKOUT", "true")
        .containsEntry("POD_IP", "<-status.podIP")
        .containsEntry("KUBERNETES_SERVICE_PORT", "443")
        .containsKey("KUBERNETES_SERVICE_HOST");
    assertThat(container.args()).containsExactly("--port=8080");
    assertThat(container.livenessProbe().httpGet().port()).isEqualTo(8080);
    assertThat(container.readinessProbe().tcpSocket().port()).isEqualTo(8080);

    String apiAccessVolume = fromCluster.getSpec().getVolumes().get(0).getName();
    Map<String, String> files = group.volumes().stream().filter(v -> apiAccessVolume.equals(v.name()))
        .findFirst().orElseThrow().configFileVolumeConfigFileToPaths().stream()
        .collect(Collectors.toMap(f -> f.path(),
            f -> new String(Base64.getDecoder().decode(f.content()), StandardCharsets.UTF_8)));
    assertThat(files).containsOnlyKeys("token", "ca.crt", "namespace");
    assertThat(files.get("namespace")).isEqualTo(namespace);
    assertThat(files.get("ca.crt")).isEqualTo(rootCa.getData().get("ca.crt"));
    TokenReview review = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
        .withNewSpec().withToken(files.get("token")).endSpec().build());
    assertThat(review.getStatus().getAuthenticated()).isTrue();
    assertThat(review.getStatus().getUser().getUsername())
        .isEqualTo("system:serviceaccount:" + namespace + ":default");
    assertThat(review.getStatus().getUser().getExtra())
        .containsEntry("authentication.kubernetes.io/pod-name", List.of(name))
        .containsEntry("authentication.kubernetes.io/pod-uid", List.of(created.getMetadata().getUid()));
    assertThat(group.dnsConfig().nameServers()).containsExactly("10.96.0.10");
    assertThat(group.dnsConfig().searches())
        .containsExactly(namespace + ".svc.cluster.local", "svc.cluster.local", "cluster.local");

    client.pods().inNamespace(namespace).withName(name).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> simulator.containerGroupCount() == 0);
  }
}
