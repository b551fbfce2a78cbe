package io.ecivk.eci.mock.model;

import java.util.List;

/**
 * A readiness or liveness probe. Exactly one of {@code execCommands} (non-empty), {@code httpGet} and
 * {@code tcpSocket} is set. Timing fields are null when not sent (the service then applies Kubernetes defaults).
 */
public record ProbeSpec(Integer initialDelaySeconds, Integer periodSeconds, Integer timeoutSeconds,
        Integer successThreshold, Integer failureThreshold, List<String> execCommands, HttpGetAction httpGet,
        TcpSocketAction tcpSocket) {

    public ProbeSpec {
        execCommands = List.copyOf(execCommands);
    }
}
