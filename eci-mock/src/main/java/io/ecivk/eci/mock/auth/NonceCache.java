package io.ecivk.eci.mock.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers signature nonces for one replay window. A nonce only needs remembering as long as a request carrying it
 * could still pass the timestamp check, so entries older than the window are dropped; that bounds the memory to the
 * request rate times the window. Thread-safe.
 */
final class NonceCache {

    private final Duration window;
    /** Insertion order is (nearly) time order, so expiry scans from the oldest end. */
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

    NonceCache(Duration window) {
        this.window = window;
    }

    /**
     * Records a nonce at {@code now}.
     *
     * @return false when it was already recorded within the window (a replay)
     */
    synchronized boolean register(String nonce, Instant now) {
        expire(now);
        Instant previous = seen.remove(nonce);
        if (previous != null && !previous.isBefore(now.minus(window))) {
            seen.put(nonce, previous);
            return false;
        }
        seen.put(nonce, now);
        return true;
    }

    synchronized int size() {
        return seen.size();
    }

    private void expire(Instant now) {
        Instant cutoff = now.minus(window);
        Iterator<Map.Entry<String, Instant>> oldest = seen.entrySet().iterator();
        while (oldest.hasNext() && oldest.next().getValue().isBefore(cutoff)) {
            oldest.remove();
        }
    }
}
