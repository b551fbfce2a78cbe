package io.ecivk.eci.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.client.model.ConfigFileToPath;
import io.ecivk.eci.client.model.Container;
import io.ecivk.eci.client.model.ContainerPort;
import io.ecivk.eci.client.model.ContainerSecurityContext;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerGroup;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerInfo;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.VolumeInfo;
import io.ecivk.eci.client.model.DnsConfig;
import io.ecivk.eci.client.model.EnvironmentVar;
import io.ecivk.eci.client.model.HostAlias;
import io.ecivk.eci.client.model.ImageRegistryCredential;
import io.ecivk.eci.client.model.LifecycleHandler;
import io.ecivk.eci.client.model.Probe;
import io.ecivk.eci.client.model.Sysctl;
import io.ecivk.eci.client.model.UpdateContainerGroupRequest;
import io.ecivk.eci.client.model.Volume;
import io.ecivk.eci.client.model.VolumeMount;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.testkit.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pod-level fields through the real client to the simulator and back: what the typed client sends is what
 * the simulator stores and echoes under the official response keys, so the two sides agree on every name.
 */
class PodFieldsConformanceIT {
  private static final String AK = "LTAI5tFIELDS";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private ManualClock clock;
  private EciSimulator simulator;
  private TeaEciClient client;

  @BeforeEach
  void start() {
    clock = new ManualClock(Instant.now());
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16").clock(clock).build();
    simulator.start();
    client = new TeaEciClient(EciClientConfig.of(URI.create("http://127.0.0.1:" + simulator.port()), "cn-hangzhou",
        EciCredentials.accessKey(AK, SECRET)));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void everyPodFieldIsStoredAndEchoedUnderTheOfficialKeys() {
    String id = client.createContainerGroup(kitchenSink()).containerGroupId();

    ContainerGroup group = describe(id);
    assertThat(group.spotStrategy()).isEqualTo("SpotWithPriceLimit");
    assertThat(group.spotPriceLimit()).isEqualTo(0.5);
    assertThat(group.ephemeralStorage()).isEqualTo(50);
    assertThat(group.ramRoleName()).isEqualTo("AliyunECIContainerGroupRole");
    assertThat(group.computeCategory()).isEqualTo("general");
    assertThat(group.dnsPolicy()).isEqualTo("None");
    assertThat(group.dnsConfig().nameServers()).containsExactly("10.96.0.10");
    assertThat(group.dnsConfig().searches()).containsExactly("default.svc.cluster.local", "svc.cluster.local",
        "cluster.local");
    assertThat(group.dnsConfig().options()).singleElement().satisfies(o -> {
      assertThat(o.name()).isEqualTo("ndots");
      assertThat(o.value()).isEqualTo("5");
    });
    assertThat(group.hostAliases()).singleElement().satisfies(h -> {
      assertThat(h.ip()).isEqualTo("10.0.0.9");
      assertThat(h.hostnames()).containsExactly("db", "db.local");
    });
    assertThat(group.eciSecurityContext().sysctls()).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("net.core.somaxconn");
      assertThat(s.value()).isEqualTo("1024");
    });
    assertThat(group.volumes()).extracting(VolumeInfo::name, VolumeInfo::type).containsExactly(
        org.assertj.core.groups.Tuple.tuple("cache", "EmptyDirVolume"),
        org.assertj.core.groups.Tuple.tuple("config", "ConfigFileVolume"),
        org.assertj.core.groups.Tuple.tuple("share", "NFSVolume"));
    assertThat(group.volumes().get(0).emptyDirVolumeMedium()).isEqualTo("Memory");
    assertThat(group.volumes().get(1).configFileVolumeConfigFileToPaths()).singleElement().satisfies(f -> {
      assertThat(f.path()).isEqualTo("app.conf");
      assertThat(f.content()).isEqualTo("bGlzdGVuIDgw"); // base64 of "listen 80"
    });
    assertThat(group.volumes().get(2).nfsVolumeServer()).isEqualTo("nas.example");
    assertThat(group.volumes().get(2).nfsVolumePath()).isEqualTo("/share");
    assertThat(group.volumes().get(2).nfsVolumeReadOnly()).isTrue();

