package io.ecivk.eci.mock.model;

import java.util.List;

/**
 * A group volume by name and ECI type (EmptyDirVolume, NFSVolume, ConfigFileVolume, DiskVolume, FlexVolume). Only
 * the sub-object of its type is set; the others are null.
 */
public record VolumeSpec(String name, String type, EmptyDir emptyDir, Nfs nfs, ConfigFile configFile, Disk disk,
        Flex flex) {

    public VolumeSpec(String name, String type) {
        this(name, type, null, null, null, null, null);
    }

    /** {@code EmptyDirVolume.{Medium,SizeLimit}}; either may be null. */
    public record EmptyDir(String medium, String sizeLimit) {
    }

    /** {@code NFSVolume.{Server,Path,ReadOnly}}. */
    public record Nfs(String server, String path, boolean readOnly) {
    }

    /** {@code ConfigFileVolume.{DefaultMode, ConfigFileToPath.N}}; {@code defaultMode} may be null. */
    public record ConfigFile(Integer defaultMode, List<ConfigFileToPath> files) {

        public ConfigFile {
            files = List.copyOf(files);
        }
    }

    /** One file: relative path, base64 content exactly as sent, optional mode. */
    public record ConfigFileToPath(String path, String content, Integer mode) {
    }

    /** {@code DiskVolume.{DiskId,DiskSize,FsType}}; size and type may be null. */
    public record Disk(String diskId, Integer diskSize, String fsType) {
    }

    /** {@code FlexVolume.{Driver,FsType,Options}}; options is a JSON string, kept verbatim. */
    public record Flex(String driver, String fsType, String options) {
    }
}
