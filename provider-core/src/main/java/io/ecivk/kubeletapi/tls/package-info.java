/**
 * The kubelet API's TLS material: the serving certificate (PEM files, self-signed at start, or issued through a
 * {@code kubernetes.io/kubelet-serving} CertificateSigningRequest) and the client CA bundle.
 */
package io.ecivk.kubeletapi.tls;
