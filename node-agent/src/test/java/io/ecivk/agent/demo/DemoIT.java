package io.ecivk.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The README's first command, in-process: the demo reaches Running with IPs and events, then cleans up. */
class DemoIT {

  @Test
  void demoRunsTheSeedPodsToRunningAndDeletesThem() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int exit = new CommandLine(new DemoCommand(out)).execute("--once", "--replicas", "2", "--timeout", "PT30S");

    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isZero();
    assertThat(output).containsPattern("ECI simulator listening on http://127\\.0\\.0\\.1:\\d+");
    assertThat(output).containsPattern(
        "nginx-deployment-[a-z0-9]{10}-[a-z0-9]{5}\\s+1/1\\s+Running\\s+\\d+s\\s+10\\.224\\.\\d+\\.\\d+\\s+"
            + "virtual-kubelet-cn-hangzhou-i\\s+eci-[a-z0-9]{20}");
    assertThat(output.lines().filter(l -> l.contains(" Running ")).count()).isEqualTo(2);
    assertThat(output).contains("AutoInstanceTypeMatch")
        .contains("The most-matched instanceType for current eci instance is 1.0-2.0Gi");
    assertThat(output).contains("0 container group(s) left.");
  }
}
