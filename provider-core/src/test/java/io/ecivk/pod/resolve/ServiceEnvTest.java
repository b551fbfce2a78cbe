package io.ecivk.pod.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvTest {
  private static Service service(String ns, String name, String ip, ServicePort... ports) {
    return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withClusterIP(ip).withPorts(ports).endSpec().build();
  }

  private static ServicePort port(String name, int port, String protocol) {
    return new ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol).build();
  }

  private static final Service MASTER = service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP"));

  @Test
  void masterServiceOnly() {
    assertThat(ServiceEnv.forPod("app", true, List.of(), MASTER)).containsExactly(
        Map.entry("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
        Map.entry("KUBERNETES_SERVICE_PORT", "443"),
        Map.entry("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
        Map.entry("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
        Map.entry("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
        Map.entry("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
        Map.entry("KUBERNETES_PORT_443_TCP_PORT", "443"),
        Map.entry("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"));
  }

  @Test
  void namedAndUnnamedPortsDashesAndProtocols() {
    Service svc = service("app", "my-db", "10.96.3.4", port(null, 5432, null), port("metrics-http", 9187, "UDP"));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("MY_DB_SERVICE_HOST", "10.96.3.4");
    expected.put("MY_DB_SERVICE_PORT", "5432");
    expected.put("MY_DB_SERVICE_PORT_METRICS_HTTP", "9187");
    expected.put("MY_DB_PORT", "tcp://10.96.3.4:5432");
    expected.put("MY_DB_PORT_5432_TCP", "tcp://10.96.3.4:5432");
    expected.put("MY_DB_PORT_5432_TCP_PROTO", "tcp");
    expected.put("MY_DB_PORT_5432_TCP_PORT", "5432");
    expected.put("MY_DB_PORT_5432_TCP_ADDR", "10.96.3.4");
    expected.put("MY_DB_PORT_9187_UDP", "udp://10.96.3.4:9187");
    expected.put("MY_DB_PORT_9187_UDP_PROTO", "udp");
    expected.put("MY_DB_PORT_9187_UDP_PORT", "9187");
    expected.put("MY_DB_PORT_9187_UDP_ADDR", "10.96.3.4");
    assertThat(ServiceEnv.fromServices(List.of(svc))).containsExactlyEntriesOf(expected);
  }

  @Test
  void ipv6ClusterIpIsBracketedInUrls() {
    Service svc = service("app", "v6", "fd00::10", port("", 80, "TCP"));
    assertThat(ServiceEnv.fromServices(List.of(svc)))
        .containsEntry("V6_SERVICE_HOST", "fd00::10")
        .containsEntry("V6_PORT", "tcp://[fd00::10]:80")
        .containsEntry("V6_PORT_80_TCP_ADDR", "fd00::10")
        .doesNotContainKey("V6_SERVICE_PORT_");
  }

  @Test
  void headlessAndIpLessServicesGiveNothing() {
    assertThat(ServiceEnv.fromServices(List.of(
        service("app", "headless", "None", port("", 80, "TCP")),
        service("app", "pending", "", port("", 80, "TCP")),
        service("app", "nil", null, port("", 80, "TCP"))))).isEmpty();
  }

  @Test
  void serviceLinksDisabledKeepsOnlyTheMasterService() {
    Service svc = service("app", "web", "10.96.0.9", port("", 80, "TCP"));
    assertThat(ServiceEnv.forPod("app", false, List.of(svc), MASTER).keySet())
        .allMatch(k -> k.startsWith("KUBERNETES_")).hasSize(8);
  }

  @Test
  void servicesOfOtherNamespacesAreIgnoredAndALocalKubernetesServiceWins() {
    Service other = service("elsewhere", "web", "10.96.0.9", port("", 80, "TCP"));
    Service local = service("app", "kubernetes", "10.96.7.7", port("", 8080, "TCP"));
    Map<String, String> env = ServiceEnv.forPod("app", true, List.of(other, local), MASTER);
    assertThat(env).doesNotContainKey("WEB_SERVICE_HOST")
        .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.7.7")
        .containsEntry("KUBERNETES_SERVICE_PORT", "8080")
        .doesNotContainKey("KUBERNETES_SERVICE_PORT_HTTPS");
  }

  @Test
  void servicesAreOrderedByName() {
    Map<String, String> env = ServiceEnv.forPod("app", true, List.of(
        service("app", "zeta", "10.96.0.3", port("", 1, "TCP")),
        service("app", "alpha", "10.96.0.2", port("", 2, "SCTP"))), null);
    assertThat(env.keySet()).first().isEqualTo("ALPHA_SERVICE_HOST");
    assertThat(env).containsEntry("ALPHA_PORT", "sctp://10.96.0.2:2").containsEntry("ALPHA_PORT_2_SCTP_PROTO", "sctp");
  }
}
