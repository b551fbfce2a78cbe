package io.ecivk.eci.mapping;

import io.ecivk.spi.ProviderEvent;
import static io.ecivk.eci.mapping.ContainerMapper.emptyToNull;
import static io.ecivk.eci.mapping.ContainerMapper.invalid;
import static io.ecivk.eci.mapping.ContainerMapper.requirePresent;
import static io.ecivk.eci.mapping.UnsupportedFields.unsupported;

import io.ecivk.eci.client.model.ConfigFileToPath;
import io.ecivk.eci.client.model.DnsConfig;
import io.ecivk.eci.client.model.HostAlias;
import io.ecivk.eci.client.model.Sysctl;
import io.ecivk.eci.client.model.Volume;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.ecivk.spi.ResolvedPod;
import io.fabric8.kubernetes.api.model.NFSVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The pod-level fields that map onto group-level ECI fields: security context, volumes, DNS, host aliases. */
final class PodFields {

  /**
   * The sysctls accepted in {@code SecurityContext.Sysctl}: Kubernetes' safe set as far as ECI documents it as
   * changeable, plus {@code net.core.somaxconn}, which ECI's security-context page allows (all of {@code net.*}
   * except {@code net.ipv4.tcp_syncookies}) and uses as its example. {@code net.ipv4.tcp_syncookies} is safe in
   * Kubernetes but excluded by that same page, so it fails.
   */
  static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.core.somaxconn");

  /** The kubelet's ndots for ClusterFirst. */
  static final String CLUSTER_FIRST_NDOTS = "5";

  private PodFields() {}

  /** What the pod security context gives every container; checks the rest of it. */
  static ContainerMapper.PodDefaults defaults(PodSpec spec, Set<String> volumeNames) {
    PodSecurityContext context = spec.getSecurityContext();
    if (context == null) {
      return new ContainerMapper.PodDefaults(null, null, null, volumeNames);
    }
    String path = "spec.securityContext";
    if (context.getFsGroup() != null) {
      throw unsupported(path + ".fsGroup", "ECI cannot change the group of volumes");
    }
    if (!ModelValues.isEmpty(context.getSupplementalGroups())) {
      throw unsupported(path + ".supplementalGroups", "ECI has no supplemental groups");
    }
    String groupsPolicy = emptyToNull(context.getSupplementalGroupsPolicy());
    if (groupsPolicy != null && !groupsPolicy.equals("Merge")) {
      throw unsupported(path + ".supplementalGroupsPolicy", "ECI has only the Merge policy");
    }
    ContainerMapper.SecurityProfiles.check(context.getSeccompProfile(), path + ".seccompProfile", "seccomp");
    ContainerMapper.SecurityProfiles.check(context.getAppArmorProfile(), path + ".appArmorProfile", "AppArmor");
    if (!ModelValues.isEmpty(context.getSeLinuxOptions())) {
      throw unsupported(path + ".seLinuxOptions", "ECI has no SELinux labels");
    }
    if (!ModelValues.isEmpty(context.getWindowsOptions())) {
      throw unsupported(path + ".windowsOptions", "ECI runs Linux containers");
    }
    // fsGroupChangePolicy and seLinuxChangePolicy only qualify fsGroup and seLinuxOptions, refused above.
    return new ContainerMapper.PodDefaults(
        context.getRunAsUser(), context.getRunAsGroup(), context.getRunAsNonRoot(), volumeNames);
  }

  static List<Sysctl> sysctls(PodSpec spec) {
    PodSecurityContext context = spec.getSecurityContext();
    if (context == null || context.getSysctls() == null) {
      return List.of();
    }
    List<Sysctl> mapped = new ArrayList<>();
    List<io.fabric8.kubernetes.api.model.Sysctl> sysctls = context.getSysctls();
    for (int i = 0; i < sysctls.size(); i++) {
      String path = "spec.securityContext.sysctls[" + i + "]";
      requirePresent(sysctls.get(i).getName(), path + ".name");
      String name = sysctls.get(i).getName();
      if (!SAFE_SYSCTLS.contains(name)) {
        throw unsupported(
            path + " (" + name + ")",
            "ECI accepts only the sysctls " + String.join(", ", SAFE_SYSCTLS.stream().sorted().toList()));
      }
      mapped.add(new Sysctl(name, sysctls.get(i).getValue()));
    }
    return mapped;
  }

  /** ECI's limit on the volumes of one group. */
  static final int MAX_VOLUMES = 20;

  /** ECI's limit on one file of a ConfigFile volume: "cannot exceed 32 KB" (read as KiB, of the raw content). */
  static final int MAX_CONFIG_FILE_BYTES = 32 * 1024;

