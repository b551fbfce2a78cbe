package io.ecivk.eci.mock.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.mock.api.CallGate.Verdict;
import io.ecivk.eci.mock.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @Test
    void bucketStartsFullAndRefillsWithTheClockUpToBurst() {
        TokenBucket bucket = new TokenBucket(new RateLimit(3, 2.0), clock);
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
        clock.advance(Duration.ofMillis(250));
        assertThat(bucket.available()).isEqualTo(0.5);
        assertThat(bucket.tryAcquire()).isFalse();
        clock.advance(Duration.ofMillis(250));
        assertThat(bucket.tryAcquire()).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(bucket.available()).isEqualTo(3.0);
    }

    @Test
    void perMinuteLimitRefillsEvenly() {
        RateLimit limit = RateLimit.perMinute(2000);
        assertThat(limit.burst()).isEqualTo(2000);
        assertThat(limit.refillPerSecond()).isEqualTo(2000 / 60.0);
    }

    @Test
    void publishedPresetMatchesTheDocumentedLimits() {
        Faults faults = new Faults(clock, 1);
        Faults.publishedLimits().forEach(faults::rateLimit);
        for (int i = 0; i < 100; i++) {
            assertThat(faults.admit("CreateContainerGroup").error()).isNull();
        }
        Verdict throttled = faults.admit("CreateContainerGroup");
        assertThat(throttled.error().status()).isEqualTo(400);
        assertThat(throttled.error().code()).isEqualTo("Throttling.User");
        assertThat(throttled.error().getMessage()).isEqualTo("Request was denied due to user flow control.");
        // Delete has a bucket of its own.
        assertThat(faults.admit("DeleteContainerGroup").error()).isNull();
        clock.advance(Duration.ofMillis(50)); // 20/s: one token back
        assertThat(faults.admit("CreateContainerGroup").error()).isNull();
        assertThat(faults.admit("CreateContainerGroup").error()).isNotNull();
        // Describe* is a pattern, but each Describe action gets its own 2000/min bucket.
        assertThat(Faults.lookup(faults.limits(), "DescribeContainerGroupStatus"))
                .isEqualTo(RateLimit.perMinute(2000));
        assertThat(Faults.lookup(faults.limits(), "DescribeContainerLog")).isEqualTo(RateLimit.perMinute(500));
        assertThat(Faults.lookup(faults.limits(), "UpdateContainerGroup")).isEqualTo(RateLimit.perMinute(500));
        assertThat(Faults.lookup(faults.limits(), "RestartContainerGroup")).isNull();
    }

    @Test
    void failuresFollowTheRatesReproduciblyWithASeed() {
        List<String> first = draw(42);
        List<String> second = draw(42);
        assertThat(first).isEqualTo(second);
        long resets = first.stream().filter("reset"::equals).count();
        long internal = first.stream().filter("InternalError"::equals).count();
        long unavailable = first.stream().filter("ServiceUnavailable"::equals).count();
        assertThat(resets).isBetween(70L, 130L);      // 10 % of 1000
        assertThat(internal).isBetween(150L, 250L);   // 20 %
        assertThat(unavailable).isBetween(250L, 350L); // 30 %
        assertThat(draw(43)).isNotEqualTo(first);
    }

    private List<String> draw(long seed) {
        Faults faults = new Faults(clock, seed);
        faults.failureRates("*", new FailureRates(0.2, 0.3, 0.1));
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Verdict verdict = faults.admit("DescribeContainerGroups");
            outcomes.add(verdict.reset() ? "reset" : verdict.error() == null ? "ok" : verdict.error().code());
        }
        return outcomes;
    }

    @Test
    void failureStatusesAre500And503AndSettingsArePerAction() {
        Faults faults = new Faults(clock, 7);
        faults.failureRates("CreateContainerGroup", new FailureRates(1.0, 0, 0));
        faults.failureRates("DeleteContainerGroup", new FailureRates(0, 1.0, 0));
        faults.latency("*", Duration.ofMillis(30));
        faults.latency("DescribeRegions", Duration.ZERO);
        assertThat(faults.admit("CreateContainerGroup").error().status()).isEqualTo(500);
        assertThat(faults.admit("DeleteContainerGroup").error().status()).isEqualTo(503);
        assertThat(faults.admit("DeleteContainerGroup").error().code()).isEqualTo("ServiceUnavailable");
        assertThat(faults.admit("DescribeContainerGroups")).isEqualTo(Verdict.PROCEED.withDelay(
                Duration.ofMillis(30)));
        assertThat(faults.admit("DescribeRegions")).isEqualTo(Verdict.PROCEED);
        faults.clear();
        assertThat(faults.admit("CreateContainerGroup")).isEqualTo(Verdict.PROCEED);
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> new FailureRates(0.6, 0.6, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailureRates(-0.1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimit(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
