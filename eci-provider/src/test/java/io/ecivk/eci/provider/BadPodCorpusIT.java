package io.ecivk.eci.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.mapping.BadPodCorpus;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.spi.CreateResult;
import io.ecivk.spi.ResolvedPod;
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
 * The whole {@link BadPodCorpus} through {@link EciProvider} against the simulator: each pod fails as an invalid
 * request with its reason, none of them reaches CreateContainerGroup, a good pod sent in the middle is created (with
 * the annotations ACK writes back), and once it is deleted the simulator holds no container group at all.
 */
class BadPodCorpusIT {
  private static final String AK = "LTAI5tCORPUSIT";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private ManualClock clock;
  private EciSimulator simulator;
  private EciProvider provider;

  @BeforeEach
  void start() {
    clock = new ManualClock(Instant.now());
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16").clock(clock).build();
    simulator.start();
    TeaEciClient client = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    provider = new EciProvider(client, new EciProviderConfig("cluster-it", "vk-corpus", List.of("vsw-a"), "sg-a",
        null, Duration.ofMillis(100), null, List.of("10.96.0.10"), "cluster.local"));
  }

  @AfterEach
  void stop() {
    provider.close();
    simulator.close();
  }

  @Test
  void everyBadPodFailsWithItsReasonAndNoContainerGroupIsLeft() {
    List<BadPodCorpus.Case> cases = BadPodCorpus.cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
    ResolvedPod good = BadPodCorpus.good("good", "uid-good");
    CreateResult created = null;

    for (int i = 0; i < cases.size(); i++) {
      if (i == cases.size() / 2) {
        created = provider.createPod(good);
      }
      BadPodCorpus.Case c = cases.get(i);
      assertThatThrownBy(() -> provider.createPod(c.pod())).as(c.name())
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.category()).as(c.name()).isEqualTo(ErrorCategory.INVALID_REQUEST);
            assertThat(e.getMessage()).as(c.name()).contains(c.reason());
          });
    }

    assertThat(simulator.callCount("CreateContainerGroup")).isEqualTo(1);
    assertThat(simulator.containerGroupCount()).isEqualTo(1);
    assertThat(created).isNotNull();
    assertThat(created.annotations())
        .hasEntrySatisfying(EciProvider.INSTANCE_ID_ANNOTATION, id -> assertThat(id).startsWith("eci-"))
        .containsEntry(EciProvider.INSTANCE_SPEC_ANNOTATION, "2.0-4.0Gi")
        .hasEntrySatisfying("k8s.aliyun.com/eci-request-id", id -> assertThat(id).isNotBlank())
        .containsEntry("k8s.aliyun.com/eci-security-group", "sg-a")
        .containsEntry("k8s.aliyun.com/eci-vswitch", "vsw-a")
        .containsEntry("k8s.aliyun.com/eci-instance-zone", "cn-hangzhou-i");

    provider.deletePod(good.pod());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      clock.advance(Duration.ofSeconds(5));
      assertThat(simulator.containerGroupCount()).isZero();
    });
  }
}
