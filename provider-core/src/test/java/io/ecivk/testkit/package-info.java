/**
 * The shared test kit of provider-core, published as its test-jar: a real Kubernetes control plane for
 * integration tests ({@link io.ecivk.testkit.KubeControlPlane}, injected by
 * {@link io.ecivk.testkit.KubeControlPlaneExtension}), fakes of the provider SPI and a manual clock. It depends
 * only on JUnit 5, fabric8 and SLF4J, which every consumer already has.
 */
package io.ecivk.testkit;
