package io.ecivk.eci.client.model;

import java.util.List;

/**
 * A postStart or preStop hook. The API takes hooks as flat container-level keys with a prefix
 * ({@code LifecyclePostStartHandler} or {@code LifecyclePreStopHandler}): {@code <prefix>Exec.N},
 * {@code <prefix>HttpGetHost/Path/Port/Scheme}, {@code <prefix>HttpGetHttpHeader.N.Name/Value},
 * {@code <prefix>TcpSocketHost/Port}. Exactly one action is set. ECI ignores hooks on init containers.
 */
public record LifecycleHandler(
    List<String> exec,
    String httpGetHost,
    String httpGetPath,
    Integer httpGetPort,
    String httpGetScheme,
    List<HttpHeader> httpGetHeaders,
    String tcpSocketHost,
    Integer tcpSocketPort) {

  public LifecycleHandler {
    exec = ParamMap.copy(exec);
    httpGetHeaders = ParamMap.copy(httpGetHeaders);
    int actions = (exec.isEmpty() ? 0 : 1) + (httpGetPort == null ? 0 : 1) + (tcpSocketPort == null ? 0 : 1);
    if (actions != 1) {
      throw new IllegalArgumentException(
          "a lifecycle handler needs exactly one of exec, httpGet (with a port), tcpSocket; got " + actions);
    }
  }

  public static LifecycleHandler exec(List<String> command) {
    return new LifecycleHandler(command, null, null, null, null, List.of(), null, null);
  }

  public static LifecycleHandler httpGet(
      String host, String path, int port, String scheme, List<HttpHeader> headers) {
    return new LifecycleHandler(List.of(), host, path, port, scheme, headers, null, null);
  }

  public static LifecycleHandler tcpSocket(String host, int port) {
    return new LifecycleHandler(List.of(), null, null, null, null, List.of(), host, port);
  }

  /** Adds this hook's flat keys, each starting with {@code prefix}, to a container's parameters. */
  void renderInto(ParamMap params, String prefix) {
    params
        .putList(prefix + "Exec", exec)
        .put(prefix + "HttpGetHost", httpGetHost)
        .put(prefix + "HttpGetPath", httpGetPath)
        .put(prefix + "HttpGetPort", httpGetPort)
        .put(prefix + "HttpGetScheme", httpGetScheme)
        .putList(prefix + "HttpGetHttpHeader", httpGetHeaders, HttpHeader::toParams)
        .put(prefix + "TcpSocketHost", tcpSocketHost)
        .put(prefix + "TcpSocketPort", tcpSocketPort);
  }
}
