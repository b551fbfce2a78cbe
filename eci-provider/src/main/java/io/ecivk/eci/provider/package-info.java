/**
 * The ECI provider: the SPI implemented over the typed ECI client, with the pure mapping of
 * {@link io.ecivk.eci.mapping}, {@link io.ecivk.eci.sizing} and {@link io.ecivk.eci.status}, and a status cache
 * fed by batched polling so that the pod controller never calls ECI to read a status.
 */
package io.ecivk.eci.provider;
