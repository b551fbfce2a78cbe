/**
 * The demo's in-process Kubernetes API server: fabric8's CRUD mock server taught the API-server semantics a
 * kubelet relies on (field selectors on spec.nodeName, pods/binding, graceful deletion).
 */
package io.ecivk.agent.demo.kube;
