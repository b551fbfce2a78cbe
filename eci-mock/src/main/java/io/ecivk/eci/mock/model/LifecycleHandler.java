package io.ecivk.eci.mock.model;

import java.util.List;

/** A PostStart or PreStop hook: exactly one of a non-empty {@code exec}, {@code httpGet}, {@code tcpSocket}. */
public record LifecycleHandler(List<String> exec, HttpGetAction httpGet, TcpSocketAction tcpSocket) {

    public LifecycleHandler {
        exec = List.copyOf(exec);
    }
}
