package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A volume of a container group, rendered as {@code Volume.N.Name}, {@code Volume.N.Type} and the one sub-object
 * that matches the type, e.g. {@code Volume.N.EmptyDirVolume.Medium}. Create one with a factory per type:
 * {@link #emptyDir}, {@link #nfs}, {@link #configFile}, {@link #disk}, {@link #flex}, {@link #hostPath}.
 *
 * <p>Secrets and ConfigMaps become {@code ConfigFileVolume}s; the file contents are masked in {@link #toString}.
 * {@code HostPathVolume} is only open to whitelisted accounts.
 *
 * @param type one of {@link #EMPTY_DIR}, {@link #NFS}, {@link #CONFIG_FILE}, {@link #DISK}, {@link #FLEX},
 *     {@link #HOST_PATH}
 */
public record Volume(
    String name,
    String type,
    EmptyDir emptyDir,
    Nfs nfs,
    ConfigFile configFile,
    Disk disk,
    Flex flex,
    HostPath hostPath) {

  public static final String EMPTY_DIR = "EmptyDirVolume";
  public static final String NFS = "NFSVolume";
  public static final String CONFIG_FILE = "ConfigFileVolume";
  public static final String DISK = "DiskVolume";
  public static final String FLEX = "FlexVolume";
  public static final String HOST_PATH = "HostPathVolume";

  /** {@code EmptyDirVolume.{Medium,SizeLimit}}: medium empty (node disk), {@code Memory} or {@code LocalRaid0}. */
  public record EmptyDir(String medium, String sizeLimit) {}

  /** {@code NFSVolume.{Server,Path,ReadOnly}}, e.g. a NAS mount target. */
  public record Nfs(String server, String path, Boolean readOnly) {
    public Nfs {
      Objects.requireNonNull(server, "server");
    }
  }

  /** {@code ConfigFileVolume.{DefaultMode, ConfigFileToPath.N}}. */
  public record ConfigFile(Integer defaultMode, List<ConfigFileToPath> files) {
    public ConfigFile {
      files = ParamMap.copy(files);
    }
  }

  /** {@code DiskVolume.{DiskId,DiskSize,FsType}}: a cloud disk, size in GiB. */
  public record Disk(String diskId, Integer diskSize, String fsType) {}

  /** {@code FlexVolume.{Driver,FsType,Options}}; {@code options} is a JSON object as a string. */
  public record Flex(String driver, String fsType, String options) {
    public Flex {
      Objects.requireNonNull(driver, "driver");
    }
  }

  /** {@code HostPathVolume.{Path,Type}}; type {@code Directory} or {@code File}. */
  public record HostPath(String path, String type) {
    public HostPath {
      Objects.requireNonNull(path, "path");
    }
  }

  public Volume {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Object expected =
        switch (type) {
          case EMPTY_DIR -> emptyDir == null ? new EmptyDir(null, null) : emptyDir;
          case NFS -> nfs;
          case CONFIG_FILE -> configFile;
          case DISK -> disk;
          case FLEX -> flex;
          case HOST_PATH -> hostPath;
          default -> throw new IllegalArgumentException("unknown volume type " + type);
        };
    if (expected == null) {
      throw new IllegalArgumentException("volume " + name + " of type " + type + " has no " + type + " settings");
    }
    long set =
        java.util.stream.Stream.of(emptyDir, nfs, configFile, disk, flex, hostPath).filter(Objects::nonNull).count();
    if (set > 1) {
      throw new IllegalArgumentException("volume " + name + " has settings for more than one type");
    }
  }

  public static Volume emptyDir(String name, String medium, String sizeLimit) {
    return new Volume(name, EMPTY_DIR, new EmptyDir(medium, sizeLimit), null, null, null, null, null);
  }

  public static Volume nfs(String name, String server, String path, Boolean readOnly) {
    return new Volume(name, NFS, null, new Nfs(server, path, readOnly), null, null, null, null);
  }

  public static Volume configFile(String name, Integer defaultMode, List<ConfigFileToPath> files) {
    return new Volume(name, CONFIG_FILE, null, null, new ConfigFile(defaultMode, files), null, null, null);
  }

  public static Volume disk(String name, String diskId, Integer diskSize, String fsType) {
    return new Volume(name, DISK, null, null, null, new Disk(diskId, diskSize, fsType), null, null);
  }

  public static Volume flex(String name, String driver, String fsType, String options) {
    return new Volume(name, FLEX, null, null, null, null, new Flex(driver, fsType, options), null);
  }

  public static Volume hostPath(String name, String path, String hostPathType) {
    return new Volume(name, HOST_PATH, null, null, null, null, null, new HostPath(path, hostPathType));
  }

  Map<String, Object> toParams() {
    ParamMap p = new ParamMap().put("Name", name).put("Type", type);
    if (emptyDir != null) {
      p.putMap(
          EMPTY_DIR, new ParamMap().put("Medium", emptyDir.medium()).put("SizeLimit", emptyDir.sizeLimit()).build());
    }
    if (nfs != null) {
      p.putMap(
          NFS,
          new ParamMap().put("Server", nfs.server()).put("Path", nfs.path()).put("ReadOnly", nfs.readOnly()).build());
    }
    if (configFile != null) {
      p.putMap(
          CONFIG_FILE,
          new ParamMap()
              .put("DefaultMode", configFile.defaultMode())
              .putList("ConfigFileToPath", configFile.files(), ConfigFileToPath::toParams)
              .build());
    }
    if (disk != null) {
      p.putMap(
          DISK,
          new ParamMap()
              .put("DiskId", disk.diskId())
              .put("DiskSize", disk.diskSize())
              .put("FsType", disk.fsType())
              .build());
    }
    if (flex != null) {
      p.putMap(
          FLEX,
          new ParamMap()
              .put("Driver", flex.driver())
              .put("FsType", flex.fsType())
              .put("Options", flex.options())
              .build());
    }
    if (hostPath != null) {
      p.putMap(HOST_PATH, new ParamMap().put("Path", hostPath.path()).put("Type", hostPath.type()).build());
    }
    return p.build();
  }
}
