package io.ecivk.eci.client.model;

/** The answer to CreateContainerGroup. */
public record CreateContainerGroupResponse(String requestId, String containerGroupId) {}
