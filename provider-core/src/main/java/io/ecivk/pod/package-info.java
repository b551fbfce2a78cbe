/**
 * The pod controller: turns the pods bound to the virtual node into provider workloads and provider status
 * back into pod status. Level-triggered and keyed by {@link io.ecivk.spi.PodKey}: informer events and provider
 * notices only enqueue a key; a worker then reads the latest pod and provider state and acts.
 */
package io.ecivk.pod;
