package io.ecivk.eci.client.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Responses read from JSON with the service's exact keys, including the ones that are not PascalCase. */
class ResponseParsingTest {

  @Test
  void containerGroupStatusReadsTheOddlyNamedKeys() {
    String json =
        """
        {"RequestId":"R1","TotalCount":1,"NextToken":"",
         "Data":[{"ContainerGroupId":"eci-1","Name":"web-0","Namespace":"default","uuid":"u-1","Status":"Running",
           "Annotations":"{}",
           "PodStatus":{"Phase":"Running","PodIp":"10.224.0.4","PodIps":[{"Ip":"10.224.0.4"}],"HostIp":"10.224.0.4",
             "QosClass":"Guaranteed","StartTime":"2026-11-23T10:00:00Z",
             "Conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-11-23T10:00:05Z"}],
             "ContainerStatuses":[{"Name":"nginx","Image":"nginx:1.25","ImageID":"sha256:abc","Ready":true,
               "Started":true,"RestartCount":0,
               "State":{"Running":{"StartedAtstartedAt":"2026-11-23T10:00:04Z"}},
               "LastState":{"Terminated":{"ContainerID":"c-1","ExitCode":137,"Reason":"OOMKilled",
                 "StartedAt":"2026-11-23T09:00:00Z","FinishedAt":"2026-11-23T09:59:00Z"}}}]}}]}
        """;

    var response = EciJson.fromJson(json, DescribeContainerGroupStatusResponse.class);

    assertThat(response.hasNextPage()).isFalse();
    var status = response.data().get(0);
    assertThat(status.uuid()).isEqualTo("u-1");
    assertThat(status.podStatus().podIps()).extracting(DescribeContainerGroupStatusResponse.PodIp::ip)
        .containsExactly("10.224.0.4");
    var condition = status.podStatus().conditions().get(0);
    assertThat(condition.type()).isEqualTo("Ready");
    assertThat(condition.status()).isEqualTo("True");
    assertThat(condition.lastTransitionTime()).isEqualTo(Instant.parse("2026-11-23T10:00:05Z"));
    var container = status.podStatus().containerStatuses().get(0);
    assertThat(container.imageId()).isEqualTo("sha256:abc");
    assertThat(container.state().running().startedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:04Z"));
    assertThat(container.lastState().terminated().containerId()).isEqualTo("c-1");
    assertThat(container.lastState().terminated().exitCode()).isEqualTo(137);
  }

  @Test
  void containerGroupsReadsPluralListsInitContainerCommandAndEmptyTimes() {
    String json =
        """
        {"RequestId":"R2","TotalCount":3,"NextToken":"2",
         "ContainerGroups":[{"ContainerGroupId":"eci-1","ContainerGroupName":"g","Status":"Pending",
           "ZoneId":"cn-hangzhou-i","VSwitchId":"vsw-a","Cpu":2.0,"Memory":4.0,"IntranetIp":"",
           "CreationTime":"2026-11-23T10:00:00Z","SucceededTime":"",
           "Tags":[{"Key":"k","Value":"v"}],
           "Events":[{"Count":1,"Type":"Normal","Reason":"AutoInstanceTypeMatch",
             "Message":"The most-matched instanceType for current eci instance is 2.0-4.0Gi",
             "FirstTimestamp":"2026-11-23T10:00:00Z","LastTimestamp":"2026-11-23T10:00:00Z"}],
           "Containers":[{"Name":"c","Image":"i","Commands":["sh"],"Args":["-c","x"],"Ports":[{"Port":80,"Protocol":"TCP"}],
             "CurrentState":{"State":"Waiting","Reason":"ContainerCreating"}}],
           "InitContainers":[{"Name":"init","Image":"busybox","Command":["true"],"Args":[]}]}]}
        """;

    var response = EciJson.fromJson(json, DescribeContainerGroupsResponse.class);

    assertThat(response.hasNextPage()).isTrue();
    assertThat(response.totalCount()).isEqualTo(3);
    var group = response.containerGroups().get(0);
    assertThat(group.cpu()).isEqualTo(2.0f);
    assertThat(group.vSwitchId()).isEqualTo("vsw-a");
    assertThat(group.succeededTime()).isNull();
    assertThat(group.tags()).containsExactly(new Tag("k", "v"));
    assertThat(group.events().get(0).message())
        .isEqualTo("The most-matched instanceType for current eci instance is 2.0-4.0Gi");
    assertThat(group.containers().get(0).commands()).containsExactly("sh");
    assertThat(group.containers().get(0).currentState().reason()).isEqualTo("ContainerCreating");
    assertThat(group.initContainers().get(0).commands()).containsExactly("true");
    assertThat(group.initContainers().get(0).args()).isEmpty();
  }

  @Test
  void missingListsBecomeEmptyNotNull() {
    var response = EciJson.fromJson("{\"RequestId\":\"R3\"}", DescribeContainerGroupsResponse.class);

    assertThat(response.containerGroups()).isEqualTo(List.of());
    assertThat(EciJson.fromJson("{}", DescribeRegionsResponse.class).regions()).isEmpty();
  }

  @Test
  void sdkParsedBodyMapsConvertLikeJson() {
    // The SDK hands us the body as maps with Long and Double numbers; the records must read those too.
    var body = new java.util.HashMap<String, Object>();
    body.put("RequestId", "R4");
    body.put("TotalCount", 2L);
    body.put("ContainerGroups", List.of(java.util.Map.of("ContainerGroupId", "eci-9", "Cpu", 0.5d)));

    var response = EciJson.fromBody(body, DescribeContainerGroupsResponse.class);

    assertThat(response.totalCount()).isEqualTo(2);
    assertThat(response.containerGroups().get(0).cpu()).isEqualTo(0.5f);
  }
}
