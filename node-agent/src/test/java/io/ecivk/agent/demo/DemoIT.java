package io.ecivk.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's first command, in-process: the agent registers its node on the in-process API server, runs the
 * seed pods on the simulator to Running with IPs and events, and removes pods and groups again.
 */
class DemoIT {

  @Test
  void demoRunsTheSeedPodsThroughTheAgentToRunningAndDeletesThem() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int exit = new CommandLine(new DemoCommand(out)).execute("--once", "--replicas", "2", "--timeout", "PT30S");

    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isZero();
    assertThat(output).containsPattern("ECI simulator at http://127\\.0\\.0\\.1:\\d+");
    assertThat(output).containsPattern("virtual-kubelet-cn-hangzhou-i\\s+Ready\\s+agent\\s+\\d+s\\s+v\\S+-eci-vk-");
    assertThat(output).contains("Taints: virtual-kubelet.io/provider=alibabacloud:NoSchedule");
    assertThat(output).containsPattern(
        "nginx-deployment-[a-z0-9]{10}-[a-z0-9]{5}\\s+1/1\\s+Running\\s+0\\s+\\d+s\\s+10\\.224\\.\\d+\\.\\d+\\s+"
            + "virtual-kubelet-cn-hangzhou-i");
    assertThat(output.lines().filter(l -> l.matches("nginx-deployment-\\S+\\s+1/1\\s+Running .*")).count())
        .isEqualTo(2);
    assertThat(output).containsPattern("Normal\\s+AutoInstanceTypeMatch\\s+eci-virtual-kubelet, virtual-kubelet-cn-hangzhou-i\\s+"
        + "The most-matched instanceType for current eci instance is 1\\.0-2\\.0Gi");
    assertThat(output).contains("0 pod(s) and 0 container group(s) left.");
  }
}
