package io.ecivk.eci.client;

import io.ecivk.testkit.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.client.model.Container;
import io.ecivk.eci.client.model.ContainerPort;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.DeleteContainerGroupRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse.ContainerGroupStatus;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerGroup;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.Event;
import io.ecivk.eci.client.model.DescribeRegionsRequest;
import io.ecivk.eci.client.model.EnvironmentVar;
import io.ecivk.eci.client.model.Tag;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The typed client against the ECI simulator over loopback, with real ACS3 signing: every action the provider
 * uses, the paging contracts, idempotency, and each error category the classifier produces from a real answer.
 */
class EciClientConformanceIT {
  private static final String REGION = "cn-hangzhou";
  private static final String AK = "LTAI5tCONFORMANCE";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private ManualClock clock;
  private EciSimulator simulator;
  private TeaEciClient client;

  @BeforeEach
  void start() {
    clock = new ManualClock(Instant.now());
    simulator =
        EciSimulator.builder()
            .port(0)
            .region(REGION)
            .accessKey(AK, SECRET)
            .stsAccessKey("STS.CONFORMANCE", "stsSecret", "FAKE-STS-TOKEN")
            .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16")
            .vswitch("vsw-b", "cn-hangzhou-j", "10.225.0.0/16")
            .schedulingDuration(Duration.ofSeconds(1))
            .pendingDuration(Duration.ofSeconds(2))
            .terminatingDuration(Duration.ofSeconds(1))
            .clock(clock)
            .build();
    simulator.start();
    client = clientWith(EciCredentials.accessKey(AK, SECRET));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void createdGroupGoesToRunningWithAnIpFromItsVSwitchAndRecordsEvents() {
    String id = client.createContainerGroup(nginx("web-1", "token-web-1")).containerGroupId();

    assertThat(id).matches("eci-[a-z0-9]{20}");
    assertThat(describe(id).status()).isEqualTo("Scheduling");
    clock.advance(Duration.ofSeconds(1));
    assertThat(describe(id).status()).isEqualTo("Pending");
    clock.advance(Duration.ofSeconds(2));

    ContainerGroup group = describe(id);
    assertThat(group.status()).isEqualTo("Running");
    assertThat(group.containerGroupName()).isEqualTo("web-1");
    assertThat(group.zoneId()).isEqualTo("cn-hangzhou-i");
    assertThat(group.vSwitchId()).isEqualTo("vsw-a");
    assertThat(group.intranetIp()).startsWith("10.224.");
    assertThat(group.cpu()).isEqualTo(1.0f);
    assertThat(group.memory()).isEqualTo(2.0f);
    assertThat(group.tags()).contains(new Tag("PodUID", "uid-web-1"));
    assertThat(group.containers()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("nginx");
      assertThat(c.image()).isEqualTo("nginx:1.25");
      assertThat(c.ready()).isTrue();
      assertThat(c.currentState().state()).isEqualTo("Running");
      assertThat(c.ports()).extracting(p -> p.port()).containsExactly(80);
    });
    assertThat(group.events()).extracting(Event::reason).contains("Scheduled", "Pulling", "Pulled", "Created", "Started");

    ContainerGroupStatus status = client.describeContainerGroupStatus(
        DescribeContainerGroupStatusRequest.byIds(List.of(id))).data().get(0);
    assertThat(status.podStatus().phase()).isEqualTo("Running");
    assertThat(status.podStatus().podIp()).isEqualTo(group.intranetIp());
  }

