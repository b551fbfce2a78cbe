package io.ecivk.eci.client.model;

import java.util.Map;
import java.util.Objects;

/**
 * A volume mounted into a container, rendered as {@code VolumeMount.N.*}. {@code name} refers to a {@link Volume}
 * of the same group; {@code mountPropagation} is {@code None}, {@code HostToContainer} or {@code Bidirectional}.
 */
public record VolumeMount(String name, String mountPath, Boolean readOnly, String subPath, String mountPropagation) {
  public VolumeMount {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mountPath, "mountPath");
  }

  public static VolumeMount of(String name, String mountPath, boolean readOnly) {
    return new VolumeMount(name, mountPath, readOnly, null, null);
  }

  Map<String, Object> toParams() {
    return new ParamMap()
        .put("Name", name)
        .put("MountPath", mountPath)
        .put("ReadOnly", readOnly)
        .put("SubPath", subPath)
        .put("MountPropagation", mountPropagation)
        .build();
  }
}
