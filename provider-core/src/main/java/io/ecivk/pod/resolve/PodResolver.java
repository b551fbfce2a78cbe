package io.ecivk.pod.resolve;

import io.ecivk.pod.resolve.ObjectRef.Kind;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.ResolvedPod.BoundPersistentVolume;
import io.ecivk.spi.ResolvedPod.FileVolume;
import io.ecivk.spi.ResolvedPod.RegistryCredential;
import io.ecivk.spi.ResolvedPod.ResolvedVolume;
import io.ecivk.spi.ResolvedPod.VolumeFile;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads from the API server everything a pod needs, with the kubelet's semantics, into a {@link ResolvedPod}.
 *
 * <p><b>Environment</b> (per init and app container, as the kubelet's {@code makeEnvironmentVariables}):
 * {@code envFrom} first (keys in sorted order, the prefix prepended; keys that are not valid variable names are
 * skipped and reported in one {@code InvalidEnvironmentVariableNames} Warning per source), then {@code env} in
 * order, each replacing an earlier variable of its name: literal values get {@code $(VAR)} expansion against the
 * variables defined so far, then the service variables; {@code valueFrom} values are taken as they are. Then the
 * service variables ({@link ServiceEnv}) not defined by the container. An optional configMap or secret that is
 * missing, or an optional key that is missing, defines nothing. A {@code fieldRef} to the pod's or host's
 * addresses ({@link DownwardApi#BACKEND_FIELDS}) keeps its {@code valueFrom} for the provider; a literal that
 * refers to such a variable keeps the reference unexpanded, since its value is not known here.
 *
 * <p><b>Volumes</b>: configMap, secret, downwardAPI and projected volumes become {@link FileVolume}s (items,
 * paths, per-item mode, else the volume's {@code defaultMode}, else 0644); a projected
 * {@code serviceAccountToken} is a real token from the TokenRequest API for the pod's service account, bound to
 * the pod (kind Pod, name, uid), with the source's audience (none: the API server's default audiences) and
 * {@code expirationSeconds} (for the {@code kube-api-access-*} volumes the admission plugin writes 3607, which
 * is what the kubelet asks for too). persistentVolumeClaim volumes become {@link BoundPersistentVolume}s: the
 * claim must be Bound and its PersistentVolume must name the claim.
 *
 * <p><b>imagePullSecrets</b> become {@link RegistryCredential}s; a secret that is missing or unreadable is
 * skipped with a Warning event (the kubelet then pulls anonymously too).
 *
 * <p>Stops at the first missing dependency of each container and of each volume, like the kubelet, so the
 * messages are the kubelet's. Stateless apart from its collaborators; thread-safe. Blocking: call it on worker
 * threads.
 */
public final class PodResolver {
  /** The service account a pod without one runs as. */
  public static final String DEFAULT_SERVICE_ACCOUNT = "default";
  /** The volume file mode when neither the item nor the volume sets one. */
  public static final int DEFAULT_MODE = 0644;
  /** What the API server defaults a serviceAccountToken projection's expirationSeconds to. */
  public static final long DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;
  /** The kubelet's check of envFrom keys (Kubernetes {@code IsEnvVarName}). */
  private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private final KubeReader reader;
  private final Supplier<Map<String, Quantity>> allocatable;

  /**
   * @param allocatable the node's allocatable resources, for resourceFieldRefs to limits a container does not set
   */
  public PodResolver(KubeReader reader, Supplier<Map<String, Quantity>> allocatable) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.allocatable = Objects.requireNonNull(allocatable, "allocatable");
  }

  /**
   * Resolves the pod.
   *
   * @throws io.ecivk.spi.errors.ProviderException when a read failed for a reason a retry may cure (see
   *     {@link KubeReader})
   */
  public Resolution resolve(Pod pod) {
    return new Run(pod).resolve();
  }

  /** One resolution: caches the objects it read, so a configMap used twice is read once. */
  private final class Run {
    private final Pod pod;
    private final String namespace;
    private final Map<String, Optional<ConfigMap>> configMaps = new HashMap<>();
    private final Map<String, Optional<Secret>> secrets = new HashMap<>();
    private final List<MissingDependency> missing = new ArrayList<>();
    private final List<ProviderEvent> events = new ArrayList<>();
    private Map<String, String> serviceEnv;

    Run(Pod pod) {
      this.pod = pod;
      this.namespace = pod.getMetadata().getNamespace();
    }

    Resolution resolve() {
      try {
        Map<String, List<EnvVar>> env = new LinkedHashMap<>();
        for (Container c : containers()) {
          List<EnvVar> vars = environment(c);
          if (vars != null) {
            env.put(c.getName(), vars);
          }
        }
        Map<String, ResolvedVolume> volumes = new LinkedHashMap<>();
        for (Volume v : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
          ResolvedVolume resolved = volume(v);
          if (resolved != null) {
            volumes.put(v.getName(), resolved);
          }
        }
        List<RegistryCredential> credentials = registryCredentials();
        if (!missing.isEmpty()) {
          return new Resolution.Waiting(missing, events);
        }
        return new Resolution.Resolved(new ResolvedPod(pod, env, volumes, credentials), events);
      } catch (InvalidPodException e) {
        return new Resolution.Invalid(e.getMessage(), events);
      }
    }

    private List<Container> containers() {
      return Stream.concat(
              Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of()).stream(),
              Optional.ofNullable(pod.getSpec().getContainers()).orElse(List.of()).stream())
          .toList();
    }

    // ---- environment ---------------------------------------------------------------------------------------

    /** The container's environment, or null when it waits for something (recorded in {@link #missing}). */
    private List<EnvVar> environment(Container container) {
      String cname = container.getName();
      Map<String, EnvVar> result = new LinkedHashMap<>();
      Map<String, String> defined = new HashMap<>();
      Map<String, String> services = new LinkedHashMap<>(serviceEnv());
      for (EnvFromSource from : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        Map<String, String> data;
        String sourceDescription;
        if (from.getConfigMapRef() != null) {
          String name = from.getConfigMapRef().getName();
          Optional<ConfigMap> cm = configMap(name);
          if (cm.isEmpty()) {
            if (isTrue(from.getConfigMapRef().getOptional())) {
              continue;
            }
            return waitFor(new ObjectRef(Kind.CONFIG_MAP, namespace, name), cname, null);
          }
          data = Optional.ofNullable(cm.get().getData()).orElse(Map.of());
          sourceDescription = "configMap " + namespace + "/" + name;
        } else if (from.getSecretRef() != null) {
          String name = from.getSecretRef().getName();
          Optional<Secret> secret = secret(name);
          if (secret.isEmpty()) {
            if (isTrue(from.getSecretRef().getOptional())) {
              continue;
            }
            return waitFor(new ObjectRef(Kind.SECRET, namespace, name), cname, null);
          }
          data = new HashMap<>();
          for (Map.Entry<String, byte[]> e : secretData(secret.get()).entrySet()) {
            data.put(e.getKey(), new String(e.getValue(), StandardCharsets.UTF_8));
          }
          sourceDescription = "secret " + namespace + "/" + name;
        } else {
          continue;
        }
        List<String> invalid = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(data).entrySet()) {
          String key = prefix + e.getKey();
          if (!ENV_VAR_NAME.matcher(key).matches()) {
            invalid.add(key);
            continue;
          }
          result.put(key, literal(key, e.getValue()));
          defined.put(key, e.getValue());
        }
        if (!invalid.isEmpty()) {
          events.add(ProviderEvent.warning("InvalidEnvironmentVariableNames", "Keys [" + String.join(", ", invalid)
              + "] from the EnvFrom " + sourceDescription
              + " were skipped since they are considered invalid environment variable names."));
        }
      }
      var mapping = EnvExpansion.mappingFor(List.of(defined, services));
      for (EnvVar var : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
        String name = var.getName();
        String value = var.getValue();
        EnvVarSource from = var.getValueFrom();
        if (value != null && !value.isEmpty()) {
          value = EnvExpansion.expand(value, mapping);
        } else if (from != null) {
          if (from.getFieldRef() != null && DownwardApi.isBackendField(from.getFieldRef().getFieldPath())) {
            services.remove(name);
            defined.remove(name); // its value is the backend's: a later $(name) stays a reference
            result.put(name, new EnvVar(name, null, from));
            continue;
          }
          Optional<String> resolved = valueFrom(container, var);
          if (resolved == null) {
            return null; // waits
          }
          if (resolved.isEmpty()) {
            continue; // optional and missing: not defined
          }
          value = resolved.get();
        } else {
          value = "";
        }
        services.remove(name);
        defined.put(name, value);
        result.put(name, literal(name, value));
      }
      for (Map.Entry<String, String> e : services.entrySet()) {
        if (!result.containsKey(e.getKey())) {
          result.put(e.getKey(), literal(e.getKey(), e.getValue()));
        }
      }
      return new ArrayList<>(result.values());
    }

    /**
     * The value of a {@code valueFrom}: empty when an optional source is missing, null when the container waits.
     */
    private Optional<String> valueFrom(Container container, EnvVar var) {
      EnvVarSource from = var.getValueFrom();
      String field = "env " + var.getName() + " of container " + container.getName();
      if (from.getFieldRef() != null) {
        try {
          return Optional.of(DownwardApi.fieldValue(pod, from.getFieldRef().getFieldPath()));
        } catch (IllegalArgumentException e) {
          throw new InvalidPodException(field + ": " + e.getMessage());
        }
      }
      if (from.getResourceFieldRef() != null) {
        String target = from.getResourceFieldRef().getContainerName();
        Container of = target == null || target.isEmpty() ? container : container(target, field);
        try {
          return Optional.of(DownwardApi.resourceValue(of, from.getResourceFieldRef(), allocatable.get()));
        } catch (IllegalArgumentException e) {
          throw new InvalidPodException(field + ": " + e.getMessage());
        }
      }
      if (from.getConfigMapKeyRef() != null) {
        var ref = from.getConfigMapKeyRef();
        boolean optional = isTrue(ref.getOptional());
        Optional<ConfigMap> cm = configMap(ref.getName());
        if (cm.isEmpty()) {
          return optional ? Optional.empty() : waitForValue(Kind.CONFIG_MAP, ref.getName(), container, null);
        }
        String value = cm.get().getData() == null ? null : cm.get().getData().get(ref.getKey());
        if (value == null) {
          return optional ? Optional.empty() : waitForValue(Kind.CONFIG_MAP, ref.getName(), container,
              "couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
        }
        return Optional.of(value);
      }
      if (from.getSecretKeyRef() != null) {
        var ref = from.getSecretKeyRef();
        boolean optional = isTrue(ref.getOptional());
        Optional<Secret> secret = secret(ref.getName());
        if (secret.isEmpty()) {
          return optional ? Optional.empty() : waitForValue(Kind.SECRET, ref.getName(), container, null);
        }
        byte[] value = secretData(secret.get()).get(ref.getKey());
        if (value == null) {
          return optional ? Optional.empty() : waitForValue(Kind.SECRET, ref.getName(), container,
              "couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
        }
        return Optional.of(new String(value, StandardCharsets.UTF_8));
      }
      throw new InvalidPodException(field + ": valueFrom names no source");
    }

    private Optional<String> waitForValue(Kind kind, String name, Container container, String message) {
      ObjectRef ref = new ObjectRef(kind, namespace, name);
      missing.add(MissingDependency.ofContainer(ref, container.getName(),
          message == null ? ref.notFoundMessage() : message));
      return null;
    }

    private List<EnvVar> waitFor(ObjectRef ref, String container, String message) {
      missing.add(MissingDependency.ofContainer(ref, container, message == null ? ref.notFoundMessage() : message));
      return null;
    }

    private Map<String, String> serviceEnv() {
      if (serviceEnv == null) {
        boolean links = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
        List<Service> local = links ? reader.services(namespace) : List.of();
        Service master = ServiceEnv.MASTER_NAMESPACE.equals(namespace) && links
            ? local.stream().filter(s -> ServiceEnv.MASTER_SERVICE.equals(s.getMetadata().getName())).findFirst()
                .orElse(null)
            : reader.service(ServiceEnv.MASTER_NAMESPACE, ServiceEnv.MASTER_SERVICE).orElse(null);
        serviceEnv = ServiceEnv.forPod(namespace, links, local, master);
      }
      return serviceEnv;
    }

    // ---- volumes -------------------------------------------------------------------------------------------

    /** The volume's content, or null when the provider maps it from the spec alone or it waits. */
    private ResolvedVolume volume(Volume v) {
      String vol = v.getName();
      if (v.getConfigMap() != null) {
        ConfigMapVolumeSource s = v.getConfigMap();
        List<VolumeFile> files = new ArrayList<>();
        boolean ok = configMapFiles(vol, s.getName(), s.getItems(), isTrue(s.getOptional()),
            mode(s.getDefaultMode()), files);
        return ok ? new FileVolume(files) : null;
      }
      if (v.getSecret() != null) {
        SecretVolumeSource s = v.getSecret();
        List<VolumeFile> files = new ArrayList<>();
        boolean ok = secretFiles(vol, s.getSecretName(), s.getItems(), isTrue(s.getOptional()),
            mode(s.getDefaultMode()), files);
        return ok ? new FileVolume(files) : null;
      }
      if (v.getDownwardAPI() != null) {
        List<VolumeFile> files = new ArrayList<>();
        downwardFiles(vol, v.getDownwardAPI().getItems(), mode(v.getDownwardAPI().getDefaultMode()), files);
        return new FileVolume(files);
      }
      if (v.getProjected() != null) {
        return projected(v);
      }
      if (v.getPersistentVolumeClaim() != null) {
        return claim(vol, v.getPersistentVolumeClaim().getClaimName(),
            isTrue(v.getPersistentVolumeClaim().getReadOnly()));
      }
      return null;
    }

    private ResolvedVolume projected(Volume v) {
      String vol = v.getName();
      int defaultMode = mode(v.getProjected().getDefaultMode());
      List<VolumeFile> files = new ArrayList<>();
      for (VolumeProjection source : Optional.ofNullable(v.getProjected().getSources()).orElse(List.of())) {
        boolean ok = true;
        if (source.getConfigMap() != null) {
          ConfigMapProjection s = source.getConfigMap();
          ok = configMapFiles(vol, s.getName(), s.getItems(), isTrue(s.getOptional()), defaultMode, files);
        } else if (source.getSecret() != null) {
          SecretProjection s = source.getSecret();
          ok = secretFiles(vol, s.getName(), s.getItems(), isTrue(s.getOptional()), defaultMode, files);
        } else if (source.getDownwardAPI() != null) {
          downwardFiles(vol, source.getDownwardAPI().getItems(), defaultMode, files);
        } else if (source.getServiceAccountToken() != null) {
          ok = tokenFile(vol, source.getServiceAccountToken(), defaultMode, files);
        } else {
          String kind = source.getClusterTrustBundle() != null ? "clusterTrustBundle"
              : source.getPodCertificate() != null ? "podCertificate"
              : String.join(",", source.getAdditionalProperties().keySet());
          throw new InvalidPodException("volume " + vol + ": projected source " + (kind.isEmpty() ? "(empty)" : kind)
              + " is not supported");
        }
        if (!ok) {
          return null; // the kubelet fails the whole volume on its first error
        }
      }
      return new FileVolume(files);
    }

    /** Adds the configMap's files; false (and a missing dependency) when the volume waits. */
    private boolean configMapFiles(String vol, String name, List<KeyToPath> items, boolean optional, int defaultMode,
        List<VolumeFile> files) {
      Optional<ConfigMap> cm = configMap(name);
      ObjectRef ref = new ObjectRef(Kind.CONFIG_MAP, namespace, name);
      if (cm.isEmpty()) {
        if (optional) {
          return true;
        }
        missing.add(MissingDependency.ofVolume(ref, vol, ref.notFoundMessage()));
        return false;
      }
      Map<String, byte[]> data = new TreeMap<>();
      Optional.ofNullable(cm.get().getData()).orElse(Map.of())
          .forEach((k, val) -> data.put(k, val.getBytes(StandardCharsets.UTF_8)));
      Optional.ofNullable(cm.get().getBinaryData()).orElse(Map.of())
          .forEach((k, val) -> data.put(k, Base64.getDecoder().decode(val)));
      return keyFiles(vol, ref, data, items, optional, defaultMode, "configmap references non-existent config key: ",
          files);
    }

    private boolean secretFiles(String vol, String name, List<KeyToPath> items, boolean optional, int defaultMode,
        List<VolumeFile> files) {
      Optional<Secret> secret = secret(name);
      ObjectRef ref = new ObjectRef(Kind.SECRET, namespace, name);
      if (secret.isEmpty()) {
        if (optional) {
          return true;
        }
        missing.add(MissingDependency.ofVolume(ref, vol, ref.notFoundMessage()));
        return false;
      }
      return keyFiles(vol, ref, new TreeMap<>(secretData(secret.get())), items, optional, defaultMode,
          "references non-existent secret key: ", files);
    }

    /** All keys (sorted) when there are no items, else the items in order; a missing item key waits unless optional. */
    private boolean keyFiles(String vol, ObjectRef ref, Map<String, byte[]> data, List<KeyToPath> items,
        boolean optional, int defaultMode, String missingKeyMessage, List<VolumeFile> files) {
      if (items == null || items.isEmpty()) {
        data.forEach((k, content) -> files.add(new VolumeFile(k, content, defaultMode)));
        return true;
      }
      for (KeyToPath item : items) {
        byte[] content = data.get(item.getKey());
        if (content == null) {
          if (optional) {
            continue;
          }
          missing.add(MissingDependency.ofVolume(ref, vol, missingKeyMessage + item.getKey()));
          return false;
        }
        files.add(new VolumeFile(item.getPath(), content, item.getMode() == null ? defaultMode : item.getMode()));
      }
      return true;
    }

    private void downwardFiles(String vol, List<DownwardAPIVolumeFile> items, int defaultMode,
        List<VolumeFile> files) {
      for (DownwardAPIVolumeFile item : Optional.ofNullable(items).orElse(List.of())) {
        String field = "volume " + vol + " item " + item.getPath();
        String value;
        try {
          if (item.getFieldRef() != null) {
            if (DownwardApi.isBackendField(item.getFieldRef().getFieldPath())) {
              throw new InvalidPodException(field + ": fieldRef " + item.getFieldRef().getFieldPath()
                  + " is not supported in a volume");
            }
            value = DownwardApi.fieldValue(pod, item.getFieldRef().getFieldPath());
          } else if (item.getResourceFieldRef() != null) {
            String target = item.getResourceFieldRef().getContainerName();
            if (target == null || target.isEmpty()) {
              throw new InvalidPodException(field + ": resourceFieldRef needs a containerName in a volume");
            }
            value = DownwardApi.resourceValue(container(target, field), item.getResourceFieldRef(),
                allocatable.get());
          } else {
            throw new InvalidPodException(field + ": neither fieldRef nor resourceFieldRef");
          }
        } catch (IllegalArgumentException e) {
          throw new InvalidPodException(field + ": " + e.getMessage());
        }
        files.add(new VolumeFile(item.getPath(), value.getBytes(StandardCharsets.UTF_8),
            item.getMode() == null ? defaultMode : item.getMode()));
      }
    }

    private boolean tokenFile(String vol, ServiceAccountTokenProjection source, int defaultMode,
        List<VolumeFile> files) {
      String account = pod.getSpec().getServiceAccountName() == null || pod.getSpec().getServiceAccountName().isEmpty()
          ? DEFAULT_SERVICE_ACCOUNT : pod.getSpec().getServiceAccountName();
      TokenRequest request = new TokenRequestBuilder()
          .withNewSpec()
          .withAudiences(source.getAudience() == null || source.getAudience().isEmpty()
              ? List.of() : List.of(source.getAudience()))
          .withExpirationSeconds(source.getExpirationSeconds() == null
              ? DEFAULT_TOKEN_EXPIRATION_SECONDS : source.getExpirationSeconds())
          .withNewBoundObjectRef()
          .withApiVersion("v1").withKind("Pod")
          .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid())
          .endBoundObjectRef()
          .endSpec()
          .build();
      Optional<TokenRequest> token;
      try {
        token = reader.requestToken(namespace, account, request);
      } catch (io.ecivk.spi.errors.ProviderException e) {
        if (e.category() == io.ecivk.spi.errors.ErrorCategory.INVALID_REQUEST) {
          throw new InvalidPodException("volume " + vol + ": serviceAccountToken: " + e.getMessage());
        }
        throw e;
      }
      if (token.isEmpty() || token.get().getStatus() == null || token.get().getStatus().getToken() == null) {
        ObjectRef ref = new ObjectRef(Kind.SERVICE_ACCOUNT, namespace, account);
        missing.add(MissingDependency.ofVolume(ref, vol, ref.notFoundMessage()));
        return false;
      }
      files.add(new VolumeFile(source.getPath(), token.get().getStatus().getToken().getBytes(StandardCharsets.UTF_8),
          defaultMode));
      return true;
    }

    private ResolvedVolume claim(String vol, String claimName, boolean readOnly) {
      ObjectRef claimRef = new ObjectRef(Kind.PERSISTENT_VOLUME_CLAIM, namespace, claimName);
      Optional<PersistentVolumeClaim> claim = reader.persistentVolumeClaim(namespace, claimName);
      if (claim.isEmpty()) {
        missing.add(MissingDependency.ofVolume(claimRef, vol, claimRef.notFoundMessage()));
        return null;
      }
      PersistentVolumeClaim pvc = claim.get();
      String phase = pvc.getStatus() == null ? "" : Objects.toString(pvc.getStatus().getPhase(), "");
      String volumeName = pvc.getSpec() == null ? "" : Objects.toString(pvc.getSpec().getVolumeName(), "");
      if (!"Bound".equals(phase) || volumeName.isEmpty()) {
        missing.add(MissingDependency.ofVolume(claimRef, vol, "PVC " + namespace + "/" + claimName
            + " has non-bound phase (\"" + phase + "\") or empty pvc.Spec.VolumeName (\"" + volumeName + "\")"));
        return null;
      }
      ObjectRef pvRef = new ObjectRef(Kind.PERSISTENT_VOLUME, null, volumeName);
      Optional<PersistentVolume> pv = reader.persistentVolume(volumeName);
      if (pv.isEmpty()) {
        missing.add(MissingDependency.ofVolume(pvRef, vol, pvRef.notFoundMessage()));
        return null;
      }
      var boundTo = pv.get().getSpec() == null ? null : pv.get().getSpec().getClaimRef();
      if (boundTo == null || !Objects.equals(boundTo.getUid(), pvc.getMetadata().getUid())) {
        missing.add(MissingDependency.ofVolume(pvRef, vol, "Expected volume " + volumeName + " to be bound to claim "
            + namespace + "/" + claimName + " (uid " + pvc.getMetadata().getUid() + "), but it is bound to "
            + (boundTo == null ? "nothing" : boundTo.getNamespace() + "/" + boundTo.getName()
                + " (uid " + boundTo.getUid() + ")")));
        return null;
      }
      return new BoundPersistentVolume(claimName, pv.get(), readOnly);
    }

    // ---- image pull secrets --------------------------------------------------------------------------------

    private List<RegistryCredential> registryCredentials() {
      List<RegistryCredential> result = new ArrayList<>();
      List<String> unreadable = new ArrayList<>();
      for (LocalObjectReference ref : Optional.ofNullable(pod.getSpec().getImagePullSecrets()).orElse(List.of())) {
        if (ref.getName() == null || ref.getName().isEmpty()) {
          continue;
        }
        Optional<Secret> secret = secret(ref.getName());
        if (secret.isEmpty()) {
          unreadable.add(ref.getName());
          continue;
        }
        try {
          for (RegistryCredential c : DockerConfig.fromSecretData(secretData(secret.get()))) {
            if (!result.contains(c)) {
              result.add(c);
            }
          }
        } catch (IllegalArgumentException e) {
          events.add(ProviderEvent.warning("FailedToRetrieveImagePullSecret", "Image pull secret "
              + namespace + "/" + ref.getName() + " is malformed and was skipped: " + e.getMessage()));
        }
      }
      if (!unreadable.isEmpty()) {
        events.add(ProviderEvent.warning("FailedToRetrieveImagePullSecret", "Unable to retrieve some image pull "
            + "secrets (" + String.join(", ", unreadable) + "); attempting to pull the image may not succeed."));
      }
      return result;
    }

    // ---- reads and helpers ---------------------------------------------------------------------------------

    private Optional<ConfigMap> configMap(String name) {
      return configMaps.computeIfAbsent(name, n -> reader.configMap(namespace, n));
    }

    private Optional<Secret> secret(String name) {
      return secrets.computeIfAbsent(name, n -> reader.secret(namespace, n));
    }

    private Container container(String name, String field) {
      return containers().stream().filter(c -> name.equals(c.getName())).findFirst()
          .orElseThrow(() -> new InvalidPodException(field + ": no container named " + name));
    }
  }

  /** A secret's data decoded from base64 ({@code stringData} is write-only and never read back). */
  static Map<String, byte[]> secretData(Secret secret) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    Optional.ofNullable(secret.getData()).orElse(Map.of())
        .forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v == null ? "" : v)));
    return data;
  }

  private static EnvVar literal(String name, String value) {
    return new EnvVar(name, value, null);
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  private static int mode(Integer mode) {
    return mode == null ? DEFAULT_MODE : mode;
  }

  /** The pod can never run as written: becomes {@link Resolution.Invalid}. */
  private static final class InvalidPodException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidPodException(String message) {
      super(message, null, false, false);
    }
  }
}
