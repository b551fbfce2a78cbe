package io.ecivk.eci.mock.bench;

import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.CallGate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Runtime-adjustable rate limits, latency and injected failures, applied per action after authentication. Settings
 * are keyed by action name; {@code "*"} applies to every action without its own setting, and a key ending in
 * {@code *} (e.g. {@code Describe*}) to every action with that prefix (the longest matching key wins). Each action
 * gets its own bucket, even when its limit comes from a pattern. Everything is off by default. Thread-safe.
 */
public final class Faults implements CallGate {

    public static final String THROTTLING_CODE = "Throttling.User";
    public static final String THROTTLING_MESSAGE = "Request was denied due to user flow control.";
    /** HTTP status of a throttled call: not documented (eci-openapi.md §4.2), an assumption. */
    public static final int THROTTLING_STATUS = 400;

    private final Clock clock;
    private final Map<String, RateLimit> limits = new LinkedHashMap<>();
    private final Map<String, TokenBucket> buckets = new LinkedHashMap<>();
    private final Map<String, Duration> latencies = new LinkedHashMap<>();
    private final Map<String, FailureRates> failures = new LinkedHashMap<>();
    private Random random;

    public Faults(Clock clock, long seed) {
        this.clock = clock;
        this.random = new Random(seed);
    }

    /** The published limits (eci-openapi.md §4.3) as token buckets. */
    public static Map<String, RateLimit> publishedLimits() {
        Map<String, RateLimit> published = new LinkedHashMap<>();
        published.put("CreateContainerGroup", new RateLimit(100, 20));
        published.put("DeleteContainerGroup", new RateLimit(100, 20));
        published.put("Describe*", RateLimit.perMinute(2000));
        published.put("ExecContainerCommand", RateLimit.perMinute(500));
        published.put("DescribeContainerLog", RateLimit.perMinute(500));
        published.put("UpdateContainerGroup", RateLimit.perMinute(500));
        return published;
    }

    public synchronized void rateLimit(String action, RateLimit limit) {
        limits.put(Objects.requireNonNull(action, "action"), Objects.requireNonNull(limit, "limit"));
        buckets.clear();
    }

    public synchronized void removeRateLimit(String action) {
        limits.remove(action);
        buckets.clear();
    }

    public synchronized void latency(String action, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + delay);
        }
        latencies.put(Objects.requireNonNull(action, "action"), delay);
    }

    public synchronized void failureRates(String action, FailureRates rates) {
        failures.put(Objects.requireNonNull(action, "action"), Objects.requireNonNull(rates, "rates"));
    }

    /** Restarts the random sequence deciding failures, for reproducible runs. */
    public synchronized void seed(long seed) {
        random = new Random(seed);
    }

    /** Removes every limit, latency and failure rate. */
    public synchronized void clear() {
        limits.clear();
        buckets.clear();
        latencies.clear();
        failures.clear();
    }

    public synchronized Map<String, RateLimit> limits() {
        return Map.copyOf(limits);
    }

    public synchronized Map<String, Duration> latencies() {
        return Map.copyOf(latencies);
    }

    public synchronized Map<String, FailureRates> failures() {
        return Map.copyOf(failures);
    }

    @Override
    public synchronized Verdict admit(String action) {
        Duration delay = lookup(latencies, action);
        delay = delay == null ? Duration.ZERO : delay;
        RateLimit limit = lookup(limits, action);
        if (limit != null) {
            TokenBucket bucket = buckets.computeIfAbsent(action, name -> new TokenBucket(limit, clock));
            if (!bucket.tryAcquire()) {
                return new Verdict(new ApiException(THROTTLING_STATUS, THROTTLING_CODE, THROTTLING_MESSAGE), false,
                        delay);
            }
        }
        FailureRates rates = lookup(failures, action);
        if (rates != null && !rates.equals(FailureRates.NONE)) {
            double draw = random.nextDouble();
            if (draw < rates.connectionReset()) {
                return new Verdict(null, true, delay);
            }
            draw -= rates.connectionReset();
            if (draw < rates.internalError()) {
                return new Verdict(new ApiException(500, "InternalError",
                        "The request processing has failed due to some unknown error."), false, delay);
            }
            draw -= rates.internalError();
            if (draw < rates.serviceUnavailable()) {
                return new Verdict(new ApiException(503, "ServiceUnavailable",
                        "The request has failed due to a temporary failure of the server."), false, delay);
            }
        }
        return delay.isZero() ? Verdict.PROCEED : Verdict.PROCEED.withDelay(delay);
    }

    /** Exact key, else the longest matching {@code prefix*} key, else {@code *}. */
    static <T> T lookup(Map<String, T> settings, String action) {
        T exact = settings.get(action);
        if (exact != null) {
            return exact;
        }
        String best = null;
        for (String key : settings.keySet()) {
            if (key.endsWith("*") && action.startsWith(key.substring(0, key.length() - 1))
                    && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? null : settings.get(best);
    }
}
