package io.ecivk.eci.mock.model;

/** A name/value pair: an HTTP header, a DNS option or a sysctl. {@code value} may be null. */
public record NameValue(String name, String value) {
}
