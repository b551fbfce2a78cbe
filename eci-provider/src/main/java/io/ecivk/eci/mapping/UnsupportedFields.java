package io.ecivk.eci.mapping;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the first field of a pod this mapping cannot honour. Running such a pod on ECI with the field dropped
 * would run something other than what was asked for (no volume, no probe, other DNS...), so the pod fails
 * instead, with a message that names the field and why.
 *
 * <p>Order, so that the same pod always reports the same field: the pod-level fields in the order of {@link
 * #check}, then every init container, then every app container, each container's fields in the order of
 * {@link #checkContainer}; list items by index.
 *
 * <p>Only what is rejected whatever its value is checked here; the fields that are mapped (probes, lifecycle
 * hooks, security contexts, mounts, DNS, sysctls...) fail while being mapped when their value has no ECI form,
 * after every check of this class: see {@link PodMapper} for that order. A mount of an unsupported volume is
 * never the reason reported, the volume is, since volumes are checked here and mounts only while mapping.
 *
 * <p>Deliberately ignored, because they are scheduling-side (already satisfied when the pod reached this node)
 * or harmless here: nodeName, nodeSelector, affinity, tolerations, topologySpreadConstraints, schedulingGates,
 * priority, priorityClassName, preemptionPolicy, schedulerName, serviceAccountName, serviceAccount,
 * automountServiceAccountToken, enableServiceLinks (the framework resolves env and the token volume), runtimeClassName, overhead, os, hostUsers, subdomain (ECI
 * cannot make {@code hostname.subdomain.<ns>.svc.<domain>} resolve; only hostname is sent), setHostnameAsFQDN,
 * labels and annotations other than the ones {@link EciAnnotations} reads; per container resizePolicy.
 */
final class UnsupportedFields {

  /** Resources a container may name; ephemeral-storage is covered by the 30 GiB every ECI instance has. */
  private static final Set<String> KNOWN_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "nvidia.com/gpu");

  /**
   * The volume types {@link PodFields#volumes} maps: emptyDir and nfs from the spec alone, the file volumes from
   * the files the framework resolved, persistentVolumeClaim from the PersistentVolume it resolved.
   */
  static final Set<String> MAPPED_VOLUMES =
      Set.of("emptyDir", "nfs", "configMap", "secret", "downwardAPI", "projected", "persistentVolumeClaim");

  private UnsupportedFields() {}

  /** Throws for the first unsupported field of {@code spec}. */
  static void check(PodSpec spec) {
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      throw unsupported("spec.hostNetwork", "ECI has no host network");
    }
    if (Boolean.TRUE.equals(spec.getHostPID())) {
      throw unsupported("spec.hostPID", "ECI has no host PID namespace");
    }
    if (Boolean.TRUE.equals(spec.getHostIPC())) {
      throw unsupported("spec.hostIPC", "ECI has no host IPC namespace");
    }
    if (Boolean.TRUE.equals(spec.getShareProcessNamespace())) {
      throw unsupported("spec.shareProcessNamespace", "a shared process namespace is not supported yet");
    }
    List<Volume> volumes = orEmpty(spec.getVolumes());
    for (int i = 0; i < volumes.size(); i++) {
      Volume volume = volumes.get(i);
      String type = volumeType(volume);
      String field = "spec.volumes[" + i + "] (" + volume.getName() + ", " + type + ")";
      if (type.equals("hostPath")) {
        throw unsupported(field, "ECI runs every pod in its own sandbox, there is no host filesystem to mount; use"
            + " an emptyDir, a configMap or an NFS volume");
      }
      if (!MAPPED_VOLUMES.contains(type)) {
        throw unsupported(field, "this volume type has no ECI form here; ECI mounts emptyDir, configMap, secret,"
            + " downwardAPI, projected, nfs and NFS-backed persistentVolumeClaim volumes");
      }
    }
    if (!ModelValues.isEmpty(spec.getEphemeralContainers())) {
      throw unsupported("spec.ephemeralContainers", "ephemeral containers are not supported yet");
    }
    if (!ModelValues.isEmpty(spec.getReadinessGates())) {
      throw unsupported("spec.readinessGates", "readiness gates are not supported yet");
    }
    if (!ModelValues.isEmpty(spec.getResources())) {
      throw unsupported("spec.resources", "pod-level resources are not supported yet, set them per container");
    }
    if (!ModelValues.isEmpty(spec.getResourceClaims())) {
      throw unsupported("spec.resourceClaims", "dynamic resource claims are not supported yet");
    }
    List<Container> initContainers = orEmpty(spec.getInitContainers());
    for (int i = 0; i < initContainers.size(); i++) {
      checkContainer(initContainers.get(i), "spec.initContainers[" + i + "]", true);
    }
    List<Container> containers = orEmpty(spec.getContainers());
    for (int i = 0; i < containers.size(); i++) {
      checkContainer(containers.get(i), "spec.containers[" + i + "]", false);
    }
  }

  private static void checkContainer(Container container, String path, boolean init) {
    List<ContainerPort> ports = orEmpty(container.getPorts());
    for (int i = 0; i < ports.size(); i++) {
      ContainerPort port = ports.get(i);
      String portPath = path + ".ports[" + i + "]";
      if (port.getHostPort() != null && port.getHostPort() != 0) {
        throw unsupported(portPath + ".hostPort", "ECI has no host ports");
      }
      if (port.getProtocol() != null && !Set.of("TCP", "UDP").contains(port.getProtocol())) {
        throw unsupported(portPath + ".protocol", "ECI supports TCP and UDP, not " + port.getProtocol());
      }
    }
    if (!ModelValues.isEmpty(container.getVolumeDevices())) {
      throw unsupported(path + ".volumeDevices", "block devices are not supported yet");
    }
    checkResources(container.getResources(), path + ".resources");
    if (container.getRestartPolicy() != null) {
      throw unsupported(
          path + ".restartPolicy",
          init && "Always".equals(container.getRestartPolicy())
              ? "sidecar containers are not supported yet"
              : "per-container restart policies are not supported yet");
    }
    if (!ModelValues.isEmpty(container.getRestartPolicyRules())) {
      throw unsupported(path + ".restartPolicyRules", "container restart rules are not supported yet");
    }
  }

  private static void checkResources(ResourceRequirements resources, String path) {
    if (resources == null) {
      return;
    }
    checkResourceNames(resources.getLimits(), path + ".limits");
    checkResourceNames(resources.getRequests(), path + ".requests");
    if (!ModelValues.isEmpty(resources.getClaims())) {
      throw unsupported(path + ".claims", "dynamic resource claims are not supported yet");
    }
  }

  private static void checkResourceNames(Map<String, Quantity> quantities, String path) {
    if (quantities == null) {
      return;
    }
    for (String name : quantities.keySet().stream().sorted().toList()) {
      if (!KNOWN_RESOURCES.contains(name)) {
        throw unsupported(path + "[" + name + "]", "only cpu, memory, ephemeral-storage and nvidia.com/gpu are supported yet");
      }
    }
  }

  /** The JSON name of the volume's source, e.g. {@code projected}, {@code emptyDir}, {@code configMap}. */
  static String volumeType(Volume volume) {
    return ModelValues.setFields(volume).stream().filter(f -> !f.equals("name")).findFirst().orElse("no source");
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  static ProviderException unsupported(String field, String why) {
    return new ProviderException(ErrorCategory.INVALID_REQUEST, PodMapper.UNSUPPORTED_POD_FIELD, field + ": " + why);
  }
}
