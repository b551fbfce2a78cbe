package io.ecivk.eci.mapping;

import static io.ecivk.eci.mapping.UnsupportedFields.unsupported;

import io.ecivk.eci.client.model.Container;
import io.ecivk.eci.client.model.ContainerPort;
import io.ecivk.eci.client.model.ContainerSecurityContext;
import io.ecivk.eci.client.model.EnvironmentVar;
import io.ecivk.eci.client.model.HttpHeader;
import io.ecivk.eci.client.model.LifecycleHandler;
import io.ecivk.eci.client.model.Probe;
import io.ecivk.eci.client.model.VolumeMount;
import io.ecivk.eci.sizing.ContainerResources;
import io.ecivk.pod.resolve.EnvExpansion;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Maps one container or init container. Each field is mapped, or fails the pod, in the order of {@link #map}:
 * name, image, resources (cpu, memory, GPU), command, args, workingDir, imagePullPolicy, env, ports, volume
 * mounts, liveness, readiness and startup probes, lifecycle hooks, security context, stdin/stdinOnce/tty,
 * terminationMessagePath/Policy. Fields {@link UnsupportedFields} rejects were checked before.
 *
 * <p>ECI's {@code InitContainer} has no probes, no lifecycle hooks, no stdin/tty and of the security context only
 * capabilities.add, readOnlyRootFilesystem and runAsUser: an init container that sets any of the others fails.
 */
final class ContainerMapper {

  /** What the kubelet writes when terminationMessagePath / Policy are unset; not sent, as ECI defaults the same. */
  static final String DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";

  static final String DEFAULT_TERMINATION_MESSAGE_POLICY = "File";

  private static final Set<String> PROPAGATIONS = Set.of("None", "HostToContainer", "Bidirectional");

  private static final Set<String> TERMINATION_MESSAGE_POLICIES = Set.of("File", "FallbackToLogsOnError");

  private static final Set<String> SCHEMES = Set.of("HTTP", "HTTPS");

  /** RFC 1123 label: container and volume names. */
  static final java.util.regex.Pattern DNS_LABEL =
      java.util.regex.Pattern.compile("(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** The fieldRef ECI fills in itself. */
  static final String ECI_POD_IP = "status.podIP";

  private static final List<String> POD_IP_FIELDS_IN_ORDER =
      List.of("status.podIP", "status.podIPs", "status.hostIP", "status.hostIPs");

  private static final Set<String> POD_IP_FIELDS = Set.copyOf(POD_IP_FIELDS_IN_ORDER);

  private ContainerMapper() {}

  /**
   * The pod-level settings a container inherits.
   *
   * @param runAsUser the pod security context's runAsUser, or null
   * @param runAsGroup the pod security context's runAsGroup, or null
   * @param runAsNonRoot the pod security context's runAsNonRoot, or null
   * @param volumeNames the names of the pod's volumes, which mounts must name
   */
  record PodDefaults(Long runAsUser, Long runAsGroup, Boolean runAsNonRoot, Set<String> volumeNames) {}

  /**
   * Maps one container.
   *
   * @param resolvedEnv the container's environment as the framework resolved it, or null when it resolved none
   *     (then the spec's {@code env}, which must hold only literals and the IP fieldRefs, is used)
   * @param notEnforced collects the fields accepted although ECI cannot enforce them, for one event on the pod
   */
  static Container map(
      io.fabric8.kubernetes.api.model.Container container,
      String path,
      boolean init,
      PodDefaults defaults,
      List<EnvVar> resolvedEnv,
      List<String> notEnforced) {
    requirePresent(container.getName(), path + ".name");
    if (!DNS_LABEL.matcher(container.getName()).matches()) {
      throw invalid(path + ".name", "\"" + container.getName() + "\" is not a DNS label (at most 63 lowercase"
          + " letters, digits and '-', starting and ending with a letter or digit)");
    }
    requirePresent(container.getImage(), path + ".image");
    if (!container.getImage().equals(container.getImage().strip())
        || container.getImage().chars().anyMatch(Character::isWhitespace)) {
      throw invalid(path + ".image", "\"" + container.getImage() + "\" contains whitespace");
    }
    ContainerResources resources = ContainerResources.of(container, path);
    Integer gpu = ContainerResources.gpus(container, path).orElse(null);
    Container.Builder builder =
        Container.builder(container.getName(), container.getImage())
            .cpu(resources.cpuOrNull())
            .memory(resources.memoryGiBOrNull())
            .gpu(gpu)
            // $(VAR) references expand against the container's environment, as the kubelet does before it
            // starts the container; without a resolved environment they are sent as written.
            .commands(resolvedEnv == null ? container.getCommand()
                : EnvExpansion.expandAll(container.getCommand(), resolvedEnv))
            .args(resolvedEnv == null ? container.getArgs()
                : EnvExpansion.expandAll(container.getArgs(), resolvedEnv))
            .workingDir(emptyToNull(container.getWorkingDir()))
            .imagePullPolicy(emptyToNull(container.getImagePullPolicy()))
            .environmentVars(env(container, resolvedEnv, path))
            .ports(ports(container.getPorts(), path))
            .volumeMounts(mounts(container.getVolumeMounts(), path, defaults.volumeNames()));
    Probe liveness = probe(container, container.getLivenessProbe(), path + ".livenessProbe", init);
    Probe readiness = probe(container, container.getReadinessProbe(), path + ".readinessProbe", init);
    if (!ModelValues.isEmpty(container.getStartupProbe())) {
      throw unsupported(path + ".startupProbe", "ECI has no startup probes");
    }
    builder.livenessProbe(liveness).readinessProbe(readiness);
    lifecycle(container, path, init, builder);
    builder.securityContext(securityContext(container.getSecurityContext(), path, init, defaults, notEnforced));
    builder
        .stdin(interactive(container.getStdin(), path + ".stdin", init, "stdin"))
        .stdinOnce(interactive(container.getStdinOnce(), path + ".stdinOnce", init, "stdin"))
        .tty(interactive(container.getTty(), path + ".tty", init, "tty"));
    String messagePath = emptyToNull(container.getTerminationMessagePath());
    builder.terminationMessagePath(DEFAULT_TERMINATION_MESSAGE_PATH.equals(messagePath) ? null : messagePath);
    String policy = emptyToNull(container.getTerminationMessagePolicy());
    if (policy != null && !TERMINATION_MESSAGE_POLICIES.contains(policy)) {
      throw invalid(path + ".terminationMessagePolicy", "\"" + policy + "\" is not File or FallbackToLogsOnError");
    }
    builder.terminationMessagePolicy(DEFAULT_TERMINATION_MESSAGE_POLICY.equals(policy) ? null : policy);
    return builder.build();
  }

  /**
   * The container's env: literal values as {@code Key/Value}, the pod-IP fieldRefs as ECI's {@code
   * FieldRef.FieldPath: status.podIP}. ECI resolves only {@code status.podIP}; the host IP is mapped onto it because
   * every ECI group is its own host (ECI reports hostIP = podIP), and {@code status.podIPs} onto it as the pod's one
   * IPv4 address. Whatever else is left unresolved fails the pod, naming the variable.
   */
  private static List<EnvironmentVar> env(
      io.fabric8.kubernetes.api.model.Container container, List<EnvVar> resolvedEnv, String path) {
    boolean resolved = resolvedEnv != null;
    if (!resolved && !ModelValues.isEmpty(container.getEnvFrom())) {
      throw unsupported(path + ".envFrom", "was not resolved to values (the framework resolves envFrom before"
          + " createPod)");
    }
    List<EnvVar> env = resolved ? resolvedEnv : container.getEnv() == null ? List.of() : container.getEnv();
    List<EnvironmentVar> mapped = new ArrayList<>(env.size());
    for (int i = 0; i < env.size(); i++) {
      EnvVar var = env.get(i);
      String varPath = path + ".env[" + (resolved ? var.getName() : String.valueOf(i)) + "]";
      requirePresent(var.getName(), varPath + ".name");
      EnvVarSource source = var.getValueFrom();
      if (source == null) {
        mapped.add(EnvironmentVar.literal(var.getName(), var.getValue()));
        continue;
      }
      List<String> kinds = ModelValues.setFields(source);
      ObjectFieldSelector fieldRef = source.getFieldRef();
      if (kinds.equals(List.of("fieldRef")) && POD_IP_FIELDS.contains(fieldRef.getFieldPath())) {
        mapped.add(EnvironmentVar.fieldRef(var.getName(), ECI_POD_IP));
        continue;
      }
      String kind = kinds.isEmpty() ? "(empty)" : kinds.get(0);
      String what = kind.equals("fieldRef") ? "fieldRef (" + fieldRef.getFieldPath() + ")" : kind;
      throw unsupported(varPath + ".valueFrom." + what, "was not resolved to a value; only the fieldRefs "
          + String.join(", ", POD_IP_FIELDS_IN_ORDER) + " are left for ECI to fill in");
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

  private static List<VolumeMount> mounts(
      List<io.fabric8.kubernetes.api.model.VolumeMount> mounts, String path, Set<String> volumeNames) {
    if (mounts == null) {
      return List.of();
    }
    List<VolumeMount> mapped = new ArrayList<>(mounts.size());
    for (int i = 0; i < mounts.size(); i++) {
      io.fabric8.kubernetes.api.model.VolumeMount mount = mounts.get(i);
      String mountPath = path + ".volumeMounts[" + i + "]";
      requirePresent(mount.getName(), mountPath + ".name");
      requirePresent(mount.getMountPath(), mountPath + ".mountPath");
      if (!volumeNames.contains(mount.getName())) {
        throw invalid(mountPath + ".name", "no volume named " + mount.getName());
      }
      if (!ModelValues.isEmpty(mount.getSubPathExpr())) {
        throw unsupported(mountPath + ".subPathExpr", "ECI cannot expand subPathExpr, use subPath");
      }
      String propagation = emptyToNull(mount.getMountPropagation());
      if (propagation != null && !PROPAGATIONS.contains(propagation)) {
        throw invalid(
            mountPath + ".mountPropagation", "\"" + propagation + "\" is not None, HostToContainer or Bidirectional");
      }
      String recursive = emptyToNull(mount.getRecursiveReadOnly());
      if (recursive != null && !recursive.equals("Disabled")) {
        throw unsupported(mountPath + ".recursiveReadOnly", "ECI has no recursive read-only mounts");
      }
      if (!ModelValues.isEmpty(mount.getBindMountOptions())) {
        throw unsupported(mountPath + ".bindMountOptions", "ECI has no bind mount options");
      }
      mapped.add(
          new VolumeMount(
              mount.getName(),
              mount.getMountPath(),
              Boolean.TRUE.equals(mount.getReadOnly()) ? Boolean.TRUE : null,
              emptyToNull(mount.getSubPath()),
              propagation));
    }
    return mapped;
  }

  private static Probe probe(
      io.fabric8.kubernetes.api.model.Container container,
      io.fabric8.kubernetes.api.model.Probe probe,
      String path,
      boolean init) {
    if (ModelValues.isEmpty(probe)) {
      return null;
    }
    if (init) {
      throw unsupported(path, "ECI runs no probes on init containers");
    }
    if (probe.getGrpc() != null) {
      throw unsupported(path + ".grpc", "ECI's probes have no gRPC action");
    }
    if (probe.getTerminationGracePeriodSeconds() != null) {
      throw unsupported(path + ".terminationGracePeriodSeconds", "ECI's probes have no grace period of their own");
    }
    requireOneAction(path, probe.getExec(), probe.getHttpGet(), probe.getTcpSocket(), null);
    Probe mapped;
    if (probe.getExec() != null) {
      mapped = Probe.exec(execCommand(probe.getExec(), path + ".exec"));
    } else if (probe.getHttpGet() != null) {
      HTTPGetAction get = probe.getHttpGet();
      String getPath = path + ".httpGet";
      if (!ModelValues.isEmpty(get.getHost())) {
        throw unsupported(getPath + ".host", "ECI's HTTP probes always target the pod's IP and have no host");
      }
      if (!ModelValues.isEmpty(get.getHttpHeaders())) {
        throw unsupported(getPath + ".httpHeaders", "ECI's HTTP probes have no headers");
      }
      mapped = Probe.httpGet(emptyToNull(get.getPath()), port(container, get.getPort(), getPath + ".port"),
          scheme(get.getScheme(), getPath + ".scheme"));
    } else {
      TCPSocketAction tcp = probe.getTcpSocket();
      if (!ModelValues.isEmpty(tcp.getHost())) {
        throw unsupported(path + ".tcpSocket.host", "ECI's TCP probes always target the pod's IP and have no host");
      }
      mapped = Probe.tcpSocket(port(container, tcp.getPort(), path + ".tcpSocket.port"));
    }
    return mapped.withTiming(
        probe.getInitialDelaySeconds(),
        probe.getPeriodSeconds(),
        probe.getTimeoutSeconds(),
        probe.getSuccessThreshold(),
        probe.getFailureThreshold());
  }

  private static void lifecycle(
      io.fabric8.kubernetes.api.model.Container container, String path, boolean init, Container.Builder builder) {
    Lifecycle lifecycle = container.getLifecycle();
    if (ModelValues.isEmpty(lifecycle)) {
      return;
    }
    String lifecyclePath = path + ".lifecycle";
    if (init) {
      throw unsupported(lifecyclePath, "ECI runs no lifecycle hooks on init containers");
    }
    builder.postStart(hook(container, lifecycle.getPostStart(), lifecyclePath + ".postStart"));
    builder.preStop(hook(container, lifecycle.getPreStop(), lifecyclePath + ".preStop"));
    if (!ModelValues.isEmpty(lifecycle.getStopSignal())) {
      throw unsupported(lifecyclePath + ".stopSignal", "ECI has no stop signal setting");
    }
  }

  private static LifecycleHandler hook(
      io.fabric8.kubernetes.api.model.Container container,
      io.fabric8.kubernetes.api.model.LifecycleHandler handler,
      String path) {
    if (ModelValues.isEmpty(handler)) {
      return null;
    }
    if (handler.getSleep() != null) {
      throw unsupported(path + ".sleep", "ECI's lifecycle hooks have no sleep action, use exec");
    }
    requireOneAction(path, handler.getExec(), handler.getHttpGet(), handler.getTcpSocket(), null);
    if (handler.getExec() != null) {
      return LifecycleHandler.exec(execCommand(handler.getExec(), path + ".exec"));
    }
    if (handler.getHttpGet() != null) {
      HTTPGetAction get = handler.getHttpGet();
      String getPath = path + ".httpGet";
      List<HttpHeader> headers = new ArrayList<>();
      List<HTTPHeader> given = get.getHttpHeaders() == null ? List.of() : get.getHttpHeaders();
      for (int i = 0; i < given.size(); i++) {
        requirePresent(given.get(i).getName(), getPath + ".httpHeaders[" + i + "].name");
        headers.add(new HttpHeader(given.get(i).getName(), given.get(i).getValue()));
      }
      return LifecycleHandler.httpGet(
          emptyToNull(get.getHost()),
          emptyToNull(get.getPath()),
          port(container, get.getPort(), getPath + ".port"),
          scheme(get.getScheme(), getPath + ".scheme"),
          headers);
    }
    TCPSocketAction tcp = handler.getTcpSocket();
    return LifecycleHandler.tcpSocket(emptyToNull(tcp.getHost()), port(container, tcp.getPort(), path + ".tcpSocket.port"));
  }

  private static ContainerSecurityContext securityContext(
      SecurityContext context, String path, boolean init, PodDefaults defaults, List<String> notEnforced) {
    String scPath = path + ".securityContext";
    List<String> add = List.of();
    Boolean readOnlyRoot = null;
    Long runAsUser = defaults.runAsUser();
    Long runAsGroup = defaults.runAsGroup();
    Boolean runAsNonRoot = defaults.runAsNonRoot();
    if (context != null) {
      if (Boolean.TRUE.equals(context.getPrivileged())) {
        throw unsupported(scPath + ".privileged", "privileged containers are not supported on ECI");
      }
      Capabilities capabilities = context.getCapabilities();
      if (capabilities != null) {
        if (!ModelValues.isEmpty(capabilities.getDrop())) {
          // ECI has only Capability.Add. Dropping narrows what the container may do inside its own sandbox VM;
          // refusing would refuse every pod of the restricted Pod Security Standard, so it is accepted and the
          // pod is told (one event) that the drop is not enforced.
          notEnforced.add(scPath + ".capabilities.drop");
        }
        add = capabilities.getAdd() == null ? List.of() : capabilities.getAdd();
      }
      if (Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
        // No ECI field sets no_new_privs: accepted for the same reason as capabilities.drop, and reported.
        notEnforced.add(scPath + ".allowPrivilegeEscalation");
      }
      SecurityProfiles.check(context.getSeccompProfile(), scPath + ".seccompProfile", "seccomp");
      SecurityProfiles.check(context.getAppArmorProfile(), scPath + ".appArmorProfile", "AppArmor");
      if (!ModelValues.isEmpty(context.getSeLinuxOptions())) {
        throw unsupported(scPath + ".seLinuxOptions", "ECI has no SELinux labels");
      }
      if (!ModelValues.isEmpty(context.getWindowsOptions())) {
        throw unsupported(scPath + ".windowsOptions", "ECI runs Linux containers");
      }
      String procMount = emptyToNull(context.getProcMount());
      if (procMount != null && !procMount.equals("Default")) {
        throw unsupported(scPath + ".procMount", "ECI has only the Default proc mount");
      }
      readOnlyRoot = Boolean.TRUE.equals(context.getReadOnlyRootFilesystem()) ? Boolean.TRUE : null;
      if (context.getRunAsUser() != null) {
        runAsUser = context.getRunAsUser();
      }
      if (context.getRunAsGroup() != null) {
        runAsGroup = context.getRunAsGroup();
      }
      if (context.getRunAsNonRoot() != null) {
        runAsNonRoot = context.getRunAsNonRoot();
      }
    }
    if (init) {
      if (runAsGroup != null) {
        throw unsupported(
            context != null && context.getRunAsGroup() != null ? scPath + ".runAsGroup"
                : "spec.securityContext.runAsGroup (inherited by " + path + ")",
            "ECI's init containers have no runAsGroup");
      }
      if (runAsNonRoot != null) {
        // runAsNonRoot only checks the user the container starts as, it sets nothing. A non-zero runAsUser, which
        // ECI does carry, satisfies it; otherwise the check cannot be made on ECI's init containers, and the pod
        // (restricted Pod Security Standard pods set it pod-wide) is told that it is not enforced.
        if (Boolean.TRUE.equals(runAsNonRoot) && (runAsUser == null || runAsUser == 0)) {
          notEnforced.add(context != null && context.getRunAsNonRoot() != null ? scPath + ".runAsNonRoot"
              : "spec.securityContext.runAsNonRoot (inherited by " + path + ")");
        }
        runAsNonRoot = null;
      }
    }
    if (add.isEmpty() && readOnlyRoot == null && runAsUser == null && runAsGroup == null && runAsNonRoot == null) {
      return null;
    }
    return new ContainerSecurityContext(add, readOnlyRoot, runAsUser, runAsGroup, runAsNonRoot);
  }

  private static Boolean interactive(Boolean value, String path, boolean init, String what) {
    if (!Boolean.TRUE.equals(value)) {
      return null;
    }
    if (init) {
      throw unsupported(path, "ECI's init containers have no " + what);
    }
    return Boolean.TRUE;
  }

  private static List<String> execCommand(ExecAction exec, String path) {
    if (exec.getCommand() == null || exec.getCommand().isEmpty()) {
      throw invalid(path + ".command", "missing");
    }
    return exec.getCommand();
  }

  private static void requireOneAction(String path, Object exec, Object httpGet, Object tcpSocket, Object other) {
    int actions = (exec == null ? 0 : 1) + (httpGet == null ? 0 : 1) + (tcpSocket == null ? 0 : 1)
        + (other == null ? 0 : 1);
    if (actions != 1) {
      throw invalid(path, "needs exactly one of exec, httpGet, tcpSocket, has " + actions);
    }
  }

  /** A port number, or a named port resolved from the container's ports. */
  private static int port(io.fabric8.kubernetes.api.model.Container container, IntOrString port, String path) {
    if (port == null || (port.getIntVal() == null && ModelValues.isEmpty(port.getStrVal()))) {
      throw invalid(path, "missing");
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    String name = port.getStrVal();
    if (name.chars().allMatch(Character::isDigit)) {
      return Integer.parseInt(name);
    }
    for (io.fabric8.kubernetes.api.model.ContainerPort candidate :
        container.getPorts() == null ? List.<io.fabric8.kubernetes.api.model.ContainerPort>of() : container.getPorts()) {
      if (name.equals(candidate.getName()) && candidate.getContainerPort() != null) {
        return candidate.getContainerPort();
      }
    }
    throw invalid(path, "the container has no port named " + name);
  }

  private static String scheme(String scheme, String path) {
    if (scheme == null || scheme.isEmpty()) {
      return null;
    }
    if (!SCHEMES.contains(scheme)) {
      throw invalid(path, "\"" + scheme + "\" is not HTTP or HTTPS");
    }
    return scheme;
  }

  static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  static void requirePresent(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw invalid(field, "missing");
    }
  }

  static ProviderException invalid(String field, String why) {
    return new ProviderException(ErrorCategory.INVALID_REQUEST, PodMapper.INVALID_POD_FIELD, field + ": " + why);
  }

  /** Seccomp and AppArmor profiles: only the runtime's default, which is what ECI applies, is accepted. */
  static final class SecurityProfiles {
    private SecurityProfiles() {}

    static void check(Object profile, String path, String what) {
      if (ModelValues.isEmpty(profile)) {
        return;
      }
      Object type = ModelValues.asMap(profile).get("type");
      if (!"RuntimeDefault".equals(type)) {
        throw unsupported(path, "ECI applies only the runtime's default " + what + " profile, not " + type);
      }
    }
  }
}
