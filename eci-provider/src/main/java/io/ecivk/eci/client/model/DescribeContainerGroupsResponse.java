package io.ecivk.eci.client.model;

import com.google.gson.annotations.SerializedName;
import java.time.Instant;
import java.util.List;

/**
 * The answer to DescribeContainerGroups: one page. {@code nextToken} is empty (or null) on the last page.
 *
 * <p>JSON keys are the record components in PascalCase unless a {@code @SerializedName} says otherwise. They were
 * checked one by one against the official SDK's response model, {@code aliyun/alibabacloud-java-sdk}
 * {@code eci-20180808/src/main/java/com/aliyun/eci20180808/models/DescribeContainerGroupsResponseBody.java}
 * (stored copy at commit 5814be51c044c2597b926c7030b98d3937e693de). What that model shows, and this file follows:
 * <ul>
 *   <li>Response lists are plural ({@code Volumes}, {@code VolumeMounts}, {@code EnvironmentVars}, {@code Execs},
 *       {@code Adds}, {@code NameServers}, {@code Searches}, {@code Options}, {@code Hostnames},
 *       {@code Sysctls}), except an init container's command list, {@code Command}.
 *   <li>Volumes are flattened: {@code Name, Type, EmptyDirVolumeMedium, EmptyDirVolumeSizeLimit, NFSVolumeServer,
 *       NFSVolumePath, NFSVolumeReadOnly, ConfigFileVolumeConfigFileToPaths[]{Path, Content}, DiskVolumeDiskId,
 *       DiskVolumeFsType, FlexVolumeDriver, FlexVolumeFsType, FlexVolumeOptions}}. The NFS keys keep the
 *       upper-case {@code NFS}. There is no {@code DiskVolumeDiskSize} in the model (the request has
 *       {@code DiskVolume.DiskSize}), nor anything for HostPath volumes.
 *   <li>{@code ComputeCategory} is one string here (a list in the request); {@code SpotPriceLimit} a double;
 *       {@code EphemeralStorage} an integer (GiB); {@code RunAsUser} a long.
 *   <li>Probes' {@code TcpSocket} has {@code Host} and {@code Port}; an env var's field reference is
 *       {@code ValueFrom.FieldRef.FieldPath} (the request's is {@code FieldRef.FieldPath}).
 *   <li>An init container's {@code VolumeMounts} have no {@code SubPath} and it has no probes, {@code Stdin},
 *       {@code StdinOnce} or {@code Tty}; the shared record just leaves those null.
 *   <li>Nothing echoes lifecycle hooks, termination message settings, {@code HostName}, {@code NtpServers},
 *       image registry credentials, EIP settings, bandwidths, grace periods or {@code ShareProcessNamespace}.
 * </ul>
 */
