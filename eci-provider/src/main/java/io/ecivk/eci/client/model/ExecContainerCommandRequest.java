package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ExecContainerCommand: runs {@code command} in one container of a group. {@code Command} travels as one JSON array
 * parameter of at most {@value #MAX_COMMAND_ELEMENTS} strings of at most {@value #MAX_ELEMENT_LENGTH} characters
 * (eci-openapi.md §3.4). Unset flags are left to the service's defaults: {@code TTY} false, {@code Stdin} true,
 * {@code Sync} false. {@code Sync=true} requires {@code TTY=false} and a command other than {@code /bin/bash}.
 */
public record ExecContainerCommandRequest(
    String containerGroupId, String containerName, List<String> command, Boolean tty, Boolean stdin, Boolean sync)
    implements EciRequest {

  public static final int MAX_COMMAND_ELEMENTS = 20;
  public static final int MAX_ELEMENT_LENGTH = 256;

  /** @throws IllegalArgumentException for a command the API would refuse (empty, too many or too long parts) */
  public ExecContainerCommandRequest {
    Objects.requireNonNull(containerGroupId, "containerGroupId");
    Objects.requireNonNull(containerName, "containerName");
    command = List.copyOf(command);
    String problem = commandProblem(command);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Why ECI would refuse {@code command}, or null when it is acceptable; lets callers turn the problem into their
   * own error before building a request.
   */
  public static String commandProblem(List<String> command) {
    if (command.isEmpty() || command.get(0).isEmpty()) {
      return "the command must not be empty";
    }
    if (command.size() > MAX_COMMAND_ELEMENTS) {
      return "ECI runs commands of at most " + MAX_COMMAND_ELEMENTS + " words, this one has " + command.size();
    }
    for (String part : command) {
      if (part.length() > MAX_ELEMENT_LENGTH) {
        return "ECI takes command words of at most " + MAX_ELEMENT_LENGTH + " characters, one has "
            + part.length();
      }
    }
    return null;
  }

  public static Builder builder(String containerGroupId, String containerName, List<String> command) {
    return new Builder(containerGroupId, containerName, command);
  }

  @Override
  public String action() {
    return "ExecContainerCommand";
  }

  @Override
  public Map<String, Object> toParams() {
    return new ParamMap()
        .put("ContainerGroupId", containerGroupId)
        .put("ContainerName", containerName)
        .put("Command", EciJson.jsonArray(command))
        .put("TTY", tty)
        .put("Stdin", stdin)
        .put("Sync", sync)
        .build();
  }

  /** Builds a request; unset flags take the service's defaults. */
  public static final class Builder {
    private final String containerGroupId;
    private final String containerName;
    private final List<String> command;
    private Boolean tty;
    private Boolean stdin;
    private Boolean sync;

    private Builder(String containerGroupId, String containerName, List<String> command) {
      this.containerGroupId = containerGroupId;
      this.containerName = containerName;
      this.command = command;
    }

    public Builder tty(Boolean tty) {
      this.tty = tty;
      return this;
    }

    public Builder stdin(Boolean stdin) {
      this.stdin = stdin;
      return this;
    }

    public Builder sync(Boolean sync) {
      this.sync = sync;
      return this;
    }

    public ExecContainerCommandRequest build() {
      return new ExecContainerCommandRequest(containerGroupId, containerName, command, tty, stdin, sync);
    }
  }
}
