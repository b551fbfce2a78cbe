package io.ecivk.eci.mock.sizing;

/**
 * The spec chosen for a request. {@code adjusted} is true when the request was not itself a table entry and was
 * rounded up, which ECI reports with a Normal {@code AutoInstanceTypeMatch} event.
 */
public record SpecMatch(Spec spec, boolean adjusted) {
}
