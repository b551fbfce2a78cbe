package io.ecivk.agent;

import picocli.CommandLine;

/** The version from the jar manifest, which Maven fills from the pom. */
public final class AgentVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = AgentVersion.class.getPackage().getImplementationVersion();
    return new String[] {"eci-virtual-kubelet " + (version == null ? "(development build)" : version)};
  }
}
