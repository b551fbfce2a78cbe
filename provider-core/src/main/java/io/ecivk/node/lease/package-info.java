/**
 * Node heartbeats through Leases ({@code coordination.k8s.io/v1} in {@code kube-node-lease}): the renew loop
 * with its bounded backoff, and the pure functions that build and judge Leases.
 */
package io.ecivk.node.lease;
