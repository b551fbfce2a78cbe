package io.ecivk.eci.mock.api;

import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as the API layer sees it, independent of the transport.
 *
 * @param method   HTTP method as sent (it is part of the signature)
 * @param path     the request path without the query (the canonical URI of the signature)
 * @param rawQuery the query string as sent, still percent-encoded, without the leading {@code ?}; empty if none
 * @param headers  header names in lower case; for repeated headers the first value
 * @param body     the de-chunked request body
 */
public record ApiCall(String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {

    public ApiCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rawQuery, "rawQuery");
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    /** The header value, or null when the header is absent. */
    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
