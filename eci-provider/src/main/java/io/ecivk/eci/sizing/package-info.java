/**
 * How big an ECI instance a pod gets. ECI sells a fixed table of vCPU/memory pairs ({@link
 * io.ecivk.eci.sizing.EciSpecTable}); {@link io.ecivk.eci.sizing.PodSizer} adds up what a pod's containers ask for
 * and picks the smallest pair that holds it, the way ECI itself rounds an odd request up. Everything here is a
 * pure function of its arguments: no client, no clock, no I/O.
 */
package io.ecivk.eci.sizing;
