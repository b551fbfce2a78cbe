package io.ecivk.eci.mock.model;

/**
 * A container environment variable: a literal {@code value} or, when {@code fieldPath} is set, a reference to a
 * pod field such as {@code status.podIP}. Either may be null.
 */
public record EnvVar(String key, String value, String fieldPath) {
}
