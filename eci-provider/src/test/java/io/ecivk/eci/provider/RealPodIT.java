package io.ecivk.eci.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerGroup;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerInfo;
import io.ecivk.eci.mapping.Fixtures;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.spi.CreateResult;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.ResolvedPod.FileVolume;
import io.ecivk.spi.ResolvedPod.RegistryCredential;
import io.ecivk.spi.ResolvedPod.VolumeFile;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Deployment pod copied from a current cluster (the default {@code kube-api-access-*} projected volume, env from a
 * ConfigMap and a Secret, envFrom, probes, preStop, an imagePullSecret, the restricted security context), resolved
 * as the framework resolves it, runs unchanged through {@link EciProvider} on the simulator, and the simulator holds
 * its env, token files and mounts.
 */
class RealPodIT {
  private static final String AK = "LTAI5tREALPODIT";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private ManualClock clock;
  private EciSimulator simulator;
  private TeaEciClient client;
  private EciProvider provider;

  @BeforeEach
  void start() {
    clock = new ManualClock(Instant.now());
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-j", "10.224.0.0/16").clock(clock).build();
    simulator.start();
    client = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    provider = new EciProvider(client, new EciProviderConfig("cluster-it", "virtual-kubelet-cn-hangzhou-j",
        List.of("vsw-a"), "sg-a", null, Duration.ofMillis(100), null, List.of("10.96.0.10"), "cluster.local"));
    provider.start();
  }

  @AfterEach
  void stop() {
    provider.close();
    simulator.close();
  }

  @Test
  void aDeploymentPodFromARealClusterRunsUnchanged() {
    Pod pod = Fixtures.pod("deployment-real");
    ResolvedPod resolved = new ResolvedPod(pod,
        Map.of("orders", List.of(literal("FLAG_FAST_CHECKOUT", "true"), literal("DB_HOST", "db.shop.svc"),
            literal("DB_PASSWORD", "s3cr3t"), fieldRef("POD_IP", "status.podIP"),
            literal("KUBERNETES_SERVICE_HOST", "10.96.0.1"), literal("KUBERNETES_SERVICE_PORT", "443"))),
        Map.of("kube-api-access-4hx9z", new FileVolume(List.of(
            file("token", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), file("ca.crt", "-----BEGIN CERTIFICATE-----\n"),
            file("namespace", "shop")))),
        List.of(new RegistryCredential("registry.cn-hangzhou.aliyuncs.com", "robot$shop", "pull-pw")));

    CreateResult created = provider.createPod(resolved);
    clock.advance(Duration.ofSeconds(3));

    assertThat(created.events()).extracting(ProviderEvent::reason)
        .containsExactly("SecurityContextNotEnforced", "MultiZoneRecommendations");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      PodStatus status = provider.getPodStatus(pod).orElseThrow();
      assertThat(status.getPhase()).isEqualTo("Running");
    });
    ContainerGroup group = client.describeContainerGroups(DescribeContainerGroupsRequest.byIds(List.of(
        created.annotations().get(EciProvider.INSTANCE_ID_ANNOTATION)))).containerGroups().get(0);
    ContainerInfo container = group.containers().get(0);
    assertThat(container.environmentVars()).extracting(v -> v.key() + "=" + (v.fieldPath() != null
        ? "<-" + v.fieldPath() : v.value())).containsExactly("FLAG_FAST_CHECKOUT=true", "DB_HOST=db.shop.svc",
        "DB_PASSWORD=s3cr3t", "POD_IP=<-status.podIP", "KUBERNETES_SERVICE_HOST=10.96.0.1",
        "KUBERNETES_SERVICE_PORT=443");
    assertThat(container.volumeMounts()).extracting(m -> m.name() + ":" + m.mountPath() + ":" + m.readOnly())
        .containsExactly("kube-api-access-4hx9z:/var/run/secrets/kubernetes.io/serviceaccount:true");
    assertThat(container.livenessProbe().httpGet().port()).isEqualTo(8080);
    assertThat(container.readinessProbe().tcpSocket().port()).isEqualTo(8080);
    assertThat(container.securityContext().runAsUser()).isEqualTo(10001L);
    assertThat(group.volumes()).singleElement().satisfies(v -> {
      assertThat(v.type()).isEqualTo("ConfigFileVolume");
      assertThat(v.configFileVolumeConfigFileToPaths()).extracting(f -> f.path() + "="
          + new String(Base64.getDecoder().decode(f.content()), StandardCharsets.UTF_8))
          .containsExactly("token=eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "ca.crt=-----BEGIN CERTIFICATE-----\n",
              "namespace=shop");
    });
    assertThat(group.dnsConfig().searches()).containsExactly("shop.svc.cluster.local", "svc.cluster.local",
        "cluster.local");
  }

  private static EnvVar literal(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fieldRef(String name, String path) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path).endFieldRef()
        .endValueFrom().build();
  }

  private static VolumeFile file(String path, String text) {
    return new VolumeFile(path, text.getBytes(StandardCharsets.UTF_8), 0644);
  }
}
