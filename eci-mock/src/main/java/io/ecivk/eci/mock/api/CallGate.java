package io.ecivk.eci.mock.api;

import java.time.Duration;

/**
 * Decides, for an authenticated call, whether it proceeds, is refused with an error, or has its connection reset,
 * and how long the answer is delayed. The test bench's rate limits and fault injection implement it.
 */
public interface CallGate {

    /** Lets every call through at once. */
    CallGate OPEN = action -> Verdict.PROCEED;

    Verdict admit(String action);

    /**
     * @param error null unless the call is refused (then its status, code and message are the answer)
     * @param reset true to close the connection without answering
     * @param delay how long to hold the answer (or the reset) back; never the clock's time, real time
     */
    record Verdict(ApiException error, boolean reset, Duration delay) {

        public static final Verdict PROCEED = new Verdict(null, false, Duration.ZERO);

        public Verdict withDelay(Duration newDelay) {
            return new Verdict(error, reset, newDelay);
        }
    }
}
