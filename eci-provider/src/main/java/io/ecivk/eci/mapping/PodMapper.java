package io.ecivk.eci.mapping;

import io.ecivk.eci.client.model.Container;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.HostAlias;
import io.ecivk.eci.client.model.ImageRegistryCredential;
import io.ecivk.eci.client.model.Sysctl;
import io.ecivk.eci.client.model.Tag;
import io.ecivk.eci.client.model.Volume;
import io.ecivk.eci.sizing.ContainerResources;
import io.ecivk.eci.sizing.EciSpec;
import io.ecivk.eci.sizing.PodSize;
import io.ecivk.eci.sizing.PodSizer;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Maps a pod to the CreateContainerGroup request that runs it on ECI.
 *
 * <p>What is mapped:
 *
 * <ul>
 *   <li>Containers and init containers, in order, by {@link ContainerMapper}: name, image, command ({@code
 *       Command}), args ({@code Arg}), the environment the framework resolved (literals; the pod and host IP
 *       fieldRefs as ECI's {@code FieldRef.FieldPath: status.podIP}, which ECI resolves itself), ports (protocol defaults to TCP), workingDir, imagePullPolicy, per container
 *       Cpu/Memory (the container's limit, else its request, when it sets one) and {@code nvidia.com/gpu} as Gpu,
 *       volume mounts, liveness/readiness probes, postStart/preStop hooks, the security context (with the pod
 *       security context's runAsUser/runAsGroup/runAsNonRoot as defaults), stdin/stdinOnce/tty (only when true)
 *       and terminationMessagePath/Policy (only when not the defaults {@code /dev/termination-log} / {@code
 *       File}).
 *   <li>restartPolicy, {@code Always} when absent; terminationGracePeriodSeconds; activeDeadlineSeconds;
 *       hostname as HostName (subdomain is ignored); hostAliases; the pod security context's safe sysctls;
 *       emptyDir and NFS volumes; configMap, secret, downwardAPI and projected volumes (service-account tokens
 *       included) as ConfigFile volumes of their rendered files; persistentVolumeClaims bound to NFS
 *       PersistentVolumes as NFS volumes; imagePullSecrets as {@code ImageRegistryCredential}s; dnsPolicy/dnsConfig as {@link PodFields#dns the kubelet would write them}.
 *   <li>The instance Cpu/Memory: the pod's {@link PodSizer size}, sent as the exact ECI spec so that ECI does not
 *       round again and the spec we report is the one billed; or the first entry of {@code
 *       k8s.aliyun.com/eci-use-specs} when that is a cpu-mem spec.
 *   <li>The node's vSwitches and security group, unless the pod's annotations replace them; the {@link
 *       ContainerGroupNames group name}, the {@link ClientTokens client token} and the {@link EciTags tags}, then
 *       the pod's {@code eci-custom-tags}.
 *   <li>The {@link EciAnnotations k8s.aliyun.com annotations} this provider honours.
 * </ul>
 *
 * <p>A field this mapping cannot honour fails the pod. Order, so that the same pod always reports the same
 * field: required metadata, the unconditional rejections of {@link UnsupportedFields}, the annotations, the pod
 * security context and sysctls, volumes, DNS, host aliases, the size, then every init container and every app
 * container in order, each in the order of {@link ContainerMapper#map}, and last the GPU instance type check.
 *
 * <p>Accepted but not enforced, with one Warning event {@link #SECURITY_CONTEXT_NOT_ENFORCED}: capabilities.drop,
 * allowPrivilegeEscalation: false, and runAsNonRoot on init containers without a non-zero runAsUser (ECI has no
 * field for them; restricted Pod Security Standard pods set them).
 *
 * <p>Not carried: the pod's labels and annotations (ECI has no field for them; tags are limited to 20 and hold
 * this provider's ownership tags and eci-custom-tags). Kubernetes expands {@code $(VAR)} references in command and
 * args; they are sent as written (the framework expands them in env values only), and whether ECI expands them is
 * not verified.
 */
public final class PodMapper {

  /** The error code of a pod that uses a field the mapping does not support. */
  public static final String UNSUPPORTED_POD_FIELD = "UnsupportedPodField";

  /** The error code of a pod with a missing or malformed field (a negative quantity, no UID...). */
  public static final String INVALID_POD_FIELD = ContainerResources.INVALID_POD_FIELD;

  /** The Warning event of a pod whose security context asks for what ECI cannot enforce. */
  public static final String SECURITY_CONTEXT_NOT_ENFORCED = "SecurityContextNotEnforced";

  /** ECI's limit on the containers (and, assumed the same, init containers) of one group. */
  static final int MAX_CONTAINERS = 20;

  private static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");

  private PodMapper() {}

  /**
   * Maps {@code pod}.
   *
   * @throws ProviderException {@code INVALID_REQUEST} with code {@link #UNSUPPORTED_POD_FIELD} for an unsupported
   *     field, {@link #INVALID_POD_FIELD} for a missing or malformed one, {@link PodSizer#UNSUPPORTED_SPEC} when no
   *     ECI spec holds the pod; the message names the field
   */
  public static MappedPod map(Pod pod, MappingContext ctx) {
    return map(ResolvedPod.of(Objects.requireNonNull(pod, "pod")), ctx);
  }

  /**
   * Maps a pod with what the framework resolved for it: each container's environment ({@link
   * ResolvedPod#envOf}; a container the framework resolved nothing for keeps its spec's env, which must then be
   * literal), the files of its configMap, secret, downwardAPI and projected volumes, the PersistentVolumes of its
   * claims and the registry credentials of its imagePullSecrets.
   *
   * @throws ProviderException as {@link #map(Pod, MappingContext)}; also for anything left unresolved, naming it
   */
  public static MappedPod map(ResolvedPod resolved, MappingContext ctx) {
    Objects.requireNonNull(resolved, "resolved");
    Objects.requireNonNull(ctx, "ctx");
    Pod pod = resolved.pod();
    ObjectMeta meta = pod.getMetadata();
    if (meta == null) {
      throw invalid("metadata", "missing");
    }
    requirePresent(meta.getNamespace(), "metadata.namespace");
    requirePresent(meta.getName(), "metadata.name");
    requirePresent(meta.getUid(), "metadata.uid");
    PodSpec spec = pod.getSpec();
    if (spec == null) {
      throw invalid("spec", "missing");
    }
    if (spec.getContainers() == null || spec.getContainers().isEmpty()) {
      throw invalid("spec.containers", "the pod has no containers");
    }
    if (spec.getContainers().size() > MAX_CONTAINERS) {
      throw unsupported("spec.containers", "the pod has " + spec.getContainers().size()
          + " containers, ECI runs at most " + MAX_CONTAINERS + " in one group");
    }
    if (spec.getInitContainers() != null && spec.getInitContainers().size() > MAX_CONTAINERS) {
      throw unsupported("spec.initContainers", "the pod has " + spec.getInitContainers().size()
          + " init containers, ECI runs at most " + MAX_CONTAINERS + " in one group");
    }

    UnsupportedFields.check(spec);
    EciAnnotations.Options options = EciAnnotations.read(meta.getAnnotations());
    List<Volume> volumes = PodFields.volumes(spec, resolved.volumes());
    Set<String> volumeNames = new LinkedHashSet<>();
    volumes.forEach(v -> volumeNames.add(v.name()));
    ContainerMapper.PodDefaults defaults = PodFields.defaults(spec, Set.copyOf(volumeNames));
    List<Sysctl> sysctls = PodFields.sysctls(spec);
    PodFields.Dns dns = PodFields.dns(spec, meta.getNamespace(), ctx.clusterDns());
    List<HostAlias> hostAliases = PodFields.hostAliases(spec);
    Long grace = nonNegative(spec.getTerminationGracePeriodSeconds(), "spec.terminationGracePeriodSeconds");
    Long deadline = spec.getActiveDeadlineSeconds();
    if (deadline != null && deadline <= 0) {
      throw invalid("spec.activeDeadlineSeconds", deadline + " is not positive");
    }
    PodSize size = PodSizer.size(pod, ctx.specTable());
    EciSpec groupSpec = options.firstSpec().orElse(size.spec());
    boolean adjusted = options.firstSpec().isEmpty() && size.adjusted();

    List<String> notEnforced = new ArrayList<>();
    List<Container> initContainers =
        containers(spec.getInitContainers(), "spec.initContainers", true, defaults, resolved, notEnforced);
    List<Container> containers =
        containers(spec.getContainers(), "spec.containers", false, defaults, resolved, notEnforced);
    boolean gpu = Stream.concat(initContainers.stream(), containers.stream()).anyMatch(c -> c.gpu() != null);
    if (gpu && !options.hasGpuInstanceType()) {
      throw new ProviderException(
          ErrorCategory.INVALID_REQUEST,
          UNSUPPORTED_POD_FIELD,
          "nvidia.com/gpu: ECI runs GPU containers only on a GPU instance type, name one (ecs.gn...) in the "
              + "annotation " + EciAnnotations.USE_SPECS);
    }

    List<Tag> tags = new ArrayList<>(EciTags.forPod(ctx.clusterId(), ctx.nodeName(), pod));
    tags.addAll(options.customTags());

    CreateContainerGroupRequest request =
        CreateContainerGroupRequest.builder(ContainerGroupNames.of(pod))
            .securityGroupId(options.securityGroupId() != null ? options.securityGroupId() : ctx.securityGroupId())
            .vSwitchIds(options.vSwitchIds().isEmpty() ? ctx.vSwitchIds() : options.vSwitchIds())
            .scheduleStrategy(options.scheduleStrategy())
            .restartPolicy(restartPolicy(spec.getRestartPolicy()))
            .cpu(groupSpec.cpu())
            .memory(groupSpec.memoryGiB())
            .clientToken(ClientTokens.of(pod))
            .tags(tags)
            .initContainers(initContainers)
            .containers(containers)
            .volumes(volumes)
            .instanceTypes(options.instanceTypes())
            .computeCategories(options.computeCategories())
            .spotStrategy(options.spotStrategy())
            .spotPriceLimit(options.spotPriceLimit())
            .spotDuration(options.spotDuration())
            .autoMatchImageCache(options.autoMatchImageCache())
            .imageSnapshotId(options.imageSnapshotId())
            .eipInstanceId(options.eipInstanceId())
            .autoCreateEip(options.autoCreateEip())
            .eipBandwidth(options.eipBandwidth())
            .terminationGracePeriodSeconds(grace)
            .activeDeadlineSeconds(deadline)
            .ipv6AddressCount(options.ipv6AddressCount())
            .corePattern(options.corePattern())
            .dnsPolicy(dns.policy())
            .dnsConfig(dns.config())
            .hostAliases(hostAliases)
            .imageRegistryCredentials(credentials(resolved.registryCredentials()))
            .hostName(emptyToNull(spec.getHostname()))
            .sysctls(sysctls)
            .ramRoleName(options.ramRoleName())
            .ephemeralStorage(options.ephemeralStorage())
            .ntpServers(options.ntpServers())
            .ingressBandwidth(options.ingressBandwidth())
            .egressBandwidth(options.egressBandwidth())
            .gpuDriverVersion(options.gpuDriverVersion())
            .maxPendingMinute(options.maxPendingMinute())
            .build();
    List<ProviderEvent> events = new ArrayList<>();
    if (adjusted) {
      events.add(PodSizer.autoInstanceTypeMatchEvent(groupSpec));
    }
    if (dns.warning() != null) {
      events.add(dns.warning());
    }
    if (!notEnforced.isEmpty()) {
      events.add(ProviderEvent.warning(SECURITY_CONTEXT_NOT_ENFORCED, "ECI cannot enforce "
          + String.join(", ", notEnforced) + ": the containers run with the runtime's default capabilities and"
          + " privilege escalation allowed, inside the pod's own sandbox VM"));
    }
    return new MappedPod(request, groupSpec, List.copyOf(events));
  }

  private static List<Container> containers(
      List<io.fabric8.kubernetes.api.model.Container> containers,
      String path,
      boolean init,
      ContainerMapper.PodDefaults defaults,
      ResolvedPod resolved,
      List<String> notEnforced) {
    if (containers == null) {
      return List.of();
    }
    List<Container> mapped = new ArrayList<>(containers.size());
    for (int i = 0; i < containers.size(); i++) {
      io.fabric8.kubernetes.api.model.Container container = containers.get(i);
      List<EnvVar> env = container.getName() != null && resolved.env().containsKey(container.getName())
          ? resolved.envOf(container.getName()) : null;
      mapped.add(ContainerMapper.map(container, path + "[" + i + "]", init, defaults, env, notEnforced));
    }
    return mapped;
  }

  /** The imagePullSecrets' credentials, in order; ECI tries them by registry server. */
  private static List<ImageRegistryCredential> credentials(List<ResolvedPod.RegistryCredential> credentials) {
    List<ImageRegistryCredential> mapped = new ArrayList<>(credentials.size());
    for (int i = 0; i < credentials.size(); i++) {
      ResolvedPod.RegistryCredential credential = credentials.get(i);
      if (credential.server().isBlank()) {
        throw invalid("spec.imagePullSecrets (credential " + (i + 1) + ")", "a registry credential has no server");
      }
      mapped.add(new ImageRegistryCredential(credential.server(), credential.username(), credential.password()));
    }
    return mapped;
  }

  private static Long nonNegative(Long value, String field) {
    if (value != null && value < 0) {
      throw invalid(field, value + " is negative");
    }
    return value;
  }

  private static String restartPolicy(String policy) {
    if (policy == null || policy.isEmpty()) {
      return "Always";
    }
    if (!RESTART_POLICIES.contains(policy)) {
      throw invalid("spec.restartPolicy", "\"" + policy + "\" is not Always, OnFailure or Never");
    }
    return policy;
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static void requirePresent(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw invalid(field, "missing");
    }
  }

  private static ProviderException unsupported(String field, String why) {
    return UnsupportedFields.unsupported(field, why);
  }

  private static ProviderException invalid(String field, String why) {
    return new ProviderException(ErrorCategory.INVALID_REQUEST, INVALID_POD_FIELD, field + ": " + why);
  }
}
