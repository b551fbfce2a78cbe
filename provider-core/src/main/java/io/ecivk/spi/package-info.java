/**
 * The provider SPI: the small interfaces a provider implements, each with a written contract, and the types
 * they exchange (fabric8 model objects and our own records; no clients or callbacks). Error categories live in
 * {@link io.ecivk.spi.errors}.
 */
package io.ecivk.spi;
