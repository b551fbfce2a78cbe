package io.ecivk.eci.mock.api;

/**
 * A request the simulated service refuses. It becomes an error answer with this HTTP status and the Alibaba error
 * {@code Code}/{@code Message}; the SDK surfaces it as a {@code TeaException} with the same code.
 * Messages are shown to callers, so they must never contain credentials or signatures.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException missingParameter(String name) {
        return new ApiException(400, "MissingParameter",
                "The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied.");
    }

    public static ApiException invalidParameter(String name, String reason) {
        return new ApiException(400, "InvalidParameter",
                "The specified parameter \"" + name + "\" is not valid: " + reason);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
