/**
 * ECI's own events (stock-outs, spot reclamation notices, instance type rounding, OOM kills...) relayed to the pod
 * controller as {@link io.ecivk.spi.ObservedEvent}s: polled in batches by the node's tags, incrementally, and
 * de-duplicated so that each occurrence reaches Kubernetes once.
 */
package io.ecivk.eci.events;
