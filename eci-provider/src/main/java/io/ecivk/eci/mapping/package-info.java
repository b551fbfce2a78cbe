/**
 * Pod to ECI container group: pure functions from a fabric8 {@link io.fabric8.kubernetes.api.model.Pod} and the
 * node's settings ({@link io.ecivk.eci.mapping.MappingContext}) to a {@link
 * io.ecivk.eci.client.model.CreateContainerGroupRequest}. No client, no clock, no I/O; every class is immutable or
 * has only static methods, so everything here is safe to call from any thread.
 *
 * <p>A pod that uses a field this mapping cannot honour fails with {@code INVALID_REQUEST} and a message naming
 * the field, rather than running on ECI with the field silently dropped.
 */
package io.ecivk.eci.mapping;
