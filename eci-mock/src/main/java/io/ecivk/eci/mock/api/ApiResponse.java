package io.ecivk.eci.mock.api;

import com.google.gson.JsonObject;

/** An answer ready to be written: HTTP status, JSON body (which carries {@code RequestId}) and the request id. */
public record ApiResponse(int status, JsonObject body, String requestId) {
}
