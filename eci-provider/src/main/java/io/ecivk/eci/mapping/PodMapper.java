package io.ecivk.eci.mapping;

import io.ecivk.eci.client.model.Container;
import io.ecivk.eci.client.model.ContainerPort;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.EnvironmentVar;
import io.ecivk.eci.sizing.ContainerResources;
import io.ecivk.eci.sizing.PodSize;
import io.ecivk.eci.sizing.PodSizer;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Maps a pod to the CreateContainerGroup request that runs it on ECI.
 *
 * <p>What is mapped:
 *
 * <ul>
 *   <li>Containers and init containers, in order: name, image, command ({@code Command}), args ({@code Arg}),
 *       literal env values and {@code valueFrom.fieldRef.fieldPath: status.podIP} (which ECI resolves itself),
 *       ports (protocol defaults to TCP), workingDir, imagePullPolicy, and per container Cpu/Memory: the
 *       container's limit, else its request, when it sets one.
 *   <li>restartPolicy, {@code Always} when absent.
 *   <li>The instance Cpu/Memory: the pod's {@link PodSizer size}, sent as the exact ECI spec so that ECI does not
 *       round again and the spec we report is the one billed.
 *   <li>All the node's vSwitches, its security group, the {@link ContainerGroupNames group name}, the {@link
 *       ClientTokens client token} and the {@link EciTags tags}.
 * </ul>
 *
 * <p>A field this mapping cannot honour fails the pod; see {@link UnsupportedFields} for the list, the order
 * they are checked in and the fields deliberately ignored (scheduling-side ones, and dnsPolicy: mapping cluster
 * DNS onto ECI's DnsConfig is a later change).
 *
 * <p>Not done yet: Kubernetes expands {@code $(VAR)} references in env values, command and args; they are sent
 * as written, and whether ECI expands them is not verified.
 */
public final class PodMapper {

  /** The error code of a pod that uses a field the mapping does not support. */
  public static final String UNSUPPORTED_POD_FIELD = "UnsupportedPodField";

  /** The error code of a pod with a missing or malformed field (a negative quantity, no UID...). */
  public static final String INVALID_POD_FIELD = ContainerResources.INVALID_POD_FIELD;

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
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(ctx, "ctx");
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

    UnsupportedFields.check(spec);
    PodSize size = PodSizer.size(pod, ctx.specTable());

    CreateContainerGroupRequest request =
        CreateContainerGroupRequest.builder(ContainerGroupNames.of(pod))
            .securityGroupId(ctx.securityGroupId())
            .vSwitchIds(ctx.vSwitchIds())
            .restartPolicy(restartPolicy(spec.getRestartPolicy()))
            .cpu(size.spec().cpu())
            .memory(size.spec().memoryGiB())
            .clientToken(ClientTokens.of(pod))
            .tags(EciTags.forPod(ctx.clusterId(), ctx.nodeName(), pod))
            .initContainers(containers(spec.getInitContainers(), "spec.initContainers"))
            .containers(containers(spec.getContainers(), "spec.containers"))
            .build();
    List<ProviderEvent> events =
        size.adjusted() ? List.of(PodSizer.autoInstanceTypeMatchEvent(size.spec())) : List.of();
    return new MappedPod(request, size.spec(), events);
  }

  private static List<Container> containers(List<io.fabric8.kubernetes.api.model.Container> containers, String path) {
    if (containers == null) {
      return List.of();
    }
    List<Container> mapped = new ArrayList<>(containers.size());
    for (int i = 0; i < containers.size(); i++) {
      mapped.add(container(containers.get(i), path + "[" + i + "]"));
    }
    return mapped;
  }

  private static Container container(io.fabric8.kubernetes.api.model.Container container, String path) {
    requirePresent(container.getName(), path + ".name");
    requirePresent(container.getImage(), path + ".image");
    ContainerResources resources = ContainerResources.of(container, path);
    return Container.builder(container.getName(), container.getImage())
        .cpu(resources.cpuOrNull())
        .memory(resources.memoryGiBOrNull())
        .commands(container.getCommand())
        .args(container.getArgs())
        .workingDir(emptyToNull(container.getWorkingDir()))
        .imagePullPolicy(emptyToNull(container.getImagePullPolicy()))
        .environmentVars(env(container.getEnv(), path))
        .ports(ports(container.getPorts(), path))
        .build();
  }

  private static List<EnvironmentVar> env(List<EnvVar> env, String path) {
    if (env == null) {
      return List.of();
    }
    List<EnvironmentVar> mapped = new ArrayList<>(env.size());
    for (int i = 0; i < env.size(); i++) {
      EnvVar var = env.get(i);
      requirePresent(var.getName(), path + ".env[" + i + "].name");
      // UnsupportedFields let through only literal values and fieldRef status.podIP.
      if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
        mapped.add(EnvironmentVar.fieldRef(var.getName(), var.getValueFrom().getFieldRef().getFieldPath()));
      } else {
        mapped.add(EnvironmentVar.literal(var.getName(), var.getValue()));
      }
    }
    return mapped;
  }

  private static List<ContainerPort> ports(List<io.fabric8.kubernetes.api.model.ContainerPort> ports, String path) {
    if (ports == null) {
      return List.of();
    }
    List<ContainerPort> mapped = new ArrayList<>(ports.size());
    for (int i = 0; i < ports.size(); i++) {
      io.fabric8.kubernetes.api.model.ContainerPort port = ports.get(i);
      if (port.getContainerPort() == null) {
        throw invalid(path + ".ports[" + i + "].containerPort", "missing");
      }
      String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
      mapped.add(new ContainerPort(port.getContainerPort(), protocol));
    }
    return mapped;
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

  private static ProviderException invalid(String field, String why) {
    return new ProviderException(ErrorCategory.INVALID_REQUEST, INVALID_POD_FIELD, field + ": " + why);
  }
}
