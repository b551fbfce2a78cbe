/**
 * The burst binder: binds pods that ask for ECI (ACK's {@code burst-resource} annotation, {@code eci_only}, the
 * {@code alibabacloud.com/eci} label) to the virtual node once the default scheduler found no room for them,
 * after checking they fit it. Each decision is an Event on the pod.
 */
package io.ecivk.agent.burst;
