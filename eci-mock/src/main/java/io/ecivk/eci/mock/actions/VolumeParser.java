package io.ecivk.eci.mock.actions;

import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.Params;
import io.ecivk.eci.mock.model.VolumeSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates the {@code Volume.N.*} parameters (eci-openapi.md §3.1): names unique, the sub-object of the type. */
final class VolumeParser {

    static final int MAX_VOLUMES = 20;
    /** The SDK model documents "Maximum size: 32 KB" for a ConfigFile volume's content. */
    static final int MAX_CONFIG_FILE_BYTES = 32 * 1024;
    /** "All configuration files cannot be larger than 60 KB" (ECI's ConfigFile volume page), per volume. */
    static final int MAX_CONFIG_VOLUME_BYTES = 60 * 1024;

    private static final Set<String> VOLUME_TYPES = Set.of("EmptyDirVolume", "NFSVolume", "ConfigFileVolume",
            "FlexVolume", "DiskVolume", "HostPathVolume");
    private static final Set<String> EMPTY_DIR_MEDIA = Set.of("Memory", "LocalRaid0");
    /** A Kubernetes quantity such as {@code 256Mi}, {@code 1Gi}, {@code 500M} or {@code 1024}. */
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
    private static final int MAX_MODE = 0777;

    private VolumeParser() {
    }

    static List<VolumeSpec> volumes(Params params) {
        List<Params> items = params.list("Volume");
        if (items.size() > MAX_VOLUMES) {
            throw ApiException.invalidParameter("Volume",
                    "at most " + MAX_VOLUMES + " items may be given, got " + items.size() + ".");
        }
        List<VolumeSpec> volumes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Params item : items) {
            String name = item.required("Name");
            if (!names.add(name)) {
                throw ApiException.invalidParameter(item.child("Name").path(),
                        "volume \"" + name + "\" is declared twice.");
            }
            if (item.string("Type").isEmpty()) {
                throw ApiException.missingParameter(item.child("Type").path());
            }
            volumes.add(volume(item, name, item.oneOf("Type", null, VOLUME_TYPES)));
        }
        return volumes;
    }

    private static VolumeSpec volume(Params item, String name, String type) {
        return switch (type) {
            case "EmptyDirVolume" -> {
                Params emptyDir = item.child("EmptyDirVolume");
                String sizeLimit = emptyDir.string("SizeLimit").orElse(null);
                if (sizeLimit != null && !QUANTITY.matcher(sizeLimit).matches()) {
                    throw ApiException.invalidParameter(emptyDir.child("SizeLimit").path(),
                            "\"" + sizeLimit + "\" is not a quantity such as 256Mi.");
                }
                yield new VolumeSpec(name, type, new VolumeSpec.EmptyDir(
                        emptyDir.oneOf("Medium", null, EMPTY_DIR_MEDIA), sizeLimit), null, null, null, null);
            }
            case "NFSVolume" -> {
                Params nfs = item.child("NFSVolume");
                yield new VolumeSpec(name, type, null, new VolumeSpec.Nfs(nfs.required("Server"),
                        nfs.required("Path"), nfs.bool("ReadOnly").orElse(false)), null, null, null);
            }
            case "ConfigFileVolume" -> new VolumeSpec(name, type, null, null, configFile(item), null, null);
            case "DiskVolume" -> {
                Params disk = item.child("DiskVolume");
                yield new VolumeSpec(name, type, null, null, null, new VolumeSpec.Disk(disk.required("DiskId"),
                        disk.integerOrNull("DiskSize", 1, Integer.MAX_VALUE), disk.string("FsType").orElse(null)),
                        null);
            }
            case "FlexVolume" -> {
                Params flex = item.child("FlexVolume");
                yield new VolumeSpec(name, type, null, null, null, null, new VolumeSpec.Flex(
                        flex.required("Driver"), flex.string("FsType").orElse(null),
                        flex.string("Options").orElse(null)));
            }
            case "HostPathVolume" -> throw ApiException.invalidParameter(item.child("Type").path(),
                    "HostPathVolume is only available to whitelisted users.");
            default -> throw new IllegalStateException("unhandled volume type " + type);
        };
    }

    private static VolumeSpec.ConfigFile configFile(Params item) {
        Params configFile = item.child("ConfigFileVolume");
        List<VolumeSpec.ConfigFileToPath> files = new ArrayList<>();
        long total = 0;
        for (Params file : configFile.list("ConfigFileToPath")) {
            String path = file.required("Path");
            if (path.startsWith("/") || List.of(path.split("/")).contains("..")) {
                throw ApiException.invalidParameter(file.child("Path").path(),
                        "the path must be relative to the mount point, without \"..\".");
            }
            String content = file.string("Content").orElse(null);
            if (content != null) {
                byte[] decoded;
                try {
                    decoded = Base64.getDecoder().decode(content);
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalidParameter(file.child("Content").path(), "the content must be base64.");
                }
                if (decoded.length > MAX_CONFIG_FILE_BYTES) {
                    throw ApiException.invalidParameter(file.child("Content").path(),
                            "the content must be at most 32 KB.");
                }
                total += decoded.length;
                if (total > MAX_CONFIG_VOLUME_BYTES) {
                    throw ApiException.invalidParameter(configFile.child("ConfigFileToPath").path(),
                            "the files of a ConfigFile volume must be at most 60 KB in all.");
                }
            }
            files.add(new VolumeSpec.ConfigFileToPath(path, content,
                    file.integerOrNull("Mode", 0, MAX_MODE)));
        }
        return new VolumeSpec.ConfigFile(configFile.integerOrNull("DefaultMode", 0, MAX_MODE), files);
    }
}
