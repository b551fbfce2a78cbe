package io.ecivk.agent;

import io.ecivk.eci.client.EciCredentials;
import io.fabric8.kubernetes.api.model.Quantity;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The settings the integration tests share: a loopback node, fast intervals, fake keys, a free kubelet port. */
public final class TestAgentConfigs {
  private TestAgentConfigs() {}

  /**
   * A node for {@code zone} of cn-hangzhou on the simulator at {@code endpoint}, vSwitch {@code vsw-a}, 100 CPUs,
   * 4 workers, 500 ms status polls, 1 s pings and lease renewals; tests override what they are about.
   */
  public static AgentConfig.Builder onSimulator(String zone, URI endpoint, String accessKeyId, String secret) {
    return AgentConfig.builder()
        .region("cn-hangzhou")
        .zone(zone)
        .vSwitchIds(List.of("vsw-a"))
        .securityGroupId("sg-a")
        .eciEndpoint(endpoint)
        .credentials(EciCredentials.accessKey(accessKeyId, secret))
        .nodeIp("127.0.0.1")
        .kubeletPort(0)
        .capacity(Map.of("cpu", new Quantity("100"), "memory", new Quantity("400Gi"), "pods", new Quantity("100")))
        .workers(4)
        .statusInterval(Duration.ofMillis(500))
        .pingInterval(Duration.ofSeconds(1))
        .leaseRenewInterval(Duration.ofSeconds(1));
  }
}
