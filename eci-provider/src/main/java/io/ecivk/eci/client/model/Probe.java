package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A readiness or liveness probe, rendered as {@code ReadinessProbe.*} / {@code LivenessProbe.*}: the timing
 * fields and exactly one action, {@code Exec.Command.N}, {@code HttpGet.{Path,Port,Scheme}} or
 * {@code TcpSocket.Port}. ECI has no startup probe, and ignores probes on init containers (do not send them
 * there). Start from {@link #exec}, {@link #httpGet} or {@link #tcpSocket} and add timing with {@link #withTiming}.
 *
 * @param execCommand the command of an exec probe, else empty
 * @param httpGet the request of an HTTP probe, else null
 * @param tcpSocketPort the port of a TCP probe, else null
 */
public record Probe(
    Integer initialDelaySeconds,
    Integer periodSeconds,
    Integer timeoutSeconds,
    Integer successThreshold,
    Integer failureThreshold,
    List<String> execCommand,
    HttpGet httpGet,
    Integer tcpSocketPort) {

  /** The HTTP GET action of a probe; {@code scheme} is {@code HTTP} or {@code HTTPS}. */
  public record HttpGet(String path, Integer port, String scheme) {
    public HttpGet {
      Objects.requireNonNull(port, "port");
    }
  }

  public Probe {
    execCommand = ParamMap.copy(execCommand);
    int actions = (execCommand.isEmpty() ? 0 : 1) + (httpGet == null ? 0 : 1) + (tcpSocketPort == null ? 0 : 1);
    if (actions != 1) {
      throw new IllegalArgumentException("a probe needs exactly one of exec, httpGet, tcpSocket; got " + actions);
    }
  }

  public static Probe exec(List<String> command) {
    return new Probe(null, null, null, null, null, command, null, null);
  }

  public static Probe httpGet(String path, int port, String scheme) {
    return new Probe(null, null, null, null, null, List.of(), new HttpGet(path, port, scheme), null);
  }

  public static Probe tcpSocket(int port) {
    return new Probe(null, null, null, null, null, List.of(), null, port);
  }

  /** This probe with the given timing; null leaves a value to ECI's default. */
  public Probe withTiming(
      Integer initialDelaySeconds,
      Integer periodSeconds,
      Integer timeoutSeconds,
      Integer successThreshold,
      Integer failureThreshold) {
    return new Probe(
        initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold, execCommand, httpGet,
        tcpSocketPort);
  }

  Map<String, Object> toParams() {
    ParamMap p =
        new ParamMap()
            .put("InitialDelaySeconds", initialDelaySeconds)
            .put("PeriodSeconds", periodSeconds)
            .put("TimeoutSeconds", timeoutSeconds)
            .put("SuccessThreshold", successThreshold)
            .put("FailureThreshold", failureThreshold);
    if (!execCommand.isEmpty()) {
      p.putMap("Exec", new ParamMap().putList("Command", execCommand).build());
    }
    if (httpGet != null) {
      p.putMap(
          "HttpGet",
          new ParamMap()
              .put("Path", httpGet.path())
              .put("Port", httpGet.port())
              .put("Scheme", httpGet.scheme())
              .build());
    }
    if (tcpSocketPort != null) {
      p.putMap("TcpSocket", new ParamMap().put("Port", tcpSocketPort).build());
    }
    return p.build();
  }
}
