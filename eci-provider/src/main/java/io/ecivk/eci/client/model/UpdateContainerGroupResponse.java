package io.ecivk.eci.client.model;

/** The answer to UpdateContainerGroup: the group goes to {@code Updating}, then back to its running state. */
public record UpdateContainerGroupResponse(String requestId) {}
