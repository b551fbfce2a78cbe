/**
 * Authentication and authorization of kubelet API requests, mapped as the kubelet maps them: x509 client
 * certificates, bearer tokens through TokenReview, optional anonymous access; SubjectAccessReview on
 * {@code nodes/<subresource>} named after this node; decisions cached on an injected clock.
 */
package io.ecivk.kubeletapi.auth;