    ContainerInfo web = group.containers().get(0);
    assertThat(web.environmentVars()).extracting(e -> e.key() + "=" + e.value()
            + (e.valueFrom() == null || e.valueFrom().fieldRef() == null ? "" : " from " + e.valueFrom().fieldRef().fieldPath()))
        .containsExactly("MODE=prod", "POD_IP= from status.podIP");
    assertThat(web.volumeMounts()).extracting(m -> m.name() + ":" + m.mountPath() + ":" + m.readOnly() + ":" + m.subPath())
        .containsExactly("config:/etc/app:true:", "cache:/cache:false:web");
    assertThat(web.readinessProbe().httpGet().path()).isEqualTo("/healthz");
    assertThat(web.readinessProbe().httpGet().port()).isEqualTo(8080);
    assertThat(web.readinessProbe().periodSeconds()).isEqualTo(5);
    assertThat(web.livenessProbe().tcpSocket().port()).isEqualTo(8080);
    assertThat(web.securityContext().capability().adds()).containsExactly("NET_ADMIN");
    assertThat(web.securityContext().readOnlyRootFilesystem()).isTrue();
    assertThat(web.securityContext().runAsUser()).isEqualTo(1000L);
    assertThat(web.stdin()).isTrue();
    assertThat(web.tty()).isTrue();
    assertThat(group.initContainers()).singleElement().satisfies(i -> {
      assertThat(i.name()).isEqualTo("migrate");
      assertThat(i.commands()).containsExactly("/bin/migrate");
    });
  }

  @Test
  void incrementalUpdatePassesThroughUpdatingAndKeepsWhatItDidNotName() {
    String id = client.createContainerGroup(kitchenSink()).containerGroupId();
    clock.advance(Duration.ofSeconds(5));

    client.updateContainerGroup(UpdateContainerGroupRequest.builder(id)
        .updateType(UpdateContainerGroupRequest.INCREMENTAL_UPDATE)
        .containers(List.of(Container.builder("web", "nginx:1.26").build()))
        .build());

    assertThat(describe(id).status()).isEqualTo("Updating");
    clock.advance(Duration.ofSeconds(2));
    ContainerGroup group = describe(id);
    assertThat(group.status()).isEqualTo("Running");
    assertThat(group.containers().get(0).image()).isEqualTo("nginx:1.26");
    assertThat(group.containers().get(0).volumeMounts()).hasSize(2); // not named in the update: kept
    assertThat(group.events()).extracting(e -> e.reason()).contains("Updated");
  }

  @Test
  void aMountOfAnUndeclaredVolumeIsRefusedNamingTheParameter() {
    CreateContainerGroupRequest request = CreateContainerGroupRequest.builder("bad-mount")
        .securityGroupId("sg-a").vSwitchIds(List.of("vsw-a"))
        .containers(List.of(Container.builder("web", "nginx").volumeMounts(List.of(VolumeMount.of("nope", "/x", false)))
            .build()))
        .build();

    assertThatThrownBy(() -> client.createContainerGroup(request)).isInstanceOfSatisfying(ProviderException.class, e -> {
      assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
      assertThat(e.getMessage()).contains("Container.1.VolumeMount.1.Name");
    });
  }

  private ContainerGroup describe(String id) {
    return client.describeContainerGroups(DescribeContainerGroupsRequest.byIds(List.of(id))).containerGroups().get(0);
  }

  private static CreateContainerGroupRequest kitchenSink() {
    Container web = Container.builder("web", "nginx:1.25")
        .cpu(1.0f).memory(2.0f)
        .environmentVars(List.of(EnvironmentVar.literal("MODE", "prod"), EnvironmentVar.fieldRef("POD_IP", "status.podIP")))
        .ports(List.of(new ContainerPort(8080, "TCP")))
        .volumeMounts(List.of(VolumeMount.of("config", "/etc/app", true), new VolumeMount("cache", "/cache", false, "web", null)))
        .readinessProbe(Probe.httpGet("/healthz", 8080, "HTTP").withTiming(1, 5, 2, 1, 3))
        .livenessProbe(Probe.tcpSocket(8080))
        .securityContext(new ContainerSecurityContext(List.of("NET_ADMIN"), true, 1000L, 1000L, true))
        .preStop(LifecycleHandler.exec(List.of("/bin/sh", "-c", "sleep 5")))
        .stdin(true).tty(true)
        .build();
    Container migrate = Container.builder("migrate", "app:1").commands(List.of("/bin/migrate")).build();
    return CreateContainerGroupRequest.builder("kitchen-sink")
        .securityGroupId("sg-a").vSwitchIds(List.of("vsw-a")).clientToken("kitchen-sink-1")
        .containers(List.of(web)).initContainers(List.of(migrate))
        .volumes(List.of(
            Volume.emptyDir("cache", "Memory", "256Mi"),
            Volume.configFile("config", 420, List.of(ConfigFileToPath.ofText("app.conf", "listen 80", null))),
            Volume.nfs("share", "nas.example", "/share", true)))
        .spotStrategy("SpotWithPriceLimit").spotPriceLimit(0.5f)
        .ephemeralStorage(50)
        .ramRoleName("AliyunECIContainerGroupRole")
        .computeCategories(List.of("general"))
        .terminationGracePeriodSeconds(30L)
        .dnsPolicy("None")
        .dnsConfig(new DnsConfig(List.of("10.96.0.10"),
            List.of("default.svc.cluster.local", "svc.cluster.local", "cluster.local"),
            List.of(new DnsConfig.Option("ndots", "5"))))
        .hostAliases(List.of(new HostAlias("10.0.0.9", List.of("db", "db.local"))))
        .sysctls(List.of(new Sysctl("net.core.somaxconn", "1024")))
        .imageRegistryCredentials(List.of(new ImageRegistryCredential("registry.example", "robot", "s3cret")))
        .build();
  }
}
