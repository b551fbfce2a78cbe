package io.ecivk.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.agent.AgentConfig;
import io.ecivk.eci.client.EciCredentials;
import io.fabric8.kubernetes.api.model.Quantity;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

  @Test
  void flagsBecomeTheConfigWithAckStyleDefaults() {
    AgentConfig config = parse("--region", "cn-hangzhou", "--zone", "cn-hangzhou-i", "--vswitch", "vsw-a,vsw-b",
        "--vswitch", "vsw-c", "--security-group", "sg-a", "--node-label", "team=web", "--node-label", "tier=burst",
        "--node-ip", "10.0.0.7").toConfig(Map.of());

    assertThat(config.nodeName()).isEqualTo("virtual-kubelet-cn-hangzhou-i");
    assertThat(config.vSwitchIds()).containsExactly("vsw-a", "vsw-b", "vsw-c");
    assertThat(config.extraNodeLabels()).containsOnly(Map.entry("team", "web"), Map.entry("tier", "burst"));
    assertThat(config.eciEndpoint()).isEqualTo(URI.create("https://eci.cn-hangzhou.aliyuncs.com"));
    assertThat(config.clusterId()).isNull(); // resolved at start: the kube-system namespace's UID
    assertThat(config.nodeIp()).isEqualTo("10.0.0.7");
    assertThat(config.kubeletPort()).isEqualTo(10250);
    assertThat(config.capacity()).containsEntry("cpu", new Quantity("1000")).containsEntry("memory", new Quantity("4Ti"))
        .containsEntry("pods", new Quantity("1000"));
    assertThat(config.workers()).isEqualTo(10);
    assertThat(config.statusInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.leaseRenewInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.nodeStatusInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.credentials()).isEqualTo(EciCredentials.defaultChain());
  }

  @Test
  void nodeNameEndpointClusterAndCapacityOverrides() {
    AgentConfig config = parse("--region", "cn-shanghai", "--zone", "cn-shanghai-b", "--vswitch", "vsw-a",
        "--security-group", "sg-a", "--node-name", "burst-b", "--eci-endpoint", "http://127.0.0.1:18080",
        "--cluster-id", "c-123", "--node-ip", "127.0.0.1", "--cpu", "64", "--memory", "256Gi", "--pods", "50")
        .toConfig(Map.of());

    assertThat(config.nodeName()).isEqualTo("burst-b");
    assertThat(config.eciEndpoint()).isEqualTo(URI.create("http://127.0.0.1:18080"));
    assertThat(config.clusterId()).isEqualTo("c-123");
    assertThat(config.capacity()).containsEntry("cpu", new Quantity("64")).containsEntry("pods", new Quantity("50"));
  }

  @Test
  void credentialsPreferTheAlibabaChainThenTheAckVariables() {
    assertThat(RunCommand.credentials(Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", "x", "ECI_ACCESS_KEY", "y",
        "ECI_SECRET_KEY", "z"))).isEqualTo(EciCredentials.defaultChain());
    assertThat(RunCommand.credentials(Map.of("ECI_ACCESS_KEY", "LTAI5tACK", "ECI_SECRET_KEY", "s3cret")))
        .isEqualTo(EciCredentials.accessKey("LTAI5tACK", "s3cret"));
    assertThat(RunCommand.credentials(Map.of())).isEqualTo(EciCredentials.defaultChain());
    assertThatThrownBy(() -> RunCommand.credentials(Map.of("ECI_ACCESS_KEY", "only-the-id")))
        .hasMessage("ECI_ACCESS_KEY and ECI_SECRET_KEY must be set together");
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> parse("--zone", "z", "--vswitch", "v", "--security-group", "s", "--node-ip", "1.2.3.4")
        .toConfig(Map.of())).hasMessage("missing --region (or ECI_REGION)");
    assertThatThrownBy(() -> parse("--region", "r", "--zone", "z", "--security-group", "s", "--node-ip", "1.2.3.4")
        .toConfig(Map.of())).hasMessageContaining("at least one vSwitch");
    assertThatThrownBy(() -> parse("--region", "r", "--zone", "z", "--vswitch", "v", "--security-group", "s",
        "--node-ip", "1.2.3.4", "--node-label", "novalue").toConfig(Map.of()))
        .hasMessage("--node-label must be key=value, got 'novalue'");
    assertThatThrownBy(() -> parse("--region", "r", "--zone", "z", "--vswitch", "v", "--security-group", "s",
        "--node-ip", "1.2.3.4", "--cpu", "lots").toConfig(Map.of()))
        .hasMessage("--cpu is not a quantity: lots");
    assertThatThrownBy(() -> parse("--region", "r", "--zone", "z", "--vswitch", "v", "--security-group", "s",
        "--node-ip", "1.2.3.4", "--pods", "0").toConfig(Map.of()))
        .hasMessage("--pods must be positive, got 0");
  }

  @Test
  void burstBinderIsOnWithoutDelayByDefaultAndConfigurable() {
    String[] base = {"--region", "r", "--zone", "z", "--vswitch", "v", "--security-group", "s", "--node-ip", "1.2.3.4"};

    assertThat(parse(base).toConfig(Map.of()).burst()).isEqualTo(new AgentConfig.Burst(true, Duration.ZERO));
    String[] tuned = java.util.stream.Stream.concat(java.util.Arrays.stream(base),
        java.util.stream.Stream.of("--burst-binder", "false", "--burst-delay", "PT45S")).toArray(String[]::new);
    assertThat(parse(tuned).toConfig(Map.of()).burst()).isEqualTo(new AgentConfig.Burst(false, Duration.ofSeconds(45)));
    String[] negative = java.util.stream.Stream.concat(java.util.Arrays.stream(base),
        java.util.stream.Stream.of("--burst-delay", "PT-1S")).toArray(String[]::new);
    assertThatThrownBy(() -> parse(negative).toConfig(Map.of()))
        .hasMessage("burst delay must be zero or positive, got PT-1S");
  }

  @Test
  void helpDocumentsEveryFlagWithItsEnvironmentVariable() {
    String help = new CommandLine(new RunCommand()).getUsageMessage();

    for (String env : List.of("ECI_REGION", "ECI_VSWITCH", "ECI_SECURITY_GROUP", "ALIYUN_CLUSTERID", "VK_ZONE",
        "VK_NODE_NAME", "VK_NODE_LABEL", "VK_ECI_ENDPOINT", "VK_NODE_IP", "VK_KUBELET_PORT", "VK_KUBECONFIG",
        "ECI_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "VK_BURST_BINDER", "VK_BURST_DELAY")) {
      assertThat(help).contains(env);
    }
  }

  @Test
  void webhookIsOffByDefaultAndConfiguredByFlags() {
    String[] base = {"--region", "cn-hangzhou", "--zone", "cn-hangzhou-i", "--vswitch", "vsw-a",
        "--security-group", "sg-a", "--node-ip", "10.0.0.7"};
    assertThat(parse(base).toConfig(Map.of()).webhook()).isEqualTo(AgentConfig.Webhook.disabled());

    String[] on = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.stream.Stream.of(
        "--webhook", "--webhook-port", "8443", "--webhook-url", "https://10.0.0.7:8443/mutate-pods"))
        .toArray(String[]::new);
    AgentConfig.Webhook webhook = parse(on).toConfig(Map.of("POD_NAMESPACE", "vk-system")).webhook();

    assertThat(webhook).isEqualTo(new AgentConfig.Webhook(true, "0.0.0.0", 8443, null, null,
        URI.create("https://10.0.0.7:8443/mutate-pods"), null, "vk-system"));
    assertThat(webhook.target().url()).isEqualTo(URI.create("https://10.0.0.7:8443/mutate-pods"));

    String[] both = java.util.stream.Stream.concat(java.util.Arrays.stream(on), java.util.stream.Stream.of(
        "--webhook-service", "vk-system/vk")).toArray(String[]::new);
    assertThatThrownBy(() -> parse(both).toConfig(Map.of())).hasMessageContaining("exclusive");
    String[] halfCert = java.util.stream.Stream.concat(java.util.Arrays.stream(on), java.util.stream.Stream.of(
        "--webhook-cert-file", "/tmp/c.pem")).toArray(String[]::new);
    assertThatThrownBy(() -> parse(halfCert).toConfig(Map.of())).hasMessageContaining("together");
  }

  private static RunCommand parse(String... args) {
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }
}
