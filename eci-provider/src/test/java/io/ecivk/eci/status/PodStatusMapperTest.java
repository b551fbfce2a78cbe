package io.ecivk.eci.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse.ContainerGroupStatus;
import io.ecivk.eci.client.model.EciJson;
import io.ecivk.eci.mapping.Fixtures;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each case: a pod fixture ({@code fixtures/pods/}), what DescribeContainerGroupStatus said about its group
 * ({@code fixtures/status/<case>.eci.json}, in the API's own JSON) and the literal expected pod status
 * ({@code fixtures/status/<case>.expected.yaml}). Statuses are compared as YAML, which is also how the API
 * server sees them (an empty list and no list are the same there).
 */
class PodStatusMapperTest {

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of("ECI still scheduling", "nginx", "scheduling"),
        Arguments.of("pending with an IP, pulling the image", "nginx", "pending-with-ip"),
        Arguments.of("running and ready, ECI's conditions", "nginx", "running-ready"),
        Arguments.of("running after an OOM kill, derived conditions", "nginx", "running-restarted"),
        Arguments.of("terminated containers with exit codes", "job-2c", "job-failed"),
        Arguments.of("succeeded", "job-2c", "job-succeeded"),
        Arguments.of("ECI does not report a container yet", "web-2c-1i", "container-not-reported"),
        Arguments.of("init container running", "web-2c-1i", "initializing"),
        Arguments.of("init container no longer reported", "web-2c-1i", "init-no-longer-reported"),
        Arguments.of("ECI failed to schedule", "nginx", "schedule-failed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statuses")
  void toPodStatus(String name, String pod, String fixture) {
    ContainerGroupStatus eci =
        EciJson.fromJson(Fixtures.text("status/" + fixture + ".eci.json"), ContainerGroupStatus.class);

    PodStatus status = PodStatusMapper.toPodStatus(Fixtures.pod(pod), eci);

    assertThat(yaml(status)).isEqualTo(expected(fixture));
  }

  static Stream<Arguments> podLevel() {
    return Stream.of(
        Arguments.of("spot instance reclaimed", "Expired", null, "Failed", "Expired",
            "ECI reclaimed the spot instance"),
        Arguments.of("pending too long", "StartingFailed", null, "Failed", "StartingFailed",
            "ECI could not start the container group in time"),
        Arguments.of("plain failure says nothing more", "Failed", "Failed", "Failed", null, null),
        Arguments.of("restarting", "Restarting", "Running", "Pending", null, null),
        Arguments.of("terminating", "Terminating", null, "Running", null, null),
        Arguments.of("ECI status wins over ECI phase", "Succeeded", "Running", "Succeeded", null, null),
        Arguments.of("unknown ECI status", "Hibernating", "Running", "Unknown", null, null),
        Arguments.of("no ECI status: ECI phase", null, "Running", "Running", null, null),
        Arguments.of("empty ECI status: ECI phase", "", "Succeeded", "Succeeded", null, null),
        Arguments.of("no ECI status and a phase Kubernetes lacks", null, "Creating", "Unknown", null, null),
        Arguments.of("nothing at all", null, null, "Unknown", null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podLevel")
  void phaseAndReason(String name, String eciStatus, String eciPhase, String phase, String reason, String message) {
    String podStatus = eciPhase == null ? "" : ", \"PodStatus\": {\"Phase\": \"" + eciPhase + "\"}";
    String status = eciStatus == null ? "" : ", \"Status\": \"" + eciStatus + "\"";
    ContainerGroupStatus eci =
        EciJson.fromJson("{\"ContainerGroupId\": \"eci-1\"" + status + podStatus + "}", ContainerGroupStatus.class);

    PodStatus result = PodStatusMapper.toPodStatus(Fixtures.pod("nginx"), eci);

    assertThat(result.getPhase()).isEqualTo(phase);
    assertThat(result.getReason()).isEqualTo(reason);
    assertThat(result.getMessage()).isEqualTo(message);
  }

  @Test
  void mappingDoesNotChangeThePod() {
    Pod pod = Fixtures.pod("web-2c-1i");
    String before = Serialization.asYaml(pod);
    ContainerGroupStatus eci =
        EciJson.fromJson(Fixtures.text("status/container-not-reported.eci.json"), ContainerGroupStatus.class);

    PodStatusMapper.toPodStatus(pod, eci);

    assertThat(Serialization.asYaml(pod)).isEqualTo(before);
  }

  private static String expected(String fixture) {
    return yaml(Fixtures.read("status/" + fixture + ".expected.yaml", PodStatus.class));
  }

  private static String yaml(PodStatus status) {
    return Serialization.asYaml(status);
  }
}
