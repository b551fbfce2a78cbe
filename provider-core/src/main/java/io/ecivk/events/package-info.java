/** Kubernetes Events the agent records on the objects it manages. */
package io.ecivk.events;
