package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container (or init container) of a CreateContainerGroup or UpdateContainerGroup request. {@code cpu} is in
 * vCPUs and {@code memory} in GiB, as the API takes them (floats); null leaves sizing to the instance level. Every
 * optional field is omitted from the request when null or empty.
 *
 * <p>Init containers use the same record, but ECI ignores probes and lifecycle hooks on them (its
 * {@code InitContainer.N} model has neither); the mapper must leave {@code readinessProbe}, {@code livenessProbe},
 * {@code postStart} and {@code preStop} unset for init containers rather than rely on that.
 *
 * @param securityContext rendered partly nested ({@code SecurityContext.*}) and partly flat
 *     ({@code SecurityContextRunAsGroup}, {@code SecurityContextRunAsNonRoot}); never carries privileged
 * @param postStart rendered as the flat {@code LifecyclePostStartHandler*} keys
 * @param preStop rendered as the flat {@code LifecyclePreStopHandler*} keys
 */
public record Container(
    String name,
    String image,
    Float cpu,
    Float memory,
    List<String> commands,
    List<String> args,
    String workingDir,
    String imagePullPolicy,
    List<EnvironmentVar> environmentVars,
    List<ContainerPort> ports,
    Integer gpu,
    Boolean stdin,
    Boolean stdinOnce,
    Boolean tty,
    List<VolumeMount> volumeMounts,
    Probe readinessProbe,
    Probe livenessProbe,
    ContainerSecurityContext securityContext,
    LifecycleHandler postStart,
    LifecycleHandler preStop,
    String terminationMessagePath,
    String terminationMessagePolicy) {

  public Container {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    commands = ParamMap.copy(commands);
    args = ParamMap.copy(args);
    environmentVars = ParamMap.copy(environmentVars);
    ports = ParamMap.copy(ports);
    volumeMounts = ParamMap.copy(volumeMounts);
  }

  public static Builder builder(String name, String image) {
    return new Builder(name, image);
  }

  Map<String, Object> toParams() {
    ParamMap p =
        new ParamMap()
            .put("Name", name)
            .put("Image", image)
            .put("Cpu", cpu)
            .put("Memory", memory)
            .put("Gpu", gpu)
            .putList("Command", commands)
            .putList("Arg", args)
            .put("WorkingDir", workingDir)
            .put("ImagePullPolicy", imagePullPolicy)
            .put("Stdin", stdin)
            .put("StdinOnce", stdinOnce)
            .put("Tty", tty)
            .putList("EnvironmentVar", environmentVars, EnvironmentVar::toParams)
            .putList("Port", ports, ContainerPort::toParams)
            .putList("VolumeMount", volumeMounts, VolumeMount::toParams)
            .put("TerminationMessagePath", terminationMessagePath)
            .put("TerminationMessagePolicy", terminationMessagePolicy);
    if (readinessProbe != null) {
      p.putMap("ReadinessProbe", readinessProbe.toParams());
    }
    if (livenessProbe != null) {
      p.putMap("LivenessProbe", livenessProbe.toParams());
    }
    if (securityContext != null) {
      p.putMap("SecurityContext", securityContext.nestedParams())
          .put("SecurityContextRunAsGroup", securityContext.runAsGroup())
          .put("SecurityContextRunAsNonRoot", securityContext.runAsNonRoot());
    }
    if (postStart != null) {
      postStart.renderInto(p, "LifecyclePostStartHandler");
    }
    if (preStop != null) {
      preStop.renderInto(p, "LifecyclePreStopHandler");
    }
    return p.build();
  }

  /**
   * The parameters as UpdateContainerGroup takes them. Its SDK model (UpdateContainerGroupRequest.java,
   * aliyun/alibabacloud-java-sdk eci-20180808) names the postStart header list
   * {@code LifecyclePostStartHandlerHttpGetHttpHeaders} (plural), while CreateContainerGroup and the preStop hook
   * of both use the singular {@code ...HttpGetHttpHeader}; everything else is the same.
   */
  Map<String, Object> toUpdateParams() {
    Map<String, Object> params = toParams();
    Object headers = params.remove("LifecyclePostStartHandlerHttpGetHttpHeader");
    if (headers != null) {
      params.put("LifecyclePostStartHandlerHttpGetHttpHeaders", headers);
    }
    return params;
  }

  /** Builds a {@link Container}; unset fields are omitted from the request. */
  public static final class Builder {
    private final String name;
    private final String image;
    private Float cpu;
    private Float memory;
    private List<String> commands = List.of();
    private List<String> args = List.of();
    private String workingDir;
    private String imagePullPolicy;
    private List<EnvironmentVar> environmentVars = List.of();
    private List<ContainerPort> ports = List.of();
    private Integer gpu;
    private Boolean stdin;
    private Boolean stdinOnce;
    private Boolean tty;
    private List<VolumeMount> volumeMounts = List.of();
    private Probe readinessProbe;
    private Probe livenessProbe;
    private ContainerSecurityContext securityContext;
    private LifecycleHandler postStart;
    private LifecycleHandler preStop;
    private String terminationMessagePath;
    private String terminationMessagePolicy;

    private Builder(String name, String image) {
      this.name = name;
      this.image = image;
    }

    public Builder cpu(Float cpu) {
      this.cpu = cpu;
      return this;
    }

    public Builder memory(Float memory) {
      this.memory = memory;
      return this;
    }

    public Builder commands(List<String> commands) {
      this.commands = commands;
      return this;
    }

    public Builder args(List<String> args) {
      this.args = args;
      return this;
    }

    public Builder workingDir(String workingDir) {
      this.workingDir = workingDir;
      return this;
    }

    public Builder imagePullPolicy(String imagePullPolicy) {
      this.imagePullPolicy = imagePullPolicy;
      return this;
    }

    public Builder environmentVars(List<EnvironmentVar> environmentVars) {
      this.environmentVars = environmentVars;
      return this;
    }

    public Builder ports(List<ContainerPort> ports) {
      this.ports = ports;
      return this;
    }

    /** Number of GPUs ({@code Gpu}). */
    public Builder gpu(Integer gpu) {
      this.gpu = gpu;
      return this;
    }

    public Builder stdin(Boolean stdin) {
      this.stdin = stdin;
      return this;
    }

    public Builder stdinOnce(Boolean stdinOnce) {
      this.stdinOnce = stdinOnce;
      return this;
    }

    public Builder tty(Boolean tty) {
      this.tty = tty;
      return this;
    }

    public Builder volumeMounts(List<VolumeMount> volumeMounts) {
      this.volumeMounts = volumeMounts;
      return this;
    }

    /** Not for init containers: ECI ignores probes there. */
    public Builder readinessProbe(Probe readinessProbe) {
      this.readinessProbe = readinessProbe;
      return this;
    }

    /** Not for init containers: ECI ignores probes there. */
    public Builder livenessProbe(Probe livenessProbe) {
      this.livenessProbe = livenessProbe;
      return this;
    }

    public Builder securityContext(ContainerSecurityContext securityContext) {
      this.securityContext = securityContext;
      return this;
    }

    /** Not for init containers: ECI ignores lifecycle hooks there. */
    public Builder postStart(LifecycleHandler postStart) {
      this.postStart = postStart;
      return this;
    }

    /** Not for init containers: ECI ignores lifecycle hooks there. */
    public Builder preStop(LifecycleHandler preStop) {
      this.preStop = preStop;
      return this;
    }

    public Builder terminationMessagePath(String terminationMessagePath) {
      this.terminationMessagePath = terminationMessagePath;
      return this;
    }

    /** {@code File} or {@code FallbackToLogsOnError}. */
    public Builder terminationMessagePolicy(String terminationMessagePolicy) {
      this.terminationMessagePolicy = terminationMessagePolicy;
      return this;
    }

    public Container build() {
      return new Container(
          name, image, cpu, memory, commands, args, workingDir, imagePullPolicy, environmentVars, ports, gpu, stdin,
          stdinOnce, tty, volumeMounts, readinessProbe, livenessProbe, securityContext, postStart, preStop,
          terminationMessagePath, terminationMessagePolicy);
    }
  }
}
