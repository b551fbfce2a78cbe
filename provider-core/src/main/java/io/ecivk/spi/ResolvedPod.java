package io.ecivk.spi;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod together with everything the framework read from the API server on its behalf, so that a provider never
 * needs a Kubernetes client: environment variables resolved like the kubelet resolves them, the files of
 * configMap, secret, downwardAPI and projected volumes (including bound service-account tokens and
 * {@code kube-root-ca.crt}), the PersistentVolumes bound to the pod's claims, and the registry credentials of its
 * imagePullSecrets.
 *
 * <p>Immutable; a provider may keep it. Secret material (tokens, secret values, passwords) is held here in clear
 * because the backend needs it: providers must never log it.
 *
 * @param pod the pod as the informer saw it (not to be modified)
 * @param env per container name (init and app containers), the container's complete environment in the order the
 *     kubelet builds it ({@code envFrom}, then {@code env}, then service variables not already defined), with
 *     {@code $(VAR)} references expanded. Every entry carries a literal value, except {@code fieldRef}s that only
 *     the backend can know ({@code status.podIP}, {@code status.podIPs}, {@code status.hostIP},
 *     {@code status.hostIPs}): those keep their {@code valueFrom}
 * @param volumes by pod volume name, for the volumes whose content the framework resolved; volumes the provider
 *     maps from the spec alone (emptyDir, nfs, ...) are absent
 * @param registryCredentials from the pod's imagePullSecrets, in order, duplicates removed
 */
public record ResolvedPod(
    Pod pod,
    Map<String, List<EnvVar>> env,
    Map<String, ResolvedVolume> volumes,
    List<RegistryCredential> registryCredentials) {

  public ResolvedPod {
    Objects.requireNonNull(pod, "pod");
    env = Map.copyOf(env);
    volumes = Map.copyOf(volumes);
    registryCredentials = List.copyOf(registryCredentials);
  }

  /** A pod that reads nothing from the API server: no env, no resolved volumes, no credentials. */
  public static ResolvedPod of(Pod pod) {
    return new ResolvedPod(pod, Map.of(), Map.of(), List.of());
  }

  /** The container's resolved environment, or an empty list when it has none. */
  public List<EnvVar> envOf(String containerName) {
    return env.getOrDefault(containerName, List.of());
  }

  /** The content of a volume the framework resolved. */
  public sealed interface ResolvedVolume permits FileVolume, BoundPersistentVolume {}

  /**
   * A configMap, secret, downwardAPI or projected volume, rendered to its files exactly as the kubelet would
   * write them: items and paths applied, keys of optional missing sources left out.
   */
  public record FileVolume(List<VolumeFile> files) implements ResolvedVolume {
    public FileVolume {
      files = List.copyOf(files);
    }
  }

  /**
   * One file of a {@link FileVolume}.
   *
   * @param path relative path inside the volume (no leading slash, no {@code ..})
   * @param content the bytes
   * @param mode the file mode (the item's mode, else the volume's defaultMode, else 0644)
   */
  public record VolumeFile(String path, byte[] content, int mode) {
    public VolumeFile {
      Objects.requireNonNull(path, "path");
      content = content.clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof VolumeFile f
          && path.equals(f.path)
          && mode == f.mode
          && java.util.Arrays.equals(content, f.content);
    }

    @Override
    public int hashCode() {
      return Objects.hash(path, mode, java.util.Arrays.hashCode(content));
    }

    @Override
    public String toString() {
      return "VolumeFile[path=" + path + ", mode=" + Integer.toOctalString(mode) + ", " + content.length + " bytes]";
    }
  }

  /**
   * A persistentVolumeClaim volume: the PersistentVolume its claim is bound to; the provider decides which
   * volume sources it can mount and fails the pod clearly for the others.
   *
   * @param readOnly the pod volume's {@code readOnly} flag
   */
  public record BoundPersistentVolume(String claimName, PersistentVolume volume, boolean readOnly)
      implements ResolvedVolume {
    public BoundPersistentVolume {
      Objects.requireNonNull(claimName, "claimName");
      Objects.requireNonNull(volume, "volume");
    }
  }

  /**
   * Credentials for one registry, from a {@code kubernetes.io/dockerconfigjson} or {@code kubernetes.io/dockercfg}
   * secret. {@code toString} masks the password.
   */
  public record RegistryCredential(String server, String username, String password) {
    public RegistryCredential {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "RegistryCredential[server=" + server + ", username=" + username + ", password=***]";
    }
  }
}
