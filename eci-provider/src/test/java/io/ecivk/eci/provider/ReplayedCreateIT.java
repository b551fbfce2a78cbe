package io.ecivk.eci.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.eci.mock.bench.StockOutMode;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A create replayed after the pod got the annotations of its first create (a restarted agent that has not seen the
 * group's status yet, a create whose answer was lost after the annotations were written) is the same request under
 * the same ClientToken: ECI answers the existing group instead of refusing it with IdempotentParameterMismatch. And
 * a create whose answer was lost is not sent again when the group is found by its tags.
 */
class ReplayedCreateIT {
  private static final String AK = "LTAI5tREPLAYIT";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private EciSimulator simulator;

  @BeforeEach
  void start() {
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16").vswitch("vsw-b", "cn-hangzhou-j", "10.225.0.0/16")
        .outOfStock("cn-hangzhou-i", null, StockOutMode.PENDING).build();
    simulator.start();
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void replayAfterAMultiZonePlacementIsTheSameRequest() {
    Pod pod = pod("multi", "uid-multi");
    Map<String, String> written;
    try (EciProvider first = provider(List.of("vsw-a", "vsw-b"))) {
      written = first.createPod(ResolvedPod.of(pod)).annotations();
    }
    assertThat(written).containsEntry("k8s.aliyun.com/eci-instance-zone", "cn-hangzhou-j")
        .doesNotContainKey("k8s.aliyun.com/eci-vswitch");
    pod.getMetadata().setAnnotations(written);

    try (EciProvider restarted = provider(List.of("vsw-a", "vsw-b"))) {
      Map<String, String> again = restarted.createPod(ResolvedPod.of(pod)).annotations();
      assertThat(again).containsEntry(EciProvider.INSTANCE_ID_ANNOTATION,
          written.get(EciProvider.INSTANCE_ID_ANNOTATION));
    }
    assertThat(simulator.containerGroupCount()).isEqualTo(1);
  }

  @Test
  void replayWithTheSingleVSwitchWrittenBackIsTheSameRequest() {
    Pod pod = pod("single", "uid-single");
    Map<String, String> written;
    try (EciProvider first = provider(List.of("vsw-b"))) {
      written = first.createPod(ResolvedPod.of(pod)).annotations();
    }
    assertThat(written).containsEntry("k8s.aliyun.com/eci-vswitch", "vsw-b")
        .containsEntry("k8s.aliyun.com/eci-instance-zone", "cn-hangzhou-j");
    pod.getMetadata().setAnnotations(written);

    try (EciProvider restarted = provider(List.of("vsw-b"))) {
      assertThat(restarted.createPod(ResolvedPod.of(pod)).annotations())
          .containsEntry(EciProvider.INSTANCE_ID_ANNOTATION, written.get(EciProvider.INSTANCE_ID_ANNOTATION));
    }
    assertThat(simulator.containerGroupCount()).isEqualTo(1);
  }

  @Test
  void aCreateWhoseAnswerWasLostIsLookedUpByTagsNotSentAgain() {
    Pod pod = pod("lost", "uid-lost");
    AtomicInteger creates = new AtomicInteger();
    EciClient real = client();
    // The first create reaches ECI and creates the group, but its answer is lost (a reset after the fact).
    EciClient losingFirstAnswer = (EciClient) Proxy.newProxyInstance(EciClient.class.getClassLoader(),
        new Class<?>[] {EciClient.class}, (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().equals("createContainerGroup") && creates.incrementAndGet() == 1) {
            throw new ProviderException(ErrorCategory.TRANSIENT, "ConnectionFailure",
                "CreateContainerGroup got no answer from ECI: SocketException: Connection reset");
          }
          return result;
        });
    try (EciProvider provider = provider(losingFirstAnswer, List.of("vsw-a", "vsw-b"))) {
      assertThatThrownBy(() -> provider.createPod(ResolvedPod.of(pod))).isInstanceOf(ProviderException.class);
      String groupId = provider.createPod(ResolvedPod.of(pod)).annotations().get(EciProvider.INSTANCE_ID_ANNOTATION);

      assertThat(creates).as("CreateContainerGroup calls").hasValue(1);
      assertThat(groupId).startsWith("eci-");
      assertThat(simulator.containerGroupCount()).isEqualTo(1);
      assertThat(provider.groupIdOf(pod)).contains(groupId);
    }
  }

  private EciClient client() {
    return new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()),
        "cn-hangzhou", EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(5)));
  }

  private EciProvider provider(List<String> vSwitches) {
    return provider(client(), vSwitches);
  }

  private EciProvider provider(EciClient client, List<String> vSwitches) {
    return new EciProvider(client, new EciProviderConfig("cluster-it", "vk-replay", vSwitches, "sg-a", null,
        Duration.ofMillis(100), null, List.of("10.96.0.10"), "cluster.local"));
  }

  private static Pod pod(String name, String uid) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("default").withUid(uid).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage("nginx:1.25")
        .withNewResources().withRequests(Map.of("cpu", new Quantity("1"), "memory", new Quantity("2Gi")))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
