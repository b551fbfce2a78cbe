/**
 * The pod mutating admission webhook: routes {@code eci_only} and {@code alibabacloud.com/eci=true} pods to the
 * virtual node (toleration + node selector) and applies the {@code kube-system/eci-profile} selectors, so teams
 * send workloads to ECI without editing them. Everything it needs at admission time is in memory (informers), so
 * requests are answered on the Netty event loop without blocking.
 */
package io.ecivk.agent.webhook;
