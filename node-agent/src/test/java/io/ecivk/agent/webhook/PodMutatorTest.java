package io.ecivk.agent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The webhook's mutations, as literal JSON Patches. */
class PodMutatorTest {
  private static final String TOLERATION =
      "{\"key\":\"virtual-kubelet.io/provider\",\"operator\":\"Equal\",\"value\":\"alibabacloud\",\"effect\":\"NoSchedule\"}";
  private static final String ROUTE_FRESH = "{\"op\":\"add\",\"path\":\"/spec/tolerations\",\"value\":[" + TOLERATION
      + "]},{\"op\":\"add\",\"path\":\"/spec/nodeSelector\",\"value\":{\"type\":\"virtual-kubelet\"}}";
  private static final String SPEC = "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}";
  private static final String PROFILE = """
      [{"name":"web-to-eci","namespaceSelector":{"matchLabels":{"team":"web"}},
        "objectSelector":{"matchExpressions":[{"key":"app","operator":"In","values":["nginx"]}]},
        "effect":{"annotations":{"k8s.aliyun.com/eci-use-specs":"2-4Gi"},"labels":{"alibabacloud.com/eci":"true"}}},
       {"name":"later-broad","effect":{"annotations":{"never":"applied"}}}]""";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("eci_only pod without tolerations or nodeSelector",
            "{\"metadata\":{\"name\":\"p\",\"annotations\":{\"alibabacloud.com/burst-resource\":\"eci_only\"}},"
                + SPEC + "}",
            Map.of(), "", "[" + ROUTE_FRESH + "]"),
        Arguments.of("pod labelled alibabacloud.com/eci=true",
            "{\"metadata\":{\"name\":\"p\",\"labels\":{\"alibabacloud.com/eci\":\"true\"}}," + SPEC + "}",
            Map.of(), "", "[" + ROUTE_FRESH + "]"),
        Arguments.of("pod in a namespace labelled alibabacloud.com/eci=true",
            "{\"metadata\":{\"name\":\"p\"}," + SPEC + "}",
            Map.of("alibabacloud.com/eci", "true"), "", "[" + ROUTE_FRESH + "]"),
        Arguments.of("burst eci pod is left to the binder, even in a labelled namespace",
            "{\"metadata\":{\"name\":\"p\",\"annotations\":{\"alibabacloud.com/burst-resource\":\"eci\"}}," + SPEC + "}",
            Map.of("alibabacloud.com/eci", "true"), "", "[]"),
        Arguments.of("plain pod untouched",
            "{\"metadata\":{\"name\":\"p\",\"labels\":{\"alibabacloud.com/eci\":\"false\"}}," + SPEC + "}",
            Map.of(), "", "[]"),
        Arguments.of("pod already tolerating (Exists on the key) and selecting the node: nothing to add",
            "{\"metadata\":{\"name\":\"p\",\"labels\":{\"alibabacloud.com/eci\":\"true\"}},\"spec\":{"
                + "\"tolerations\":[{\"key\":\"virtual-kubelet.io/provider\",\"operator\":\"Exists\"}],"
                + "\"nodeSelector\":{\"type\":\"virtual-kubelet\"},\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}",
            Map.of(), "", "[]"),
        Arguments.of("other tolerations and selectors present: append and add one key",
            "{\"metadata\":{\"name\":\"p\",\"labels\":{\"alibabacloud.com/eci\":\"true\"}},\"spec\":{"
                + "\"tolerations\":[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}],"
                + "\"nodeSelector\":{\"topology.kubernetes.io/zone\":\"cn-hangzhou-i\"},"
                + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}",
            Map.of(), "",
            "[{\"op\":\"add\",\"path\":\"/spec/tolerations/-\",\"value\":" + TOLERATION + "},"
                + "{\"op\":\"add\",\"path\":\"/spec/nodeSelector/type\",\"value\":\"virtual-kubelet\"}]"),
        Arguments.of("a toleration of another value or effect does not count",
            "{\"metadata\":{\"name\":\"p\",\"annotations\":{\"alibabacloud.com/burst-resource\":\"eci_only\"}},\"spec\":{"
                + "\"tolerations\":[{\"key\":\"virtual-kubelet.io/provider\",\"operator\":\"Equal\",\"value\":\"other\"},"
                + "{\"key\":\"virtual-kubelet.io/provider\",\"operator\":\"Exists\",\"effect\":\"NoExecute\"}],"
                + "\"nodeSelector\":{\"type\":\"virtual-kubelet\"},\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}",
            Map.of(), "", "[{\"op\":\"add\",\"path\":\"/spec/tolerations/-\",\"value\":" + TOLERATION + "}]"),
        Arguments.of("profile matches: effect added (escaped keys), its label then routes the pod",
            "{\"metadata\":{\"name\":\"p\",\"labels\":{\"app\":\"nginx\"}}," + SPEC + "}",
            Map.of("team", "web"), PROFILE,
            "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"k8s.aliyun.com/eci-use-specs\":\"2-4Gi\"}},"
                + "{\"op\":\"add\",\"path\":\"/metadata/labels/alibabacloud.com~1eci\",\"value\":\"true\"},"
                + ROUTE_FRESH + "]"),
        Arguments.of("profile: the pod's own values win; the first matching selector only",
            "{\"metadata\":{\"name\":\"p\",\"labels\":{\"app\":\"nginx\",\"alibabacloud.com/eci\":\"false\"},"
                + "\"annotations\":{\"x~y\":\"1\"}}," + SPEC + "}",
            Map.of("team", "web"), PROFILE,
            "[{\"op\":\"add\",\"path\":\"/metadata/annotations/k8s.aliyun.com~1eci-use-specs\",\"value\":\"2-4Gi\"}]"),
        Arguments.of("profile: no selector but the broad one matches",
            "{\"metadata\":{\"name\":\"p\",\"labels\":{\"app\":\"redis\"}}," + SPEC + "}",
            Map.of("team", "web"), PROFILE,
            "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"never\":\"applied\"}}]"),
        Arguments.of("pod selecting another node type is not rerouted",
            "{\"metadata\":{\"name\":\"p\",\"labels\":{\"alibabacloud.com/eci\":\"true\"}},\"spec\":{"
                + "\"nodeSelector\":{\"type\":\"ecs\"},\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}",
            Map.of(), "", "[]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void patches(String description, String podJson, Map<String, String> namespaceLabels, String profile,
      String expectedPatch) {
    JsonNode pod = PodMutator.JSON.readTree(podJson);

    PodMutator.Result result = PodMutator.mutate(pod, namespaceLabels, EciProfile.parse(profile));

    assertThat(result.patchJson()).isEqualTo(expectedPatch);
  }

  @org.junit.jupiter.api.Test
  void conflictingNodeTypeIsWarnedAbout() {
    JsonNode pod = PodMutator.JSON.readTree("{\"metadata\":{\"name\":\"p\",\"labels\":{\"alibabacloud.com/eci\":\"true\"}},"
        + "\"spec\":{\"nodeSelector\":{\"type\":\"ecs\"},\"containers\":[]}}");

    PodMutator.Result result = PodMutator.mutate(pod, Map.of(), EciProfile.empty());

    assertThat(result.routed()).isFalse();
    assertThat(result.warnings()).containsExactly(
        "pod selects nodeSelector type=ecs: not routed to the ECI virtual node although it asks for ECI");
  }

  @org.junit.jupiter.api.Test
  void emptyKeyExistsToleratesEverything() {
    JsonNode pod = PodMutator.JSON.readTree("{\"metadata\":{\"name\":\"p\",\"labels\":{\"alibabacloud.com/eci\":\"true\"}},"
        + "\"spec\":{\"tolerations\":[{\"operator\":\"Exists\"}],\"containers\":[]}}");

    assertThat(PodMutator.mutate(pod, Map.of(), EciProfile.empty()).patchJson()).isEqualTo(
        "[{\"op\":\"add\",\"path\":\"/spec/nodeSelector\",\"value\":{\"type\":\"virtual-kubelet\"}}]");
  }

  @org.junit.jupiter.api.Test
  void jsonPointerEscaping() {
    assertThat(PodMutator.escape("a/b~c")).isEqualTo("a~1b~0c");
    assertThat(PodMutator.escape("~/")).isEqualTo("~0~1");
  }
}
