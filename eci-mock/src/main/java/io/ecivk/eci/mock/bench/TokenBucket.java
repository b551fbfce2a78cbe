package io.ecivk.eci.mock.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket judged by the injected clock: it starts full with {@code burst} tokens and regains
 * {@code refillPerSecond} tokens per second of the clock, never more than {@code burst}. Thread-safe.
 */
public final class TokenBucket {

    private final RateLimit limit;
    private final Clock clock;
    private double tokens;
    private Instant last;

    public TokenBucket(RateLimit limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
        this.tokens = limit.burst();
        this.last = clock.instant();
    }

    /** Takes one token; false (and nothing taken) when the bucket is empty. */
    public synchronized boolean tryAcquire() {
        refill();
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /** Tokens available now (fractional while refilling). */
    public synchronized double available() {
        refill();
        return tokens;
    }

    public RateLimit limit() {
        return limit;
    }

    private void refill() {
        Instant now = clock.instant();
        if (now.isAfter(last)) {
            double seconds = Duration.between(last, now).toNanos() / 1e9;
            tokens = Math.min(limit.burst(), tokens + seconds * limit.refillPerSecond());
        }
        // A clock moved backwards is ignored rather than draining the bucket.
        if (now.isAfter(last)) {
            last = now;
        }
    }
}
