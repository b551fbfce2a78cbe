package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CreateContainerGroup. The API answers with the new group's id, or with the id of the group an earlier request
 * with the same {@code clientToken} and identical parameters created (idempotent replay).
 *
 * <p>Every optional field is omitted from the request when null or empty. Field names follow the API (see the
 * builder's javadoc for each wire key). {@link #toString} is safe to log by mistake: registry passwords,
 * config file contents and environment variable values are masked by the records that carry them.
 *
 * @param vSwitchIds one or more vSwitches (at most 10, one zone each); ECI picks the zone per {@code
 *     scheduleStrategy}. Sent as one comma-separated value, as the API takes it.
 * @param cpu instance vCPUs; with {@code memory} the instance size, else ECI sums the containers
 * @param memory instance memory in GiB
 * @param instanceTypes ECS instance types, sent as one comma-separated {@code InstanceType}
 * @param hostAliases sent as {@code HostAliase.N} (the API's spelling)
 * @param sysctls sent as {@code SecurityContext.Sysctl.N}
 */
public record CreateContainerGroupRequest(
    String containerGroupName,
    String securityGroupId,
    List<String> vSwitchIds,
    String zoneId,
    String scheduleStrategy,
    String restartPolicy,
    Float cpu,
    Float memory,
    String clientToken,
    List<Tag> tags,
    List<Container> containers,
    List<Container> initContainers,
    List<Volume> volumes,
    List<String> instanceTypes,
    List<String> computeCategories,
    String spotStrategy,
    Float spotPriceLimit,
    Long spotDuration,
    Boolean autoMatchImageCache,
    String imageSnapshotId,
    String eipInstanceId,
    Boolean autoCreateEip,
    Integer eipBandwidth,
    String eipIsp,
    String eipCommonBandwidthPackage,
    Long terminationGracePeriodSeconds,
    Long activeDeadlineSeconds,
    Integer ipv6AddressCount,
    String corePattern,
    String dnsPolicy,
    DnsConfig dnsConfig,
    List<HostAlias> hostAliases,
    String hostName,
    List<Sysctl> sysctls,
    List<ImageRegistryCredential> imageRegistryCredentials,
    String ramRoleName,
    Integer ephemeralStorage,
    List<String> ntpServers,
    Long ingressBandwidth,
    Long egressBandwidth,
    String gpuDriverVersion,
    Integer maxPendingMinute,
    Boolean shareProcessNamespace,
    String resourceGroupId)
    implements EciRequest {

  public CreateContainerGroupRequest {
    Objects.requireNonNull(containerGroupName, "containerGroupName");
    vSwitchIds = ParamMap.copy(vSwitchIds);
    tags = ParamMap.copy(tags);
    containers = ParamMap.copy(containers);
    initContainers = ParamMap.copy(initContainers);
    volumes = ParamMap.copy(volumes);
    instanceTypes = ParamMap.copy(instanceTypes);
    computeCategories = ParamMap.copy(computeCategories);
    hostAliases = ParamMap.copy(hostAliases);
    sysctls = ParamMap.copy(sysctls);
    imageRegistryCredentials = ParamMap.copy(imageRegistryCredentials);
    ntpServers = ParamMap.copy(ntpServers);
  }

  public static Builder builder(String containerGroupName) {
    return new Builder(containerGroupName);
  }

  @Override
  public String action() {
    return "CreateContainerGroup";
  }

  @Override
  public Map<String, Object> toParams() {
    return new ParamMap()
        .put("ContainerGroupName", containerGroupName)
        .put("SecurityGroupId", securityGroupId)
        .put("VSwitchId", ParamMap.joined(vSwitchIds))
        .put("ZoneId", zoneId)
        .put("ScheduleStrategy", scheduleStrategy)
        .put("RestartPolicy", restartPolicy)
        .put("Cpu", cpu)
        .put("Memory", memory)
        .put("ClientToken", clientToken)
        .putList("Tag", tags, Tag::toParams)
        .putList("Container", containers, Container::toParams)
        .putList("InitContainer", initContainers, Container::toParams)
        .putList("Volume", volumes, Volume::toParams)
        .put("InstanceType", ParamMap.joined(instanceTypes))
        .putList("ComputeCategory", computeCategories)
        .put("SpotStrategy", spotStrategy)
        .put("SpotPriceLimit", spotPriceLimit)
        .put("SpotDuration", spotDuration)
        .put("AutoMatchImageCache", autoMatchImageCache)
        .put("ImageSnapshotId", imageSnapshotId)
        .put("EipInstanceId", eipInstanceId)
        .put("AutoCreateEip", autoCreateEip)
        .put("EipBandwidth", eipBandwidth)
        .put("EipISP", eipIsp)
        .put("EipCommonBandwidthPackage", eipCommonBandwidthPackage)
        .put("TerminationGracePeriodSeconds", terminationGracePeriodSeconds)
        .put("ActiveDeadlineSeconds", activeDeadlineSeconds)
        .put("Ipv6AddressCount", ipv6AddressCount)
        .put("CorePattern", corePattern)
        .put("DnsPolicy", dnsPolicy)
        .putMap("DnsConfig", dnsConfig == null ? null : dnsConfig.toParams())
        .putList("HostAliase", hostAliases, HostAlias::toParams)
        .put("HostName", hostName)
        .putMap("SecurityContext", new ParamMap().putList("Sysctl", sysctls, Sysctl::toParams).build())
        .putList("ImageRegistryCredential", imageRegistryCredentials, ImageRegistryCredential::toParams)
        .put("RamRoleName", ramRoleName)
        .put("EphemeralStorage", ephemeralStorage)
        .putList("NtpServer", ntpServers)
        .put("IngressBandwidth", ingressBandwidth)
        .put("EgressBandwidth", egressBandwidth)
        .put("GpuDriverVersion", gpuDriverVersion)
        .put("MaxPendingMinute", maxPendingMinute)
        .put("ShareProcessNamespace", shareProcessNamespace)
        .put("ResourceGroupId", resourceGroupId)
        .build();
  }

  /** Builds a {@link CreateContainerGroupRequest}; unset fields are omitted from the request. */
  public static final class Builder {
    private final String containerGroupName;
    private String securityGroupId;
    private List<String> vSwitchIds = List.of();
    private String zoneId;
    private String scheduleStrategy;
    private String restartPolicy;
    private Float cpu;
    private Float memory;
    private String clientToken;
    private List<Tag> tags = List.of();
    private List<Container> containers = List.of();
    private List<Container> initContainers = List.of();
    private List<Volume> volumes = List.of();
    private List<String> instanceTypes = List.of();
    private List<String> computeCategories = List.of();
    private String spotStrategy;
    private Float spotPriceLimit;
    private Long spotDuration;
    private Boolean autoMatchImageCache;
    private String imageSnapshotId;
    private String eipInstanceId;
    private Boolean autoCreateEip;
    private Integer eipBandwidth;
    private String eipIsp;
    private String eipCommonBandwidthPackage;
    private Long terminationGracePeriodSeconds;
    private Long activeDeadlineSeconds;
    private Integer ipv6AddressCount;
    private String corePattern;
    private String dnsPolicy;
    private DnsConfig dnsConfig;
    private List<HostAlias> hostAliases = List.of();
    private String hostName;
    private List<Sysctl> sysctls = List.of();
    private List<ImageRegistryCredential> imageRegistryCredentials = List.of();
    private String ramRoleName;
    private Integer ephemeralStorage;
    private List<String> ntpServers = List.of();
    private Long ingressBandwidth;
    private Long egressBandwidth;
    private String gpuDriverVersion;
    private Integer maxPendingMinute;
    private Boolean shareProcessNamespace;
    private String resourceGroupId;

    private Builder(String containerGroupName) {
      this.containerGroupName = containerGroupName;
    }

    public Builder securityGroupId(String securityGroupId) {
      this.securityGroupId = securityGroupId;
      return this;
    }

    public Builder vSwitchIds(List<String> vSwitchIds) {
      this.vSwitchIds = vSwitchIds;
      return this;
    }

    public Builder zoneId(String zoneId) {
      this.zoneId = zoneId;
      return this;
    }

    public Builder scheduleStrategy(String scheduleStrategy) {
      this.scheduleStrategy = scheduleStrategy;
      return this;
    }

    public Builder restartPolicy(String restartPolicy) {
      this.restartPolicy = restartPolicy;
      return this;
    }

    public Builder cpu(Float cpu) {
      this.cpu = cpu;
      return this;
    }

    public Builder memory(Float memory) {
      this.memory = memory;
      return this;
    }

    public Builder clientToken(String clientToken) {
      this.clientToken = clientToken;
      return this;
    }

    public Builder tags(List<Tag> tags) {
      this.tags = tags;
      return this;
    }

    public Builder containers(List<Container> containers) {
      this.containers = containers;
      return this;
    }

    public Builder initContainers(List<Container> initContainers) {
      this.initContainers = initContainers;
      return this;
    }

    /** Volume.N. */
    public Builder volumes(List<Volume> volumes) {
      this.volumes = volumes;
      return this;
    }

    /** InstanceType, one comma-separated value; ECI tries them in order. */
    public Builder instanceTypes(List<String> instanceTypes) {
      this.instanceTypes = instanceTypes;
      return this;
    }

    /** ComputeCategory.N: economy and/or general. */
    public Builder computeCategories(List<String> computeCategories) {
      this.computeCategories = computeCategories;
      return this;
    }

    /** SpotStrategy: NoSpot, SpotWithPriceLimit or SpotAsPriceGo. */
    public Builder spotStrategy(String spotStrategy) {
      this.spotStrategy = spotStrategy;
      return this;
    }

    /** SpotPriceLimit: maximum hourly price, with SpotWithPriceLimit. */
    public Builder spotPriceLimit(Float spotPriceLimit) {
      this.spotPriceLimit = spotPriceLimit;
      return this;
    }

    /** SpotDuration: protected hours of a spot instance (0 or 1). */
    public Builder spotDuration(Long spotDuration) {
      this.spotDuration = spotDuration;
      return this;
    }

    /** AutoMatchImageCache. */
    public Builder autoMatchImageCache(Boolean autoMatchImageCache) {
      this.autoMatchImageCache = autoMatchImageCache;
      return this;
    }

    /** ImageSnapshotId: an image cache id, imc-.... */
    public Builder imageSnapshotId(String imageSnapshotId) {
      this.imageSnapshotId = imageSnapshotId;
      return this;
    }

    /** EipInstanceId: an existing EIP to bind. */
    public Builder eipInstanceId(String eipInstanceId) {
      this.eipInstanceId = eipInstanceId;
      return this;
    }

    /** AutoCreateEip. */
    public Builder autoCreateEip(Boolean autoCreateEip) {
      this.autoCreateEip = autoCreateEip;
      return this;
    }

    /** EipBandwidth in Mbit/s, with AutoCreateEip. */
    public Builder eipBandwidth(Integer eipBandwidth) {
      this.eipBandwidth = eipBandwidth;
      return this;
    }

    /** EipISP, e.g. BGP. */
    public Builder eipIsp(String eipIsp) {
      this.eipIsp = eipIsp;
      return this;
    }

    /** EipCommonBandwidthPackage: a cbwp-... id. */
    public Builder eipCommonBandwidthPackage(String eipCommonBandwidthPackage) {
      this.eipCommonBandwidthPackage = eipCommonBandwidthPackage;
      return this;
    }

    /** TerminationGracePeriodSeconds. */
    public Builder terminationGracePeriodSeconds(Long terminationGracePeriodSeconds) {
      this.terminationGracePeriodSeconds = terminationGracePeriodSeconds;
      return this;
    }

    /** ActiveDeadlineSeconds. */
    public Builder activeDeadlineSeconds(Long activeDeadlineSeconds) {
      this.activeDeadlineSeconds = activeDeadlineSeconds;
      return this;
    }

    /** Ipv6AddressCount (1 to get an IPv6 address). */
    public Builder ipv6AddressCount(Integer ipv6AddressCount) {
      this.ipv6AddressCount = ipv6AddressCount;
      return this;
    }

    /** CorePattern: where core dumps go. */
    public Builder corePattern(String corePattern) {
      this.corePattern = corePattern;
      return this;
    }

    /** DnsPolicy: None or Default. */
    public Builder dnsPolicy(String dnsPolicy) {
      this.dnsPolicy = dnsPolicy;
      return this;
    }

    /** DnsConfig.*. */
    public Builder dnsConfig(DnsConfig dnsConfig) {
      this.dnsConfig = dnsConfig;
      return this;
    }

    /** HostAliase.N (sic). */
    public Builder hostAliases(List<HostAlias> hostAliases) {
      this.hostAliases = hostAliases;
      return this;
    }

    /** HostName. */
    public Builder hostName(String hostName) {
      this.hostName = hostName;
      return this;
    }

    /** SecurityContext.Sysctl.N: safe sysctls. */
    public Builder sysctls(List<Sysctl> sysctls) {
      this.sysctls = sysctls;
      return this;
    }

    /** ImageRegistryCredential.N; passwords are masked in toString. */
    public Builder imageRegistryCredentials(List<ImageRegistryCredential> imageRegistryCredentials) {
      this.imageRegistryCredentials = imageRegistryCredentials;
      return this;
    }

    /** RamRoleName. */
    public Builder ramRoleName(String ramRoleName) {
      this.ramRoleName = ramRoleName;
      return this;
    }

    /** EphemeralStorage: extra temporary storage in GiB. */
    public Builder ephemeralStorage(Integer ephemeralStorage) {
      this.ephemeralStorage = ephemeralStorage;
      return this;
    }

    /** NtpServer.N. */
    public Builder ntpServers(List<String> ntpServers) {
      this.ntpServers = ntpServers;
      return this;
    }

    /** IngressBandwidth in bit/s. */
    public Builder ingressBandwidth(Long ingressBandwidth) {
      this.ingressBandwidth = ingressBandwidth;
      return this;
    }

    /** EgressBandwidth in bit/s. */
    public Builder egressBandwidth(Long egressBandwidth) {
      this.egressBandwidth = egressBandwidth;
      return this;
    }

    /** GpuDriverVersion, e.g. tesla=525.85.12. */
    public Builder gpuDriverVersion(String gpuDriverVersion) {
      this.gpuDriverVersion = gpuDriverVersion;
      return this;
    }

    /** MaxPendingMinute: 10 to 1440. */
    public Builder maxPendingMinute(Integer maxPendingMinute) {
      this.maxPendingMinute = maxPendingMinute;
      return this;
    }

    /** ShareProcessNamespace. */
    public Builder shareProcessNamespace(Boolean shareProcessNamespace) {
      this.shareProcessNamespace = shareProcessNamespace;
      return this;
    }

    /** ResourceGroupId. */
    public Builder resourceGroupId(String resourceGroupId) {
      this.resourceGroupId = resourceGroupId;
      return this;
    }

    public CreateContainerGroupRequest build() {
      return new CreateContainerGroupRequest(
          containerGroupName, securityGroupId, vSwitchIds, zoneId, scheduleStrategy, restartPolicy, cpu, memory, clientToken, tags, containers, initContainers, volumes, instanceTypes, computeCategories, spotStrategy, spotPriceLimit, spotDuration, autoMatchImageCache, imageSnapshotId, eipInstanceId, autoCreateEip, eipBandwidth, eipIsp, eipCommonBandwidthPackage, terminationGracePeriodSeconds, activeDeadlineSeconds, ipv6AddressCount, corePattern, dnsPolicy, dnsConfig, hostAliases, hostName, sysctls, imageRegistryCredentials, ramRoleName, ephemeralStorage, ntpServers, ingressBandwidth, egressBandwidth, gpuDriverVersion, maxPendingMinute, shareProcessNamespace, resourceGroupId);
    }
  }
}
