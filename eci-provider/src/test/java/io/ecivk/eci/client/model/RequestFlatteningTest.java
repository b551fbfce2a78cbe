package io.ecivk.eci.client.model;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What each request puts on the wire, after the SDK's own flattener: literal expected query parameters, taken
 * from the CreateContainerGroup and DescribeContainerGroups requests captured from the official client
 * (eci-openapi.md §2.3).
 */
class RequestFlatteningTest {

  @Test
  void createContainerGroupFlattensLikeTheGeneratedSdk() throws Exception {
    CreateContainerGroupRequest request =
        CreateContainerGroupRequest.builder("default-nginx")
            .securityGroupId("sg-1")
            .vSwitchIds(List.of("vsw-a", "vsw-b"))
            .restartPolicy("Always")
            .cpu(1.0f)
            .memory(2.0f)
            .clientToken("uid-1234")
            .tags(List.of(new Tag("k", "v")))
            .containers(
                List.of(
                    Container.builder("nginx", "nginx:1.25")
                        .cpu(0.5f)
                        .memory(1.0f)
                        .commands(List.of("/bin/sh", "-c"))
                        .args(List.of("echo hi && sleep 3600"))
                        .environmentVars(
                            List.of(
                                EnvironmentVar.literal("A", "x y*~"),
                                EnvironmentVar.fieldRef("POD_IP", "status.podIP")))
                        .ports(List.of(new ContainerPort(80, "TCP")))
                        .build()))
            .build();

    assertThat(request.action()).isEqualTo("CreateContainerGroup");
    assertThat(flatten(request))
        .containsExactly(
            entry("ClientToken", "uid-1234"),
            entry("Container.1.Arg.1", "echo hi && sleep 3600"),
            entry("Container.1.Command.1", "/bin/sh"),
            entry("Container.1.Command.2", "-c"),
            entry("Container.1.Cpu", "0.5"),
            entry("Container.1.EnvironmentVar.1.Key", "A"),
            entry("Container.1.EnvironmentVar.1.Value", "x y*~"),
            entry("Container.1.EnvironmentVar.2.FieldRef.FieldPath", "status.podIP"),
            entry("Container.1.EnvironmentVar.2.Key", "POD_IP"),
            entry("Container.1.Image", "nginx:1.25"),
            entry("Container.1.Memory", "1.0"),
            entry("Container.1.Name", "nginx"),
            entry("Container.1.Port.1.Port", "80"),
            entry("Container.1.Port.1.Protocol", "TCP"),
            entry("ContainerGroupName", "default-nginx"),
            entry("Cpu", "1.0"),
            entry("Memory", "2.0"),
            entry("RestartPolicy", "Always"),
            entry("SecurityGroupId", "sg-1"),
            entry("Tag.1.Key", "k"),
            entry("Tag.1.Value", "v"),
            entry("VSwitchId", "vsw-a,vsw-b"));
  }

  @Test
  void initContainersAndWorkingDirAndPullPolicy() throws Exception {
    CreateContainerGroupRequest request =
        CreateContainerGroupRequest.builder("g")
            .initContainers(List.of(Container.builder("init", "busybox").args(List.of("a", "b")).build()))
            .containers(
                List.of(Container.builder("app", "app:1").workingDir("/w").imagePullPolicy("IfNotPresent").build()))
            .build();

    assertThat(flatten(request))
        .containsExactly(
            entry("Container.1.Image", "app:1"),
            entry("Container.1.ImagePullPolicy", "IfNotPresent"),
            entry("Container.1.Name", "app"),
            entry("Container.1.WorkingDir", "/w"),
            entry("ContainerGroupName", "g"),
            entry("InitContainer.1.Arg.1", "a"),
            entry("InitContainer.1.Arg.2", "b"),
            entry("InitContainer.1.Image", "busybox"),
            entry("InitContainer.1.Name", "init"));
  }

  @Test
  void describeContainerGroupsSendsIdsAsOneJsonArray() throws Exception {
    var request =
        new DescribeContainerGroupsRequest(
            List.of("eci-bp1abc", "eci-bp1def"), null, null, List.of(new Tag("managed-by", "vk java")), 20, null,
            null);

    assertThat(flatten(request))
        .containsExactly(
            entry("ContainerGroupIds", "[\"eci-bp1abc\",\"eci-bp1def\"]"),
            entry("Limit", "20"),
            entry("Tag.1.Key", "managed-by"),
            entry("Tag.1.Value", "vk java"));
  }

  @Test
  void pagingCarriesTheTokenAndOmitsAnEmptyOne() throws Exception {
    var first = DescribeContainerGroupStatusRequest.byTags(List.of(new Tag("a", "b")), 30, 200);

    assertThat(flatten(first))
        .containsExactly(entry("Limit", "200"), entry("SinceSecond", "30"), entry("Tag.1.Key", "a"), entry("Tag.1.Value", "b"));
    assertThat(flatten(first.withNextToken("tok-2"))).containsEntry("NextToken", "tok-2");
    assertThat(flatten(first.withNextToken(""))).doesNotContainKey("NextToken");
  }

  @Test
  void deleteAndRegions() throws Exception {
    assertThat(flatten(new DeleteContainerGroupRequest("eci-1", "tok", true)))
        .containsExactly(entry("ClientToken", "tok"), entry("ContainerGroupId", "eci-1"), entry("Force", "true"));
    assertThat(flatten(DeleteContainerGroupRequest.of("eci-1"))).containsExactly(entry("ContainerGroupId", "eci-1"));
    assertThat(flatten(new DescribeRegionsRequest())).isEmpty();
  }

  private static Map<String, String> flatten(EciRequest request) throws Exception {
    return new TreeMap<>(com.aliyun.openapiutil.Client.query(request.toParams()));
  }
}