  @Test
  void unroundedSmallSpecIsRoundedUpWithAnAutoInstanceTypeMatchEvent() {
    CreateContainerGroupRequest request =
        CreateContainerGroupRequest.builder("odd-size")
            .securityGroupId("sg-a")
            .vSwitchIds(List.of("vsw-a"))
            .containers(List.of(Container.builder("app", "busybox").cpu(1.5f).memory(3.0f).build()))
            .build();

    ContainerGroup group = describe(client.createContainerGroup(request).containerGroupId());

    assertThat(group.cpu()).isEqualTo(2.0f);
    assertThat(group.memory()).isEqualTo(4.0f);
    assertThat(group.events())
        .filteredOn(e -> "AutoInstanceTypeMatch".equals(e.reason()))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.type()).isEqualTo("Normal");
          assertThat(e.message()).isEqualTo("The most-matched instanceType for current eci instance is 2.0-4.0Gi");
        });
  }

  @Test
  void describePagesThroughEveryGroupOnceInPagesOfTheLimit() {
    Set<String> created = new TreeSet<>();
    for (int i = 0; i < 25; i++) {
      created.add(client.createContainerGroup(nginx("page-" + i, "token-page-" + i)).containerGroupId());
    }
    client.createContainerGroup(
        CreateContainerGroupRequest.builder("other").securityGroupId("sg-a").vSwitchIds(List.of("vsw-a"))
            .tags(List.of(new Tag("Cluster", "someone-else")))
            .containers(List.of(Container.builder("c", "busybox").build())).build());

    List<Integer> pageSizes = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    var request = DescribeContainerGroupsRequest.byTags(List.of(new Tag("Cluster", "c-conformance")), 10);
    while (true) {
      var page = client.describeContainerGroups(request);
      assertThat(page.totalCount()).isEqualTo(25);
      pageSizes.add(page.containerGroups().size());
      page.containerGroups().forEach(g -> seen.add(g.containerGroupId()));
      if (!page.hasNextPage()) {
        break;
      }
      request = request.withNextToken(page.nextToken());
    }

    assertThat(pageSizes).containsExactly(10, 10, 5);
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(new TreeSet<>(seen)).isEqualTo(created);
  }

  @Test
  void limitAboveTwentyIsRefused() {
    assertThatThrownBy(() -> client.describeContainerGroups(
            DescribeContainerGroupsRequest.byTags(List.of(new Tag("Cluster", "c-conformance")), 21)))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
          assertThat(e.code()).isEqualTo("InvalidParameter");
        });
  }

  @Test
  void statusSinceSecondReturnsOnlyRecentlyChangedGroups() {
    String old = client.createContainerGroup(nginx("old", "token-old")).containerGroupId();
    clock.advance(Duration.ofSeconds(60)); // old: Scheduling -> Pending -> Running long ago
    String fresh = client.createContainerGroup(nginx("fresh", "token-fresh")).containerGroupId();
    clock.advance(Duration.ofSeconds(1)); // fresh: Scheduling -> Pending just now

    var all = client.describeContainerGroupStatus(
        DescribeContainerGroupStatusRequest.byTags(List.of(new Tag("Cluster", "c-conformance")), null, 200));
    var recent = client.describeContainerGroupStatus(
        DescribeContainerGroupStatusRequest.byTags(List.of(new Tag("Cluster", "c-conformance")), 10, 200));

    assertThat(all.data()).extracting(ContainerGroupStatus::containerGroupId).containsExactlyInAnyOrder(old, fresh);
    assertThat(recent.data()).extracting(ContainerGroupStatus::containerGroupId).containsExactly(fresh);
    assertThat(recent.data().get(0).status()).isEqualTo("Pending");
    assertThat(recent.data().get(0).podStatus().phase()).isEqualTo("Pending");
  }

  @Test
  void deleteTerminatesThenRemovesAndASecondDeleteIsNotFound() {
    String id = client.createContainerGroup(nginx("doomed", "token-doomed")).containerGroupId();
    clock.advance(Duration.ofSeconds(3));

    client.deleteContainerGroup(DeleteContainerGroupRequest.of(id));
    assertThat(describe(id).status()).isEqualTo("Terminating");
    clock.advance(Duration.ofSeconds(1));

    assertThat(client.describeContainerGroups(DescribeContainerGroupsRequest.byIds(List.of(id))).containerGroups())
        .isEmpty();
    assertThatThrownBy(() -> client.deleteContainerGroup(DeleteContainerGroupRequest.of(id)))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.NOT_FOUND);
          assertThat(e.requestId()).isPresent();
        });
  }

  @Test
  void clientTokenReplayReturnsTheSameGroupAndAMismatchIsRefused() {
    String first = client.createContainerGroup(nginx("idem", "token-idem")).containerGroupId();
    String replay = client.createContainerGroup(nginx("idem", "token-idem")).containerGroupId();

    assertThat(replay).isEqualTo(first);
    assertThat(simulator.containerGroupCount()).isEqualTo(1);
    assertThatThrownBy(() -> client.createContainerGroup(nginx("idem-other-name", "token-idem")))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
          assertThat(e.code()).isEqualTo("IdempotentParameterMismatch");
        });
    assertThat(simulator.containerGroupCount()).isEqualTo(1);
  }

  @Test
  void wrongSecretIsAnAuthFailure() {
    TeaEciClient wrong = clientWith(EciCredentials.accessKey(AK, "not-the-secret"));

    assertThatThrownBy(() -> wrong.describeRegions(new DescribeRegionsRequest()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.AUTH);
          assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
          assertThat(e.getMessage()).doesNotContain("not-the-secret");
        });
  }

  @Test
  void unknownAccessKeyIsAnAuthFailure() {
    TeaEciClient unknown = clientWith(EciCredentials.accessKey("LTAI5tUNKNOWN", SECRET));

    assertThatThrownBy(() -> unknown.describeRegions(new DescribeRegionsRequest()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.AUTH);
          assertThat(e.code()).isEqualTo("InvalidAccessKeyId.NotFound");
        });
  }

  @Test
  void stsCredentialsAreAccepted() {
    TeaEciClient sts = clientWith(EciCredentials.sts("STS.CONFORMANCE", "stsSecret", "FAKE-STS-TOKEN"));
    TeaEciClient wrongToken = clientWith(EciCredentials.sts("STS.CONFORMANCE", "stsSecret", "OTHER-TOKEN"));

    var regions = sts.describeRegions(new DescribeRegionsRequest());

    assertThat(regions.regions()).singleElement().satisfies(r -> {
      assertThat(r.regionId()).isEqualTo(REGION);
      assertThat(r.zones()).containsExactlyInAnyOrder("cn-hangzhou-i", "cn-hangzhou-j");
    });
    assertThatThrownBy(() -> wrongToken.describeRegions(new DescribeRegionsRequest()))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.AUTH));
  }

  @Test
  void missingParameterIsAnInvalidRequestNamingTheParameter() {
    CreateContainerGroupRequest noSecurityGroup =
        CreateContainerGroupRequest.builder("no-sg")
            .vSwitchIds(List.of("vsw-a"))
            .containers(List.of(Container.builder("c", "busybox").build()))
            .build();

    assertThatThrownBy(() -> client.createContainerGroup(noSecurityGroup))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
          assertThat(e.code()).isEqualTo("MissingParameter");
          assertThat(e.getMessage()).contains("SecurityGroupId");
        });
    assertThat(simulator.containerGroupCount()).isZero();
  }

  @Test
  void specAboveFourVcpuThatIsNotInTheTableIsRefused() {
    CreateContainerGroupRequest sevenCpus =
        CreateContainerGroupRequest.builder("too-odd")
            .securityGroupId("sg-a")
            .vSwitchIds(List.of("vsw-a"))
            .cpu(7.0f)
            .memory(13.0f)
            .containers(List.of(Container.builder("c", "busybox").build()))
            .build();

    assertThatThrownBy(() -> client.createContainerGroup(sevenCpus))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
          assertThat(e.code()).startsWith("InvalidParameter");
        });
    assertThat(simulator.containerGroupCount()).isZero();
  }

  @Test
  void unreachableEndpointIsTransient() {
    int port = simulator.port();
    simulator.close();
    TeaEciClient closed =
        new TeaEciClient(EciClientConfig.of(URI.create("http://127.0.0.1:" + port), REGION,
            EciCredentials.accessKey(AK, SECRET)));

    assertThatThrownBy(() -> closed.describeRegions(new DescribeRegionsRequest()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.TRANSIENT);
          assertThat(e.code()).isEqualTo("ConnectionFailure");
        });
  }

  private TeaEciClient clientWith(EciCredentials credentials) {
    return new TeaEciClient(
        new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()), REGION, credentials,
            Duration.ofSeconds(2), Duration.ofSeconds(10)));
  }

  private ContainerGroup describe(String id) {
    return client.describeContainerGroups(DescribeContainerGroupsRequest.byIds(List.of(id)))
        .containerGroups().get(0);
  }

  private static CreateContainerGroupRequest nginx(String name, String token) {
    return CreateContainerGroupRequest.builder(name)
        .securityGroupId("sg-a")
        .vSwitchIds(List.of("vsw-a", "vsw-b"))
        .restartPolicy("Always")
        .clientToken(token)
        .tags(List.of(new Tag("Cluster", "c-conformance"), new Tag("PodUID", "uid-" + name)))
        .containers(List.of(
            Container.builder("nginx", "nginx:1.25")
                .cpu(1.0f)
                .memory(2.0f)
                .environmentVars(List.of(EnvironmentVar.literal("GREETING", "hello world")))
                .ports(List.of(new ContainerPort(80, "TCP")))
                .build()))
        .build();
  }
}
