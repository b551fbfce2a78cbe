/**
 * ECI container group status to Kubernetes pod status: pure functions from what DescribeContainerGroupStatus
 * returned (and the pod's spec) to a fabric8 {@link io.fabric8.kubernetes.api.model.PodStatus}. No client, no
 * clock (a caller that needs "now" passes it in), no I/O; safe from any thread.
 */
package io.ecivk.eci.status;
