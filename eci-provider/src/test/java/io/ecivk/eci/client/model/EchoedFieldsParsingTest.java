package io.ecivk.eci.client.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.NameValue;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DescribeContainerGroups echoing what ECI stored, with the key names of the official SDK's response model
 * ({@code DescribeContainerGroupsResponseBody.java}): plural lists, flattened volumes, upper-case {@code NFS}, an
 * init container's {@code Command}, an env var's {@code ValueFrom.FieldRef.FieldPath}.
 */
class EchoedFieldsParsingTest {

  static final String FIXTURE =
      """
      {"RequestId":"R1","TotalCount":1,"NextToken":"",
       "ContainerGroups":[{
         "ContainerGroupId":"eci-1","ContainerGroupName":"g","Status":"Running","RegionId":"cn-hangzhou",
         "ZoneId":"cn-hangzhou-i","VpcId":"vpc-1","VSwitchId":"vsw-a","SecurityGroupId":"sg-1",
         "InstanceType":"ecs.c6.large","ComputeCategory":"economy","Cpu":2.0,"Memory":4.0,
         "SpotStrategy":"SpotWithPriceLimit","SpotPriceLimit":0.25,"Discount":9,"EphemeralStorage":50,
         "RamRoleName":"AliyunECIContainerGroupRole","ResourceGroupId":"rg-1","DnsPolicy":"None",
         "IntranetIp":"172.16.0.4","InternetIp":"","Ipv6Address":"2001:db8::4","EniInstanceId":"eni-1",
         "CreationTime":"2026-11-23T10:00:00Z","ExpiredTime":"",
         "DnsConfig":{"NameServers":["10.0.0.10"],"Searches":["svc.cluster.local"],
           "Options":[{"Name":"ndots","Value":"2"},{"Name":"edns0"}]},
         "HostAliases":[{"Ip":"10.0.0.5","Hostnames":["db","db.local"]}],
         "EciSecurityContext":{"Sysctls":[{"Name":"net.core.somaxconn","Value":"1024"}]},
         "Volumes":[
           {"Name":"scratch","Type":"EmptyDirVolume","EmptyDirVolumeMedium":"Memory","EmptyDirVolumeSizeLimit":"256Mi"},
           {"Name":"nas","Type":"NFSVolume","NFSVolumeServer":"nas.example.com","NFSVolumePath":"/share",
            "NFSVolumeReadOnly":true},
           {"Name":"cfg","Type":"ConfigFileVolume",
            "ConfigFileVolumeConfigFileToPaths":[{"Path":"a.conf","Content":"aGVsbG8="}]},
           {"Name":"disk","Type":"DiskVolume","DiskVolumeDiskId":"d-123","DiskVolumeFsType":"ext4"},
           {"Name":"flex","Type":"FlexVolume","FlexVolumeDriver":"alicloud/disk","FlexVolumeFsType":"ext4",
            "FlexVolumeOptions":"{\\"volumeId\\":\\"d-1\\"}"}],
         "Containers":[{"Name":"app","Image":"app:1","Gpu":1,"Stdin":true,"StdinOnce":false,"Tty":true,
           "WorkingDir":"/w","Commands":["/bin/sh"],"Args":["-c","x"],
           "EnvironmentVars":[{"Key":"A","Value":"x"},
             {"Key":"POD_IP","Value":"","ValueFrom":{"FieldRef":{"FieldPath":"status.podIP"}}}],
           "VolumeMounts":[{"Name":"cfg","MountPath":"/etc/cfg","ReadOnly":true,"SubPath":"sub",
             "MountPropagation":"None"}],
           "ReadinessProbe":{"InitialDelaySeconds":3,"PeriodSeconds":5,"TimeoutSeconds":2,"SuccessThreshold":1,
             "FailureThreshold":4,"Execs":[],"HttpGet":{"Path":"/healthz","Port":80,"Scheme":"HTTP"}},
           "LivenessProbe":{"Execs":["cat","/tmp/healthy"],"TcpSocket":{"Host":"1.2.3.4","Port":6379}},
           "SecurityContext":{"Capability":{"Adds":["NET_ADMIN"]},"ReadOnlyRootFilesystem":true,"RunAsUser":1000},
           "CurrentState":{"State":"Running","StartTime":"2026-11-23T10:00:04Z"}}],
         "InitContainers":[{"Name":"init","Image":"busybox","Command":["true"],"Args":[],"Gpu":0,
           "ImagePullPolicy":"IfNotPresent","WorkingDir":"/","EnvironmentVars":[{"Key":"B","Value":"y"}],
           "Ports":[{"Port":53,"Protocol":"UDP"}],
           "VolumeMounts":[{"Name":"scratch","MountPath":"/s","ReadOnly":false,"MountPropagation":"None"}],
           "SecurityContext":{"Capability":{"Adds":["SYS_TIME"]},"RunAsUser":0}}]}]}
      """;

