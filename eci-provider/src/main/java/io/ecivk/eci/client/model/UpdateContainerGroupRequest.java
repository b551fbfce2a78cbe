package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * UpdateContainerGroup: changes a running group in place. With {@link #RENEW_UPDATE} (ECI's default) every list
 * or struct parameter sent replaces the stored one wholesale (send all containers, not just the changed one);
 * with {@link #INCREMENTAL_UPDATE} the sent items are merged into the stored ones. Parameters not sent are left
 * as they are. Containers render as in CreateContainerGroup except the postStart header list, which this
 * action's SDK model names {@code LifecyclePostStartHandlerHttpGetHttpHeaders} (see
 * {@link Container#toUpdateParams}). Every optional field is omitted when null or empty; {@link #toString} masks registry passwords,
 * config file contents and environment variable values.
 */
public record UpdateContainerGroupRequest(
    String containerGroupId,
    String updateType,
    String restartPolicy,
    Float cpu,
    Float memory,
    List<Container> containers,
    List<Container> initContainers,
    List<Volume> volumes,
    List<ImageRegistryCredential> imageRegistryCredentials,
    DnsConfig dnsConfig,
    List<Tag> tags,
    String clientToken)
    implements EciRequest {

  public static final String RENEW_UPDATE = "RenewUpdate";
  public static final String INCREMENTAL_UPDATE = "IncrementalUpdate";

  public UpdateContainerGroupRequest {
    Objects.requireNonNull(containerGroupId, "containerGroupId");
    containers = ParamMap.copy(containers);
    initContainers = ParamMap.copy(initContainers);
    volumes = ParamMap.copy(volumes);
    imageRegistryCredentials = ParamMap.copy(imageRegistryCredentials);
    tags = ParamMap.copy(tags);
  }

  public static Builder builder(String containerGroupId) {
    return new Builder(containerGroupId);
  }

  @Override
  public String action() {
    return "UpdateContainerGroup";
  }

  @Override
  public Map<String, Object> toParams() {
    return new ParamMap()
        .put("ContainerGroupId", containerGroupId)
        .put("UpdateType", updateType)
        .put("RestartPolicy", restartPolicy)
        .put("Cpu", cpu)
        .put("Memory", memory)
        .putList("Container", containers, Container::toUpdateParams)
        .putList("InitContainer", initContainers, Container::toUpdateParams)
        .putList("Volume", volumes, Volume::toParams)
        .putList("ImageRegistryCredential", imageRegistryCredentials, ImageRegistryCredential::toParams)
        .putMap("DnsConfig", dnsConfig == null ? null : dnsConfig.toParams())
        .putList("Tag", tags, Tag::toParams)
        .put("ClientToken", clientToken)
        .build();
  }

  /** Builds an {@link UpdateContainerGroupRequest}; unset fields are omitted from the request. */
  public static final class Builder {
    private final String containerGroupId;
    private String updateType;
    private String restartPolicy;
    private Float cpu;
    private Float memory;
    private List<Container> containers = List.of();
    private List<Container> initContainers = List.of();
    private List<Volume> volumes = List.of();
    private List<ImageRegistryCredential> imageRegistryCredentials = List.of();
    private DnsConfig dnsConfig;
    private List<Tag> tags = List.of();
    private String clientToken;

    private Builder(String containerGroupId) {
      this.containerGroupId = containerGroupId;
    }

    /** {@link #RENEW_UPDATE} or {@link #INCREMENTAL_UPDATE}; null leaves ECI's default (RenewUpdate). */
    public Builder updateType(String updateType) {
      this.updateType = updateType;
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

    public Builder containers(List<Container> containers) {
      this.containers = containers;
      return this;
    }

    public Builder initContainers(List<Container> initContainers) {
      this.initContainers = initContainers;
      return this;
    }

    public Builder volumes(List<Volume> volumes) {
      this.volumes = volumes;
      return this;
    }

    public Builder imageRegistryCredentials(List<ImageRegistryCredential> imageRegistryCredentials) {
      this.imageRegistryCredentials = imageRegistryCredentials;
      return this;
    }

    public Builder dnsConfig(DnsConfig dnsConfig) {
      this.dnsConfig = dnsConfig;
      return this;
    }

    public Builder tags(List<Tag> tags) {
      this.tags = tags;
      return this;
    }

    public Builder clientToken(String clientToken) {
      this.clientToken = clientToken;
      return this;
    }

    public UpdateContainerGroupRequest build() {
      return new UpdateContainerGroupRequest(
          containerGroupId, updateType, restartPolicy, cpu, memory, containers, initContainers, volumes,
          imageRegistryCredentials, dnsConfig, tags, clientToken);
    }
  }
}
