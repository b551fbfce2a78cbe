package io.ecivk.eci.mock.model;

import java.time.Instant;

/** A Kubernetes-style event on a container group. {@code type} is Normal or Warning. */
public record GroupEvent(String name, String type, String reason, String message, Instant timestamp) {
}