  @Test
  void groupLevelEchoes() {
    var group = EciJson.fromJson(FIXTURE, DescribeContainerGroupsResponse.class).containerGroups().get(0);

    assertThat(group.vpcId()).isEqualTo("vpc-1");
    assertThat(group.instanceType()).isEqualTo("ecs.c6.large");
    assertThat(group.computeCategory()).isEqualTo("economy");
    assertThat(group.spotStrategy()).isEqualTo("SpotWithPriceLimit");
    assertThat(group.spotPriceLimit()).isEqualTo(0.25d);
    assertThat(group.discount()).isEqualTo(9);
    assertThat(group.ephemeralStorage()).isEqualTo(50);
    assertThat(group.ramRoleName()).isEqualTo("AliyunECIContainerGroupRole");
    assertThat(group.resourceGroupId()).isEqualTo("rg-1");
    assertThat(group.dnsPolicy()).isEqualTo("None");
    assertThat(group.ipv6Address()).isEqualTo("2001:db8::4");
    assertThat(group.eniInstanceId()).isEqualTo("eni-1");
    assertThat(group.expiredTime()).isNull();
    assertThat(group.dnsConfig().nameServers()).containsExactly("10.0.0.10");
    assertThat(group.dnsConfig().searches()).containsExactly("svc.cluster.local");
    assertThat(group.dnsConfig().options()).containsExactly(new NameValue("ndots", "2"), new NameValue("edns0", null));
    assertThat(group.hostAliases()).singleElement().satisfies(alias -> {
      assertThat(alias.ip()).isEqualTo("10.0.0.5");
      assertThat(alias.hostnames()).containsExactly("db", "db.local");
    });
    assertThat(group.eciSecurityContext().sysctls()).containsExactly(new NameValue("net.core.somaxconn", "1024"));
  }

  @Test
  void volumesAreFlattenedWithTheSdkKeys() {
    var volumes = EciJson.fromJson(FIXTURE, DescribeContainerGroupsResponse.class).containerGroups().get(0).volumes();

    assertThat(volumes).extracting(DescribeContainerGroupsResponse.VolumeInfo::type)
        .containsExactly("EmptyDirVolume", "NFSVolume", "ConfigFileVolume", "DiskVolume", "FlexVolume");
    assertThat(volumes.get(0).emptyDirVolumeMedium()).isEqualTo("Memory");
    assertThat(volumes.get(0).emptyDirVolumeSizeLimit()).isEqualTo("256Mi");
    assertThat(volumes.get(0).configFileVolumeConfigFileToPaths()).isEmpty();
    assertThat(volumes.get(1).nfsVolumeServer()).isEqualTo("nas.example.com");
    assertThat(volumes.get(1).nfsVolumePath()).isEqualTo("/share");
    assertThat(volumes.get(1).nfsVolumeReadOnly()).isTrue();
    var file = volumes.get(2).configFileVolumeConfigFileToPaths().get(0);
    assertThat(file.path()).isEqualTo("a.conf");
    assertThat(file.content()).isEqualTo("aGVsbG8=");
    assertThat(volumes.get(3).diskVolumeDiskId()).isEqualTo("d-123");
    assertThat(volumes.get(3).diskVolumeFsType()).isEqualTo("ext4");
    assertThat(volumes.get(4).flexVolumeDriver()).isEqualTo("alicloud/disk");
    assertThat(volumes.get(4).flexVolumeFsType()).isEqualTo("ext4");
    assertThat(volumes.get(4).flexVolumeOptions()).isEqualTo("{\"volumeId\":\"d-1\"}");
  }

