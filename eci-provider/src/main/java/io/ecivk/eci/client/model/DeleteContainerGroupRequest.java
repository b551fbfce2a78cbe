package io.ecivk.eci.client.model;

import java.util.Map;
import java.util.Objects;

/**
 * DeleteContainerGroup. With {@code force} ECI skips the graceful termination period.
 */
public record DeleteContainerGroupRequest(String containerGroupId, String clientToken, Boolean force)
    implements EciRequest {

  public DeleteContainerGroupRequest {
    Objects.requireNonNull(containerGroupId, "containerGroupId");
  }

  public static DeleteContainerGroupRequest of(String containerGroupId) {
    return new DeleteContainerGroupRequest(containerGroupId, null, null);
  }

  @Override
  public String action() {
    return "DeleteContainerGroup";
  }

  @Override
  public Map<String, Object> toParams() {
    return new ParamMap()
        .put("ContainerGroupId", containerGroupId)
        .put("ClientToken", clientToken)
        .put("Force", force)
        .build();
  }
}
