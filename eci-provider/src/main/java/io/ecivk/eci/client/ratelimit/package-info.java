/**
 * Client-side rate limits per ECI action, so that one agent never runs into ECI's own flow control: a token
 * bucket per action ({@link io.ecivk.eci.client.ratelimit.TokenBucket}) shared by every caller of one
 * {@link io.ecivk.eci.client.ratelimit.RateLimitedEciClient}, which fails fast with a {@code THROTTLED}
 * {@link io.ecivk.spi.errors.ProviderException} carrying the time until a token is available, instead of
 * blocking a worker.
 */
package io.ecivk.eci.client.ratelimit;
