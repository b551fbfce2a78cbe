package io.ecivk.eci.mock.sizing;

/** The requested vCPU/memory cannot be served by any spec under ECI's rounding rules. */
public final class NoMatchingSpecException extends Exception {

    private static final long serialVersionUID = 1L;

    NoMatchingSpecException(String message) {
        super(message);
    }
}