  /** ECI's limit on all files of one ConfigFile volume: "cannot exceed 60 KB" (read as KiB, raw content). */
  static final int MAX_CONFIG_VOLUME_BYTES = 60 * 1024;

  /**
   * The pod's volumes, in order: emptyDir and nfs from the spec; configMap, secret, downwardAPI and projected as
   * ECI ConfigFile volumes of the files the framework rendered (every file with its mode; the volume's
   * defaultMode as DefaultMode); a persistentVolumeClaim bound to an NFS PersistentVolume as an NFS volume.
   * UnsupportedFields refused the other types.
   */
  static List<Volume> volumes(PodSpec spec, Map<String, ResolvedPod.ResolvedVolume> resolved) {
    List<io.fabric8.kubernetes.api.model.Volume> volumes = spec.getVolumes() == null ? List.of() : spec.getVolumes();
    if (volumes.size() > MAX_VOLUMES) {
      throw unsupported("spec.volumes", "the pod has " + volumes.size() + " volumes, ECI mounts at most "
          + MAX_VOLUMES);
    }
    List<Volume> mapped = new ArrayList<>(volumes.size());
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      io.fabric8.kubernetes.api.model.Volume volume = volumes.get(i);
      String path = "spec.volumes[" + i + "]";
      requirePresent(volume.getName(), path + ".name");
      if (!ContainerMapper.DNS_LABEL.matcher(volume.getName()).matches()) {
        throw invalid(path + ".name", "\"" + volume.getName() + "\" is not a DNS label (at most 63 lowercase"
            + " letters, digits and '-', starting and ending with a letter or digit)");
      }
      if (!names.add(volume.getName())) {
        throw invalid(path + ".name", "a second volume named " + volume.getName());
      }
      String type = UnsupportedFields.volumeType(volume);
      String field = path + " (" + volume.getName() + ", " + type + ")";
      if (volume.getEmptyDir() != null) {
        mapped.add(emptyDir(volume.getName(), volume.getEmptyDir(), path + ".emptyDir"));
      } else if (volume.getNfs() != null) {
        NFSVolumeSource nfs = volume.getNfs();
        requirePresent(nfs.getServer(), path + ".nfs.server");
        requirePresent(nfs.getPath(), path + ".nfs.path");
        mapped.add(Volume.nfs(volume.getName(), nfs.getServer(), nfs.getPath(),
            Boolean.TRUE.equals(nfs.getReadOnly()) ? Boolean.TRUE : null));
      } else if (volume.getPersistentVolumeClaim() != null) {
        mapped.add(claim(volume, resolved.get(volume.getName()), field));
      } else {
        ResolvedPod.ResolvedVolume content = resolved.get(volume.getName());
        if (!(content instanceof ResolvedPod.FileVolume files)) {
          throw unsupported(field, "its files were not resolved (the framework renders them before createPod)");
        }
        mapped.add(configFile(volume.getName(), defaultMode(volume), files, field));
      }
    }
    return mapped;
  }

  private static Integer defaultMode(io.fabric8.kubernetes.api.model.Volume volume) {
    if (volume.getConfigMap() != null) {
      return volume.getConfigMap().getDefaultMode();
    }
    if (volume.getSecret() != null) {
      return volume.getSecret().getDefaultMode();
    }
    if (volume.getDownwardAPI() != null) {
      return volume.getDownwardAPI().getDefaultMode();
    }
    return volume.getProjected() == null ? null : volume.getProjected().getDefaultMode();
  }

  /**
   * A ConfigFile volume of the rendered files, within ECI's size limits. A volume with no file at all (every
   * source optional and missing) becomes an empty emptyDir: the kubelet mounts an empty directory too, and
   * whether ECI accepts a ConfigFile volume without files is not documented.
   */
  private static Volume configFile(
      String name, Integer defaultMode, ResolvedPod.FileVolume volume, String field) {
    if (defaultMode != null && (defaultMode < 0 || defaultMode > 0777)) {
      throw invalid(field + ".defaultMode", defaultMode + " is not a file mode from 0 to 0777 (511)");
    }
    if (volume.files().isEmpty()) {
      return Volume.emptyDir(name, null, null);
    }
    List<ConfigFileToPath> files = new ArrayList<>(volume.files().size());
    long total = 0;
    for (ResolvedPod.VolumeFile file : volume.files()) {
      byte[] content = file.content();
      if (content.length > MAX_CONFIG_FILE_BYTES) {
        throw unsupported(field, "file \"" + file.path() + "\" is " + content.length + " bytes, ECI's ConfigFile"
            + " volumes take files of at most " + MAX_CONFIG_FILE_BYTES + " bytes (32 KB)");
      }
      total += content.length;
      if (file.mode() < 0 || file.mode() > 0777) {
        throw invalid(field, "file \"" + file.path() + "\" has mode " + file.mode()
            + ", not a file mode from 0 to 0777 (511)");
      }
      files.add(ConfigFileToPath.of(file.path(), content, file.mode()));
    }
    if (total > MAX_CONFIG_VOLUME_BYTES) {
      throw unsupported(field, "its files total " + total + " bytes, ECI's ConfigFile volumes take at most "
          + MAX_CONFIG_VOLUME_BYTES + " bytes (60 KB) in all");
    }
    return Volume.configFile(name, defaultMode, files);
  }

  /** Fields of a PersistentVolumeSpec that are not its volume source. */
  private static final Set<String> PV_NON_SOURCE_FIELDS =
      Set.of("accessModes", "capacity", "claimRef", "mountOptions", "nodeAffinity", "persistentVolumeReclaimPolicy",
          "storageClassName", "volumeMode", "volumeAttributesClassName");

  /**
   * A claim's bound PersistentVolume: an NFS one as an NFS volume, read-only when the pod volume or the PV says so.
   * The PV's mountOptions cannot be passed (ECI's NFSVolume has none) and ECI's own NFS options apply.
   */
  private static Volume claim(
      io.fabric8.kubernetes.api.model.Volume volume, ResolvedPod.ResolvedVolume content, String field) {
    String claimName = volume.getPersistentVolumeClaim().getClaimName();
    requirePresent(claimName, field + ".persistentVolumeClaim.claimName");
    if (!(content instanceof ResolvedPod.BoundPersistentVolume bound)) {
      throw unsupported(field, "claim " + claimName + " was not resolved to a bound PersistentVolume");
    }
    PersistentVolume pv = bound.volume();
    String pvName = pv.getMetadata() == null ? "?" : pv.getMetadata().getName();
    NFSVolumeSource nfs = pv.getSpec() == null ? null : pv.getSpec().getNfs();
    if (nfs == null) {
      String pvType = pv.getSpec() == null ? "no source" : ModelValues.setFields(pv.getSpec()).stream()
          .filter(f -> !PV_NON_SOURCE_FIELDS.contains(f)).findFirst().orElse("no source");
      if (pvType.equals("csi") && pv.getSpec().getCsi().getDriver() != null) {
        pvType = "csi, driver " + pv.getSpec().getCsi().getDriver();
      }
      throw unsupported(field, "claim " + claimName + " is bound to PersistentVolume " + pvName + " of type "
          + pvType + "; ECI mounts only NFS PersistentVolumes so far");
    }
    requirePresent(nfs.getServer(), "PersistentVolume " + pvName + " spec.nfs.server");
    requirePresent(nfs.getPath(), "PersistentVolume " + pvName + " spec.nfs.path");
    boolean readOnly = bound.readOnly() || Boolean.TRUE.equals(volume.getPersistentVolumeClaim().getReadOnly())
        || Boolean.TRUE.equals(nfs.getReadOnly());
    return Volume.nfs(volume.getName(), nfs.getServer(), nfs.getPath(), readOnly ? Boolean.TRUE : null);
  }

  private static Volume emptyDir(String name, EmptyDirVolumeSource emptyDir, String path) {
    String medium = emptyToNull(emptyDir.getMedium());
    if (medium != null && !medium.equals("Memory")) {
      throw unsupported(path + ".medium", "ECI's emptyDir media are the disk (\"\") and Memory, not " + medium);
    }
    if (emptyDir.getMode() != null) {
      throw unsupported(path + ".mode", "ECI's emptyDir volumes have no mode");
    }
    String sizeLimit = null;
    if (emptyDir.getSizeLimit() != null) {
      sizeLimit = emptyDir.getSizeLimit().toString();
      try {
        if (io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(emptyDir.getSizeLimit()).signum() <= 0) {
          throw invalid(path + ".sizeLimit", "\"" + sizeLimit + "\" is not positive");
        }
      } catch (ArithmeticException | IllegalArgumentException e) {
        throw invalid(path + ".sizeLimit", "\"" + sizeLimit + "\" is not a quantity");
      }
    }
    return Volume.emptyDir(name, medium, sizeLimit);
  }

  static List<HostAlias> hostAliases(PodSpec spec) {
    List<io.fabric8.kubernetes.api.model.HostAlias> aliases =
        spec.getHostAliases() == null ? List.of() : spec.getHostAliases();
    List<HostAlias> mapped = new ArrayList<>(aliases.size());
    for (int i = 0; i < aliases.size(); i++) {
      requirePresent(aliases.get(i).getIp(), "spec.hostAliases[" + i + "].ip");
      mapped.add(new HostAlias(aliases.get(i).getIp(), aliases.get(i).getHostnames()));
    }
    return mapped;
  }

  /**
   * ECI's DnsPolicy and DnsConfig for the pod, as the kubelet would write resolv.conf, and the Warning event to
   * record when the pod could not get the policy it asked for (null when it did).
   */
  record Dns(String policy, DnsConfig config, ProviderEvent warning) {
    Dns(String policy, DnsConfig config) {
      this(policy, config, null);
    }
  }

  /** The kubelet's reason for the same fallback, so that users and alerts recognise it. */
  static final String MISSING_CLUSTER_DNS = "MissingClusterDNS";

  static Dns dns(PodSpec spec, String namespace, Optional<ClusterDns> clusterDns) {
    String policy = emptyToNull(spec.getDnsPolicy());
    PodDNSConfig podConfig = ModelValues.isEmpty(spec.getDnsConfig()) ? null : spec.getDnsConfig();
    if (policy == null) {
      // Only hand-built pods lack a dnsPolicy (the API server defaults it to ClusterFirst): ClusterFirst when the
      // cluster DNS is known, else ECI's default.
      if (clusterDns.isEmpty()) {
        if (podConfig != null) {
          throw unsupported("spec.dnsConfig", "cluster DNS unknown: start the agent with --cluster-dns");
        }
        return new Dns(null, null);
      }
      policy = "ClusterFirst";
    }
    switch (policy) {
      case "ClusterFirst", "ClusterFirstWithHostNet" -> {
        if (clusterDns.isEmpty()) {
          // Like the kubelet without a cluster DNS IP: fall back to the Default policy and say so on the pod,
          // rather than refusing every pod of a cluster that runs no kube-dns.
          if (podConfig != null) {
            throw unsupported("spec.dnsConfig", "the agent knows no cluster DNS (no --cluster-dns and no"
                + " kube-system/kube-dns Service), and ECI cannot add a dnsConfig to the VPC's DNS");
          }
          return new Dns("Default", null, ProviderEvent.warning(MISSING_CLUSTER_DNS,
              "the agent knows no cluster DNS (no --cluster-dns and no kube-system/kube-dns Service) and cannot"
                  + " create the pod with the \"" + policy + "\" DNS policy. Falling back to \"Default\" (the"
                  + " VPC's DNS)."));
        }
        String domain = clusterDns.get().clusterDomain();
        List<String> searches = List.of(namespace + ".svc." + domain, "svc." + domain, domain);
        return new Dns("None", merge(clusterDns.get().nameServers(), searches,
            List.of(new DnsConfig.Option("ndots", CLUSTER_FIRST_NDOTS)), podConfig));
      }
      case "Default" -> {
        if (podConfig != null) {
          throw unsupported("spec.dnsConfig", "ECI applies a dnsConfig only with dnsPolicy None or ClusterFirst");
        }
        return new Dns("Default", null);
      }
      case "None" -> {
        return new Dns("None", merge(List.of(), List.of(), List.of(), podConfig));
      }
      default -> throw invalid(
          "spec.dnsPolicy", "\"" + policy + "\" is not ClusterFirst, ClusterFirstWithHostNet, Default or None");
    }
  }

  /** The kubelet's merge: name servers and searches appended without duplicates, options overridden by name. */
  private static DnsConfig merge(
      List<String> nameServers, List<String> searches, List<DnsConfig.Option> options, PodDNSConfig pod) {
    Set<String> servers = new LinkedHashSet<>(nameServers);
    Set<String> search = new LinkedHashSet<>(searches);
    Map<String, String> opts = new LinkedHashMap<>();
    options.forEach(o -> opts.put(o.name(), o.value()));
    if (pod != null) {
      if (pod.getNameservers() != null) {
        servers.addAll(pod.getNameservers());
      }
      if (pod.getSearches() != null) {
        search.addAll(pod.getSearches());
      }
      List<PodDNSConfigOption> podOptions = pod.getOptions() == null ? List.of() : pod.getOptions();
      for (int i = 0; i < podOptions.size(); i++) {
        requirePresent(podOptions.get(i).getName(), "spec.dnsConfig.options[" + i + "].name");
        opts.put(podOptions.get(i).getName(), podOptions.get(i).getValue());
      }
    }
    List<DnsConfig.Option> merged = new ArrayList<>();
    opts.forEach((name, value) -> merged.add(new DnsConfig.Option(name, value)));
    return new DnsConfig(List.copyOf(servers), List.copyOf(search), merged);
  }
}
