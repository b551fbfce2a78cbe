package io.ecivk.eci.mock.model;

/** A TCP socket handler of a probe or lifecycle hook; {@code host} (hooks only) may be null. */
public record TcpSocketAction(String host, int port) {
}