  @Test
  void containerEchoes() {
    var container =
        EciJson.fromJson(FIXTURE, DescribeContainerGroupsResponse.class).containerGroups().get(0).containers().get(0);

    assertThat(container.gpu()).isEqualTo(1);
    assertThat(container.stdin()).isTrue();
    assertThat(container.stdinOnce()).isFalse();
    assertThat(container.tty()).isTrue();
    assertThat(container.workingDir()).isEqualTo("/w");
    assertThat(container.environmentVars()).hasSize(2);
    assertThat(container.environmentVars().get(0).value()).isEqualTo("x");
    assertThat(container.environmentVars().get(0).fieldPath()).isNull();
    assertThat(container.environmentVars().get(1).fieldPath()).isEqualTo("status.podIP");
    assertThat(container.volumeMounts())
        .containsExactly(new DescribeContainerGroupsResponse.VolumeMountInfo("cfg", "/etc/cfg", true, "sub", "None"));
    var readiness = container.readinessProbe();
    assertThat(List.of(readiness.initialDelaySeconds(), readiness.periodSeconds(), readiness.timeoutSeconds(),
            readiness.successThreshold(), readiness.failureThreshold()))
        .containsExactly(3, 5, 2, 1, 4);
    assertThat(readiness.execs()).isEmpty();
    assertThat(readiness.httpGet()).isEqualTo(new DescribeContainerGroupsResponse.HttpGetInfo("/healthz", 80, "HTTP"));
    assertThat(readiness.tcpSocket()).isNull();
    var liveness = container.livenessProbe();
    assertThat(liveness.execs()).containsExactly("cat", "/tmp/healthy");
    assertThat(liveness.tcpSocket()).isEqualTo(new DescribeContainerGroupsResponse.TcpSocketInfo("1.2.3.4", 6379));
    assertThat(liveness.periodSeconds()).isNull();
    assertThat(container.securityContext().capabilityAdds()).containsExactly("NET_ADMIN");
    assertThat(container.securityContext().readOnlyRootFilesystem()).isTrue();
    assertThat(container.securityContext().runAsUser()).isEqualTo(1000L);
    assertThat(container.currentState().startTime()).isEqualTo(Instant.parse("2026-11-23T10:00:04Z"));
  }

  @Test
  void initContainerEchoes() {
    var init =
        EciJson.fromJson(FIXTURE, DescribeContainerGroupsResponse.class).containerGroups().get(0).initContainers()
            .get(0);

    assertThat(init.commands()).containsExactly("true");
    assertThat(init.gpu()).isZero();
    assertThat(init.imagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(init.workingDir()).isEqualTo("/");
    assertThat(init.environmentVars()).singleElement().satisfies(env -> assertThat(env.key()).isEqualTo("B"));
    assertThat(init.ports()).containsExactly(new DescribeContainerGroupsResponse.Port(53, "UDP"));
    assertThat(init.volumeMounts())
        .containsExactly(new DescribeContainerGroupsResponse.VolumeMountInfo("scratch", "/s", false, null, "None"));
    assertThat(init.securityContext().capabilityAdds()).containsExactly("SYS_TIME");
    assertThat(init.securityContext().runAsUser()).isZero();
  }

  @Test
  void absentEchoesAreNullOrEmptyAndSdkMapsConvert() {
    var group =
        EciJson.fromJson(
                "{\"ContainerGroups\":[{\"ContainerGroupId\":\"eci-1\",\"Containers\":[{\"Name\":\"c\"}],"
                    + "\"DnsConfig\":{},\"SecurityContext\":null}]}",
                DescribeContainerGroupsResponse.class)
            .containerGroups().get(0);

    assertThat(group.volumes()).isEmpty();
    assertThat(group.hostAliases()).isEmpty();
    assertThat(group.dnsConfig().nameServers()).isEmpty();
    assertThat(group.eciSecurityContext()).isNull();
    assertThat(group.containers().get(0).environmentVars()).isEmpty();
    assertThat(group.containers().get(0).volumeMounts()).isEmpty();
    assertThat(group.containers().get(0).securityContext()).isNull();

    // The SDK hands the body over as maps with Long/Double numbers.
    var body =
        java.util.Map.of(
            "ContainerGroups",
            List.of(
                java.util.Map.of(
                    "SpotPriceLimit", 0.5d, "EphemeralStorage", 20L,
                    "Containers",
                    List.of(java.util.Map.of("SecurityContext", java.util.Map.of("RunAsUser", 1000L))))));
    var fromBody = EciJson.fromBody(body, DescribeContainerGroupsResponse.class).containerGroups().get(0);
    assertThat(fromBody.spotPriceLimit()).isEqualTo(0.5d);
    assertThat(fromBody.ephemeralStorage()).isEqualTo(20);
    assertThat(fromBody.containers().get(0).securityContext().runAsUser()).isEqualTo(1000L);
  }
}
