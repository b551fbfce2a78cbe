package io.ecivk.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The agent's classpath holds fabric8's Vert.x and our own Netty code; two Netty versions there fail at run time
 * in ways no compiler sees. The build's enforcer rule checks the dependency tree; this checks what actually
 * loads: every Netty artifact found on the classpath reports the same version.
 */
class NettyClasspathTest {

  @Test
  void everyNettyArtifactOnTheClasspathHasOneVersion() {
    Map<String, String> versions = new TreeMap<>();
    Version.identify().forEach((artifact, version) -> {
      if (!artifact.startsWith("netty-tcnative")) { // tcnative has its own release line
        versions.put(artifact, version.artifactVersion());
      }
    });

    assertThat(versions).containsKeys("netty-common", "netty-codec-http", "netty-transport");
    assertThat(versions.values()).as("Netty versions by artifact: %s", versions).containsOnly("4.2.18.Final");
  }
}
