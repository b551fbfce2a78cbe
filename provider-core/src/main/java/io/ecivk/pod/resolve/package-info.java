/**
 * Reads from the API server everything a pod needs before a provider can run it, with the kubelet's semantics:
 * environment variables ({@code env}, {@code envFrom}, service links, {@code $(VAR)} expansion), the files of
 * configMap, secret, downwardAPI and projected volumes (bound service-account tokens through the TokenRequest
 * API), the PersistentVolumes of the pod's claims and the credentials of its imagePullSecrets. The result is an
 * {@link io.ecivk.spi.ResolvedPod}, or the dependencies the pod still waits for, or why it can never run.
 */
package io.ecivk.pod.resolve;
