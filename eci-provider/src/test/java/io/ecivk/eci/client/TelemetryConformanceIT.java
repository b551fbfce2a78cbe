package io.ecivk.eci.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.client.model.Container;
import io.ecivk.eci.client.model.ContainerGroupMetricRecord;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupMetricRequest;
import io.ecivk.eci.client.model.DescribeContainerLogRequest;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricRequest;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricResponse.MonitorData;
import io.ecivk.eci.client.model.EnvironmentVar;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.eci.mock.telemetry.MetricsBook;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.testkit.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DescribeContainerLog, DescribeContainerGroupMetric and DescribeMultiContainerGroupMetric through the typed client
 * (tea-openapi, ACS3 signing) against the simulator over loopback. Groups run 3 s after creation, at {@code T}.
 */
class TelemetryConformanceIT {
  private static final String REGION = "cn-hangzhou";
  private static final String AK = "LTAI5tTELEMETRY";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private ManualClock clock;
  private EciSimulator simulator;
  private TeaEciClient client;
  private Instant t0;

  @BeforeEach
  void start() {
    t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    clock = new ManualClock(t0);
    simulator = EciSimulator.builder()
        .port(0)
        .region(REGION)
        .accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16")
        .schedulingDuration(Duration.ofSeconds(1))
        .pendingDuration(Duration.ofSeconds(2))
        .clock(clock)
        .build();
    simulator.start();
    client = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()), REGION,
        EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(10)));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private Instant running() {
    return t0.plusSeconds(3);
  }

  private String create(String name, List<Container> containers) {
    return client.createContainerGroup(CreateContainerGroupRequest.builder(name)
        .securityGroupId("sg-a")
        .vSwitchIds(List.of("vsw-a"))
        .restartPolicy("Always")
        .containers(containers)
        .build()).containerGroupId();
  }

  private String log(DescribeContainerLogRequest request) {
    return client.describeContainerLog(request).content();
  }

  @Test
  void logHonoursTailSinceStartTimeLimitAndTimestamps() {
    String id = create("logs", List.of(Container.builder("app", "busybox").build()));
    clock.set(running().plusSeconds(9)); // lines 1..10 written at T+0..T+9

    assertThat(client.describeContainerLog(DescribeContainerLogRequest.builder(id, "app").build()))
        .satisfies(r -> {
          assertThat(r.containerName()).isEqualTo("app");
          assertThat(r.requestId()).isNotBlank();
          assertThat(r.content()).startsWith("app line 1\napp line 2\n").endsWith("app line 10\n");
          assertThat(r.content().lines()).hasSize(10);
        });
    assertThat(log(DescribeContainerLogRequest.builder(id, "app").tail(3).build()))
        .isEqualTo("app line 8\napp line 9\napp line 10\n");
    assertThat(log(DescribeContainerLogRequest.builder(id, "app").sinceSeconds(2).build()))
        .isEqualTo("app line 8\napp line 9\napp line 10\n");
    assertThat(log(DescribeContainerLogRequest.builder(id, "app").startTime(running().plusSeconds(5)).build()))
        .isEqualTo("app line 6\napp line 7\napp line 8\napp line 9\napp line 10\n");
    assertThat(log(DescribeContainerLogRequest.builder(id, "app").limitBytes(15L).build()))
        .isEqualTo("app line 1\napp ");
    String stamped = log(DescribeContainerLogRequest.builder(id, "app").tail(1).timestamps(true).build());
    assertThat(stamped).endsWith(" app line 10\n");
    assertThat(Instant.parse(stamped.substring(0, stamped.indexOf(' ')))).isEqualTo(running().plusSeconds(9));

    clock.advance(Duration.ofSeconds(2));
    assertThat(log(DescribeContainerLogRequest.builder(id, "app").tail(1).build())).isEqualTo("app line 12\n");
  }

  @Test
  void previousInstanceOnlyAfterARestartAndUnknownNamesAreErrors() {
    String id = create("restarts", List.of(Container.builder("job", "busybox")
        .environmentVars(List.of(EnvironmentVar.literal("ECI_MOCK_EXIT_CODE", "1"),
            EnvironmentVar.literal("ECI_MOCK_EXIT_AFTER_SECONDS", "5")))
        .build()));
    clock.set(running().plusSeconds(3));
    assertThatThrownBy(() -> log(DescribeContainerLogRequest.builder(id, "job").lastTime(true).build()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
          assertThat(e.code()).isEqualTo("InvalidParameter");
        });

    clock.set(running().plusSeconds(7)); // the first run was T..T+5, the second started at T+5
    assertThat(log(DescribeContainerLogRequest.builder(id, "job").lastTime(true).build()))
        .isEqualTo("job line 1\njob line 2\njob line 3\njob line 4\njob line 5\n");
    assertThat(log(DescribeContainerLogRequest.builder(id, "job").build()))
        .isEqualTo("job line 1\njob line 2\njob line 3\n");

    assertThatThrownBy(() -> log(DescribeContainerLogRequest.builder("eci-doesnotexist0000000", "job").build()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.NOT_FOUND);
          assertThat(e.code()).isEqualTo("InvalidContainerGroup.NotFound");
        });
    assertThatThrownBy(() -> log(DescribeContainerLogRequest.builder(id, "nope").build()))
        .isInstanceOfSatisfying(ProviderException.class,
            e -> assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST));
  }

  @Test
  void containerThatHasNotStartedHasAnEmptyLog() {
    String id = create("early", List.of(Container.builder("app", "busybox").build()));
    assertThat(log(DescribeContainerLogRequest.builder(id, "app").build())).isEmpty();
  }

  @Test
  void multiMetricReportsTheUsageSetAndIntegratesCpuOverSimulatorTime() {
    String id = create("metrics", List.of(
        Container.builder("app", "busybox").cpu(1.0f).memory(2.0f).build(),
        Container.builder("side", "busybox").cpu(1.0f).memory(2.0f).build()));
    simulator.setMetrics(id, new MetricsBook.Usage(300_000_000L, 200L << 20),
        Map.of("side", new MetricsBook.Usage(50_000_000L, null)));
    String gone = create("gone", List.of(Container.builder("app", "busybox").build()));
    client.deleteContainerGroup(new io.ecivk.eci.client.model.DeleteContainerGroupRequest(gone, null, true));
    clock.set(running().plusSeconds(10));

    List<MonitorData> data = client.describeMultiContainerGroupMetric(
        DescribeMultiContainerGroupMetricRequest.summary(List.of(id, gone))).monitorDatas();

    assertThat(data).singleElement().satisfies(d -> assertThat(d.containerGroupId()).isEqualTo(id));
    ContainerGroupMetricRecord first = data.get(0).records().get(0);
    assertThat(first.timestamp()).isEqualTo(running().plusSeconds(10));
    // app: half of the group's 300m (two containers) = 150m; side: its own 50m. The group is their sum.
    assertThat(first.cpu().usageNanoCores()).isEqualTo(200_000_000L);
    assertThat(first.cpu().usageCoreNanoSeconds()).isEqualTo(200_000_000L * 10);
    assertThat(first.cpu().limit()).isEqualTo(2000L);
    assertThat(first.memory().workingSet()).isEqualTo(200L << 20);
    assertThat(first.containers()).extracting(ContainerGroupMetricRecord.ContainerMetric::name)
        .containsExactly("app", "side");
    assertThat(first.containers().get(0).cpu().usageNanoCores()).isEqualTo(150_000_000L);
    assertThat(first.containers().get(1).cpu().usageNanoCores()).isEqualTo(50_000_000L);
    assertThat(first.containers().get(1).memory().workingSet()).isEqualTo(100L << 20);
    assertThat(first.network().interfaces()).singleElement()
        .satisfies(nic -> assertThat(nic.rxBytes()).isEqualTo(2048L * 10));

    clock.advance(Duration.ofSeconds(20));
    simulator.setMetrics(id, new MetricsBook.Usage(1_000_000_000L, null), Map.of());
    clock.advance(Duration.ofSeconds(10));
    ContainerGroupMetricRecord second = client.describeMultiContainerGroupMetric(
        DescribeMultiContainerGroupMetricRequest.summary(List.of(id))).monitorDatas().get(0).records().get(0);
    // 20 s at 200m, then 10 s at 500m (app) + 50m (side).
    assertThat(second.cpu().usageCoreNanoSeconds() - first.cpu().usageCoreNanoSeconds())
        .isEqualTo(200_000_000L * 20 + 550_000_000L * 10);
    assertThat(second.cpu().usageNanoCores()).isEqualTo(550_000_000L);
  }

  @Test
  void singleGroupMetricReturnsASampleEveryPeriod() {
    String id = create("series", List.of(Container.builder("app", "busybox").build()));
    clock.set(running().plusSeconds(120));

    List<ContainerGroupMetricRecord> records = client.describeContainerGroupMetric(
        DescribeContainerGroupMetricRequest.builder(id).startTime(t0).endTime(clock.instant()).period(15).build())
        .records();

    assertThat(records).isNotEmpty().allSatisfy(r -> {
      assertThat(r.timestamp().getEpochSecond() % 15).isZero();
      assertThat(r.timestamp()).isBetween(running(), clock.instant());
      assertThat(r.cpu().usageNanoCores()).isEqualTo(MetricsBook.DEFAULT_CPU_NANO_CORES);
    });
    assertThat(records.size()).isBetween(8, 9);
    assertThatThrownBy(() -> client.describeContainerGroupMetric(
        DescribeContainerGroupMetricRequest.builder("eci-doesnotexist0000000").build()))
        .isInstanceOfSatisfying(ProviderException.class,
            e -> assertThat(e.category()).isEqualTo(ErrorCategory.NOT_FOUND));
  }
}
