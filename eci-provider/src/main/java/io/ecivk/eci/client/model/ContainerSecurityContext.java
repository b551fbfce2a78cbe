package io.ecivk.eci.client.model;

import java.util.List;

/**
 * A container's security context. ECI takes part of it nested and part flat, so a container renders it as
 * {@code SecurityContext.Capability.Add.N}, {@code SecurityContext.ReadOnlyRootFilesystem},
 * {@code SecurityContext.RunAsUser}, and the container-level keys {@code SecurityContextRunAsGroup} and
 * {@code SecurityContextRunAsNonRoot}.
 *
 * <p>There is deliberately no {@code privileged}: the API has {@code SecurityContextPrivileged}, but we never
 * send it; privileged pods are rejected before they reach the client.
 *
 * @param capabilityAdd Linux capabilities to add, e.g. {@code NET_ADMIN}
 */
public record ContainerSecurityContext(
    List<String> capabilityAdd,
    Boolean readOnlyRootFilesystem,
    Long runAsUser,
    Long runAsGroup,
    Boolean runAsNonRoot) {

  public ContainerSecurityContext {
    capabilityAdd = ParamMap.copy(capabilityAdd);
  }

  /** The nested {@code SecurityContext.*} part; empty when none of its fields is set. */
  java.util.Map<String, Object> nestedParams() {
    ParamMap p = new ParamMap();
    if (!capabilityAdd.isEmpty()) {
      p.putMap("Capability", new ParamMap().putList("Add", capabilityAdd).build());
    }
    return p.put("ReadOnlyRootFilesystem", readOnlyRootFilesystem).put("RunAsUser", runAsUser).build();
  }
}
