package io.ecivk.eci.mock.model;

/** Where a container mounts a group volume. {@code subPath} and {@code mountPropagation} may be null. */
public record VolumeMountSpec(String name, String mountPath, boolean readOnly, String subPath,
        String mountPropagation) {
}
