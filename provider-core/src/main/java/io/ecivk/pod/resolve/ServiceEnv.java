package io.ecivk.pod.resolve;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service environment variables the kubelet gives every container (its {@code envvars.go}). Pure.
 *
 * <p>Which services: those of the pod's namespace when {@code enableServiceLinks} is true (the API default), and
 * always the master service {@code kubernetes} of namespace {@code default}; a service of the pod's own namespace
 * with the same name wins over the master service. Services without a cluster IP (headless, or none yet) give
 * nothing. Per service {@code FOO-BAR}: {@code FOO_BAR_SERVICE_HOST}, {@code FOO_BAR_SERVICE_PORT} (first port),
 * {@code FOO_BAR_SERVICE_PORT_<NAME>} per named port, and the Docker link variables {@code FOO_BAR_PORT}
 * (first port), {@code FOO_BAR_PORT_<port>_<PROTO>} with {@code _PROTO}, {@code _PORT} and {@code _ADDR}.
 */
public final class ServiceEnv {
  public static final String MASTER_NAMESPACE = "default";
  public static final String MASTER_SERVICE = "kubernetes";

  private ServiceEnv() {}

  /**
   * The variables for a pod of {@code namespace}, in a stable order (services by name, then as
   * {@code envvars.go} lists them per service).
   *
   * @param namespaceServices the services of the pod's namespace
   * @param masterService {@code default/kubernetes}, or null if it does not exist
   */
  public static Map<String, String> forPod(
      String namespace, boolean enableServiceLinks, List<Service> namespaceServices, Service masterService) {
    Map<String, Service> byName = new TreeMap<>();
    if (masterService != null && hasClusterIp(masterService)) {
      byName.put(MASTER_SERVICE, masterService);
    }
    if (enableServiceLinks) {
      for (Service s : namespaceServices) {
        if (namespace.equals(s.getMetadata().getNamespace()) && hasClusterIp(s)) {
          byName.put(s.getMetadata().getName(), s);
        }
      }
    }
    return fromServices(new ArrayList<>(byName.values()));
  }

  /** The variables of these services, in order; services without a cluster IP are skipped. */
  public static Map<String, String> fromServices(List<Service> services) {
    Map<String, String> env = new LinkedHashMap<>();
    List<Service> sorted = new ArrayList<>(services);
    sorted.sort(Comparator.comparing(s -> s.getMetadata().getName()));
    for (Service service : sorted) {
      if (!hasClusterIp(service) || service.getSpec().getPorts() == null || service.getSpec().getPorts().isEmpty()) {
        continue;
      }
      String ip = service.getSpec().getClusterIP();
      String prefix = variableName(service.getMetadata().getName());
      List<ServicePort> ports = service.getSpec().getPorts();
      env.put(prefix + "_SERVICE_HOST", ip);
      String portName = prefix + "_SERVICE_PORT";
      env.put(portName, String.valueOf(ports.get(0).getPort()));
      for (ServicePort port : ports) {
        if (port.getName() != null && !port.getName().isEmpty()) {
          env.put(portName + "_" + variableName(port.getName()), String.valueOf(port.getPort()));
        }
      }
      for (int i = 0; i < ports.size(); i++) {
        ServicePort port = ports.get(i);
        String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
        String lower = protocol.toLowerCase(Locale.ROOT);
        String url = lower + "://" + hostPort(ip, port.getPort());
        if (i == 0) {
          env.put(prefix + "_PORT", url);
        }
        String portPrefix = prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
        env.put(portPrefix, url);
        env.put(portPrefix + "_PROTO", lower);
        env.put(portPrefix + "_PORT", String.valueOf(port.getPort()));
        env.put(portPrefix + "_ADDR", ip);
      }
    }
    return env;
  }

  /** Whether the service has a cluster IP: not empty and not {@code None}. */
  static boolean hasClusterIp(Service s) {
    String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
    return ip != null && !ip.isEmpty() && !"None".equals(ip);
  }

  /** {@code my-svc} to {@code MY_SVC}. */
  static String variableName(String name) {
    return name.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** Go's {@code net.JoinHostPort}: IPv6 addresses in brackets. */
  private static String hostPort(String host, Integer port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
