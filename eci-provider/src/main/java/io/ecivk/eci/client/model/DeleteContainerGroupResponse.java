package io.ecivk.eci.client.model;

/** The answer to DeleteContainerGroup: the group is Terminating, or already gone. */
public record DeleteContainerGroupResponse(String requestId) {}
