/**
 * The virtual node: registration of the Node object, its status and its heartbeats.
 *
 * <p>{@link io.ecivk.node.NodeController} registers the Node (or takes over its own), keeps the Lease in
 * {@code kube-node-lease} renewed through {@link io.ecivk.node.lease.LeaseController}, posts node status at
 * least every status interval and at once on a change, and pings the provider: while the provider is
 * unreachable the node stays Ready (running pods keep serving) but carries a {@code NoSchedule} taint and the
 * condition {@code ProviderReachable=False}. It writes only the fields it owns (see {@code NodeTemplate}).
 */
package io.ecivk.node;
