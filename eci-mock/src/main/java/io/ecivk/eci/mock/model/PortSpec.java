package io.ecivk.eci.mock.model;

/** A container port; protocol is TCP or UDP. */
public record PortSpec(int port, String protocol) {
}
