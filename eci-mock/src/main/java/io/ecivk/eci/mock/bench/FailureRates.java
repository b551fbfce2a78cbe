package io.ecivk.eci.mock.bench;

/**
 * Probabilities (each 0.0..1.0, summing to at most 1.0) that a call is answered {@code 500 InternalError},
 * {@code 503 ServiceUnavailable}, or has its connection reset without an answer.
 */
public record FailureRates(double internalError, double serviceUnavailable, double connectionReset) {

    public static final FailureRates NONE = new FailureRates(0, 0, 0);

    public FailureRates {
        for (double rate : new double[] {internalError, serviceUnavailable, connectionReset}) {
            if (!(rate >= 0.0 && rate <= 1.0)) {
                throw new IllegalArgumentException("failure rates must be within 0.0..1.0: " + rate);
            }
        }
        if (internalError + serviceUnavailable + connectionReset > 1.0 + 1e-9) {
            throw new IllegalArgumentException("failure rates must not add up to more than 1.0");
        }
    }
}
