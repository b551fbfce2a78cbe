package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container (or init container) of a CreateContainerGroup request. {@code cpu} is in vCPUs and {@code memory}
 * in GiB, as the API takes them (floats); null leaves sizing to the instance level.
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
    List<ContainerPort> ports) {

  public Container {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    commands = ParamMap.copy(commands);
    args = ParamMap.copy(args);
    environmentVars = ParamMap.copy(environmentVars);
    ports = ParamMap.copy(ports);
  }

  public static Builder builder(String name, String image) {
    return new Builder(name, image);
  }

  Map<String, Object> toParams() {
    return new ParamMap()
        .put("Name", name)
        .put("Image", image)
        .put("Cpu", cpu)
        .put("Memory", memory)
        .putList("Command", commands)
        .putList("Arg", args)
        .put("WorkingDir", workingDir)
        .put("ImagePullPolicy", imagePullPolicy)
        .putList("EnvironmentVar", environmentVars, EnvironmentVar::toParams)
        .putList("Port", ports, ContainerPort::toParams)
        .build();
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

    public Container build() {
      return new Container(name, image, cpu, memory, commands, args, workingDir, imagePullPolicy, environmentVars, ports);
    }
  }
}