public record DescribeContainerGroupsResponse(
    String requestId, Integer totalCount, String nextToken, List<ContainerGroup> containerGroups) {

  public DescribeContainerGroupsResponse {
    containerGroups = ParamMap.copy(containerGroups);
  }

  /** Whether another page follows this one. */
  public boolean hasNextPage() {
    return nextToken != null && !nextToken.isEmpty();
  }

  /** A container group as DescribeContainerGroups shows it. Times are UTC; cpu in vCPUs, memory in GiB. */
  public record ContainerGroup(
      String containerGroupId,
      String containerGroupName,
      String status,
      String regionId,
      String zoneId,
      String vSwitchId,
      String securityGroupId,
      String instanceType,
      Float cpu,
      Float memory,
      Instant creationTime,
      Instant succeededTime,
      Instant failedTime,
      String intranetIp,
      String internetIp,
      String restartPolicy,
      List<Tag> tags,
      List<Event> events,
      List<ContainerInfo> containers,
      List<InitContainerInfo> initContainers,
      String vpcId,
      String ipv6Address,
      String eniInstanceId,
      Instant expiredTime,
      String computeCategory,
      String spotStrategy,
      Double spotPriceLimit,
      Integer discount,
      Integer ephemeralStorage,
      String ramRoleName,
      String resourceGroupId,
      String dnsPolicy,
      DnsConfigInfo dnsConfig,
      List<HostAliasInfo> hostAliases,
      EciSecurityContextInfo eciSecurityContext,
      List<VolumeInfo> volumes) {

    public ContainerGroup {
      tags = ParamMap.copy(tags);
      events = ParamMap.copy(events);
      containers = ParamMap.copy(containers);
      initContainers = ParamMap.copy(initContainers);
      hostAliases = ParamMap.copy(hostAliases);
      volumes = ParamMap.copy(volumes);
    }

  }

  /** An ECI event, e.g. reason {@code AutoInstanceTypeMatch}; {@code type} is {@code Normal} or {@code Warning}. */
  public record Event(
      Integer count,
      String type,
      String name,
      String reason,
      String message,
      Instant firstTimestamp,
      Instant lastTimestamp) {}

  /** A container of a described group. */
  public record ContainerInfo(
      String name,
      String image,
      String imagePullPolicy,
      Float cpu,
      Float memory,
      Boolean ready,
      Integer restartCount,
      String workingDir,
      List<String> commands,
      List<String> args,
      List<Port> ports,
      ContainerState currentState,
      ContainerState previousState,
      Integer gpu,
      Boolean stdin,
      Boolean stdinOnce,
      Boolean tty,
      List<EnvironmentVarInfo> environmentVars,
      List<VolumeMountInfo> volumeMounts,
      ProbeInfo readinessProbe,
      ProbeInfo livenessProbe,
      SecurityContextInfo securityContext) {

    public ContainerInfo {
      commands = ParamMap.copy(commands);
      args = ParamMap.copy(args);
      ports = ParamMap.copy(ports);
      environmentVars = ParamMap.copy(environmentVars);
      volumeMounts = ParamMap.copy(volumeMounts);
    }

  }

  /**
   * An init container of a described group. The API names its command list {@code Command}, unlike the
   * {@code Commands} of app containers. Its volume mounts have no {@code SubPath}.
   */
  public record InitContainerInfo(
      String name,
      String image,
      Float cpu,
      Float memory,
      Boolean ready,
      Integer restartCount,
      @SerializedName("Command") List<String> commands,
      List<String> args,
      ContainerState currentState,
      ContainerState previousState,
      String imagePullPolicy,
      Integer gpu,
      String workingDir,
      List<EnvironmentVarInfo> environmentVars,
      List<Port> ports,
      List<VolumeMountInfo> volumeMounts,
      SecurityContextInfo securityContext) {

    public InitContainerInfo {
      commands = ParamMap.copy(commands);
      args = ParamMap.copy(args);
      environmentVars = ParamMap.copy(environmentVars);
      ports = ParamMap.copy(ports);
      volumeMounts = ParamMap.copy(volumeMounts);
    }

  }

  /** A port of a described container. */
  public record Port(Integer port, String protocol) {}

  /** A container's state: {@code state} is {@code Waiting}, {@code Running} or {@code Terminated}. */
  public record ContainerState(
      String state,
      String detailStatus,
      String reason,
      String message,
      Integer exitCode,
      Integer signal,
      Instant startTime,
      Instant finishTime) {}

  /**
   * An environment variable as stored: {@code Key}, {@code Value} and, for a field reference,
   * {@code ValueFrom.FieldRef.FieldPath}. {@link #toString} masks the value.
   */
  public record EnvironmentVarInfo(String key, String value, ValueFrom valueFrom) {
    /** The field path of a field reference, or null. */
    public String fieldPath() {
      return valueFrom == null || valueFrom.fieldRef() == null ? null : valueFrom.fieldRef().fieldPath();
    }

    @Override
    public String toString() {
      return "EnvironmentVarInfo[key=" + key + ", value=" + (value == null ? "null" : "***") + ", valueFrom="
          + valueFrom + "]";
    }
  }

  /** {@code ValueFrom{FieldRef}}. */
  public record ValueFrom(FieldRef fieldRef) {}

  /** {@code FieldRef{FieldPath}}, e.g. {@code status.podIP}. */
  public record FieldRef(String fieldPath) {}

  /** {@code VolumeMounts[]{Name, MountPath, ReadOnly, SubPath, MountPropagation}}. */
  public record VolumeMountInfo(
      String name, String mountPath, Boolean readOnly, String subPath, String mountPropagation) {}

  /**
   * {@code ReadinessProbe} / {@code LivenessProbe}: timing and one of {@code Execs[]}, {@code HttpGet{Path, Port,
   * Scheme}}, {@code TcpSocket{Host, Port}}.
   */
  public record ProbeInfo(
      Integer initialDelaySeconds,
      Integer periodSeconds,
      Integer timeoutSeconds,
      Integer successThreshold,
      Integer failureThreshold,
      List<String> execs,
      HttpGetInfo httpGet,
      TcpSocketInfo tcpSocket) {

    public ProbeInfo {
      execs = ParamMap.copy(execs);
    }
  }

  /** A probe's {@code HttpGet{Path, Port, Scheme}}. */
  public record HttpGetInfo(String path, Integer port, String scheme) {}

  /** A probe's {@code TcpSocket{Host, Port}}. */
  public record TcpSocketInfo(String host, Integer port) {}

  /** A container's {@code SecurityContext{Capability{Adds[]}, ReadOnlyRootFilesystem, RunAsUser}}. */
  public record SecurityContextInfo(Capability capability, Boolean readOnlyRootFilesystem, Long runAsUser) {
    /** The added capabilities, empty when none. */
    public List<String> capabilityAdds() {
      return capability == null ? List.of() : capability.adds();
    }
  }

  /** {@code Capability{Adds[]}}. */
  public record Capability(List<String> adds) {
    public Capability {
      adds = ParamMap.copy(adds);
    }
  }

  /** The group's {@code DnsConfig{NameServers[], Searches[], Options[]{Name, Value}}}. */
  public record DnsConfigInfo(List<String> nameServers, List<String> searches, List<NameValue> options) {
    public DnsConfigInfo {
      nameServers = ParamMap.copy(nameServers);
      searches = ParamMap.copy(searches);
      options = ParamMap.copy(options);
    }
  }

  /** A {@code {Name, Value}} pair: a DNS option or a sysctl. */
  public record NameValue(String name, String value) {}

  /** {@code HostAliases[]{Ip, Hostnames[]}}. */
  public record HostAliasInfo(String ip, List<String> hostnames) {
    public HostAliasInfo {
      hostnames = ParamMap.copy(hostnames);
    }
  }

  /** The group's {@code EciSecurityContext{Sysctls[]{Name, Value}}}. */
  public record EciSecurityContextInfo(List<NameValue> sysctls) {
    public EciSecurityContextInfo {
      sysctls = ParamMap.copy(sysctls);
    }
  }

  /**
   * A volume as stored, flattened: the sub-object's fields carry the type as a prefix. Only the fields of its
   * {@code type} are set.
   */
  public record VolumeInfo(
      String name,
      String type,
      String emptyDirVolumeMedium,
      String emptyDirVolumeSizeLimit,
      @SerializedName("NFSVolumeServer") String nfsVolumeServer,
      @SerializedName("NFSVolumePath") String nfsVolumePath,
      @SerializedName("NFSVolumeReadOnly") Boolean nfsVolumeReadOnly,
      List<ConfigFileToPathInfo> configFileVolumeConfigFileToPaths,
      String diskVolumeDiskId,
      String diskVolumeFsType,
      String flexVolumeDriver,
      String flexVolumeFsType,
      String flexVolumeOptions) {

    public VolumeInfo {
      configFileVolumeConfigFileToPaths = ParamMap.copy(configFileVolumeConfigFileToPaths);
    }
  }

  /** A file of a ConfigFile volume: {@code Path} and base64 {@code Content}, masked in {@link #toString}. */
  public record ConfigFileToPathInfo(String path, String content) {
    @Override
    public String toString() {
      return "ConfigFileToPathInfo[path=" + path + ", content=<"
          + (content == null ? "null" : content.length() + " chars") + ">]";
    }
  }
}
