package io.ecivk.eci.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.client.model.Container;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsResponse.Event;
import io.ecivk.eci.client.model.Tag;
import io.ecivk.eci.client.model.UpdateContainerGroupRequest;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.testkit.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DescribeContainerGroupEvents through the real SDK transport and signing, against the simulator. */
class EventsConformanceIT {
  private static final String AK = "LTAI5tEVENTSCONF";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";
  private static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private ManualClock clock;
  private EciSimulator simulator;
  private TeaEciClient client;

  @BeforeEach
  void start() {
    clock = new ManualClock(START);
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16")
        .schedulingDuration(Duration.ofSeconds(1)).pendingDuration(Duration.ofSeconds(2)).clock(clock).build();
    simulator.start();
    client = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(10)));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private String create(String name, String node) {
    return client.createContainerGroup(CreateContainerGroupRequest.builder(name)
        .securityGroupId("sg-a").vSwitchIds(List.of("vsw-a")).restartPolicy("Always")
        .tags(List.of(new Tag("node", node), new Tag("PodName", name), new Tag("PodNamespace", "default"),
            new Tag("PodUID", "uid-" + name)))
        .containers(List.of(Container.builder("app", "nginx:1.25").cpu(1.0f).memory(2.0f).build()))
        .build()).containerGroupId();
  }

  private static Event byReason(DescribeContainerGroupEventsResponse.GroupEvents group, String reason) {
    return group.events().stream().filter(e -> reason.equals(e.reason())).findFirst().orElseThrow();
  }

  @Test
  void eventsOfTaggedGroupsAreAnsweredAggregatedWithEveryDocumentedField() {
    String id = create("web", "vk-1");
    create("other", "vk-2");
    clock.advance(Duration.ofSeconds(5));
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofSeconds(10));
      client.updateContainerGroup(UpdateContainerGroupRequest.builder(id).restartPolicy("OnFailure").build());
    }

    DescribeContainerGroupEventsResponse answer = client.describeContainerGroupEvents(
        DescribeContainerGroupEventsRequest.builder().tag("node", "vk-1").build());

    assertThat(answer.requestId()).isNotBlank();
    assertThat(answer.totalCount()).isEqualTo(1);
    assertThat(answer.hasNextPage()).isFalse();
    var group = answer.data().get(0);
    assertThat(group.containerGroupId()).isEqualTo(id);
    assertThat(group.name()).isEqualTo("web");
    assertThat(group.namespace()).isEqualTo("default");
    assertThat(group.uuid()).isEqualTo("uid-web");
    assertThat(group.events()).extracting(Event::reason)
        .containsExactly("Scheduled", "Pulling", "Pulled", "Created", "Started", "Updated");
    Event updated = byReason(group, "Updated");
    assertThat(updated.count()).isEqualTo(2);
    assertThat(updated.type()).isEqualTo("Normal");
    assertThat(updated.message()).isEqualTo("Container group " + id + " updated");
    assertThat(updated.firstTimestamp()).isEqualTo(START.plusSeconds(15));
    assertThat(updated.lastTimestamp()).isEqualTo(START.plusSeconds(25));
    assertThat(updated.reportingComponent()).isEqualTo("eci");
    assertThat(updated.source().component()).isEqualTo("eci");
    assertThat(updated.metadata().namespace()).isEqualTo("default");
    assertThat(updated.involvedObject().kind()).isEqualTo("Pod");
    assertThat(updated.involvedObject().uid()).isEqualTo("uid-web");
  }

  @Test
  void sinceSecondIdsAndPagingSelectWhatTheDocsSay() {
    String a = create("aa", "vk-1");
    String b = create("bb", "vk-1");
    clock.advance(Duration.ofSeconds(30));
    client.updateContainerGroup(UpdateContainerGroupRequest.builder(b).restartPolicy("OnFailure").build());
    clock.advance(Duration.ofSeconds(1));

    var recent = client.describeContainerGroupEvents(
        DescribeContainerGroupEventsRequest.builder().tag("node", "vk-1").sinceSecond(10).build());
    assertThat(recent.data()).singleElement().satisfies(g -> {
      assertThat(g.containerGroupId()).isEqualTo(b);
      assertThat(g.events()).extracting(Event::reason).containsExactly("Updated");
    });

    var byId = client.describeContainerGroupEvents(DescribeContainerGroupEventsRequest.builder()
        .containerGroupIds(List.of(a)).eventSource(DescribeContainerGroupEventsRequest.ECI_SERVICE).build());
    assertThat(byId.data()).extracting(g -> g.containerGroupId()).containsExactly(a);

    var first = client.describeContainerGroupEvents(
        DescribeContainerGroupEventsRequest.builder().tag("node", "vk-1").limit(1).build());
    assertThat(first.data()).extracting(g -> g.containerGroupId()).containsExactly(a);
    var second = client.describeContainerGroupEvents(
        DescribeContainerGroupEventsRequest.builder().tag("node", "vk-1").limit(1).build()
            .withNextToken(first.nextToken()));
    assertThat(second.data()).extracting(g -> g.containerGroupId()).containsExactly(b);
    assertThat(second.hasNextPage()).isFalse();
  }

  @Test
  void anUnknownEventSourceIsAnInvalidRequest() {
    assertThatThrownBy(() -> client.describeContainerGroupEvents(
        DescribeContainerGroupEventsRequest.builder().eventSource("Kubelet").build()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
          assertThat(e.code()).isEqualTo("InvalidParameter");
        });
  }
}
