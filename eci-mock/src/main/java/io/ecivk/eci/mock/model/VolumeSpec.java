package io.ecivk.eci.mock.model;

/** A group volume by name and ECI type (EmptyDirVolume, NFSVolume, ConfigFileVolume, ...). */
public record VolumeSpec(String name, String type) {
}
