package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CreateContainerGroup. The API answers with the new group's id, or with the id of the group an earlier request
 * with the same {@code clientToken} and identical parameters created (idempotent replay).
 *
 * @param vSwitchIds one or more vSwitches (at most 10, one zone each); ECI picks the zone per {@code
 *     scheduleStrategy}. Sent as one comma-separated value, as the API takes it.
 * @param cpu instance vCPUs; with {@code memory} the instance size, else ECI sums the containers
 * @param memory instance memory in GiB
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
    List<Container> initContainers)
    implements EciRequest {

  public CreateContainerGroupRequest {
    Objects.requireNonNull(containerGroupName, "containerGroupName");
    vSwitchIds = ParamMap.copy(vSwitchIds);
    tags = ParamMap.copy(tags);
    containers = ParamMap.copy(containers);
    initContainers = ParamMap.copy(initContainers);
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
        .put("VSwitchId", vSwitchIds.isEmpty() ? null : String.join(",", vSwitchIds))
        .put("ZoneId", zoneId)
        .put("ScheduleStrategy", scheduleStrategy)
        .put("RestartPolicy", restartPolicy)
        .put("Cpu", cpu)
        .put("Memory", memory)
        .put("ClientToken", clientToken)
        .putList("Tag", tags, Tag::toParams)
        .putList("Container", containers, Container::toParams)
        .putList("InitContainer", initContainers, Container::toParams)
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

    public CreateContainerGroupRequest build() {
      return new CreateContainerGroupRequest(
          containerGroupName, securityGroupId, vSwitchIds, zoneId, scheduleStrategy, restartPolicy, cpu, memory,
          clientToken, tags, containers, initContainers);
    }
  }
}
