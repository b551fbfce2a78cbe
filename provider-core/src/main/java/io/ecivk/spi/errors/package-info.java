/**
 * The error categories every provider reports in. A provider classifies its backend's errors once, at its
 * boundary, into a {@link io.ecivk.spi.errors.ProviderException}; the framework decides from the category alone
 * whether and when to retry, so no other layer needs to know a backend's error codes.
 */
package io.ecivk.spi.errors;
