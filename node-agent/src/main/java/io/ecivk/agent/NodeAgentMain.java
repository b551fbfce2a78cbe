package io.ecivk.agent;

import io.ecivk.agent.demo.DemoCommand;
import io.ecivk.agent.run.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code node-agent.jar}: dispatches to the subcommands. */
@Command(
    name = "node-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentVersion.class,
    description = "eci-virtual-kubelet node agent: runs Kubernetes pods on Alibaba Cloud ECI.",
    subcommands = {RunCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class NodeAgentMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new NodeAgentMain()).execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (try 'demo').");
  }
}
