package io.ecivk.eci.mock.bench;

/** A token-bucket limit: up to {@code burst} calls at once, {@code refillPerSecond} more per second. */
public record RateLimit(int burst, double refillPerSecond) {

    public RateLimit {
        if (burst < 0) {
            throw new IllegalArgumentException("burst must not be negative: " + burst);
        }
        if (!(refillPerSecond >= 0) || Double.isInfinite(refillPerSecond)) {
            throw new IllegalArgumentException("refillPerSecond must be a finite number >= 0: " + refillPerSecond);
        }
    }

    /** A per-minute limit as a bucket: burst {@code callsPerMinute}, refilled evenly over the minute. */
    public static RateLimit perMinute(int callsPerMinute) {
        return new RateLimit(callsPerMinute, callsPerMinute / 60.0);
    }
}
