package io.ecivk.eci.mock.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Builds the ACS3-HMAC-SHA256 canonical request (eci-openapi.md §2.6). The query is re-encoded from the decoded
 * parameters rather than taken from the wire, because the SDK signs RFC 3986 encoding but sends form encoding.
 */
public final class Acs3Canonicalizer {

    public static final String ALGORITHM = "ACS3-HMAC-SHA256";

    private Acs3Canonicalizer() {
    }

    /** RFC 3986 percent-encoding: {@code URLEncoder} with {@code +}→{@code %20}, {@code *}→{@code %2A}, {@code %7E}→{@code ~}. */
    public static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    /** {@code k=v} pairs sorted by raw key (Java String order), both sides percent-encoded, joined by {@code &}. */
    public static String canonicalQuery(Map<String, String> decodedQuery) {
        StringJoiner joined = new StringJoiner("&");
        new TreeMap<>(decodedQuery).forEach((key, value) -> joined.add(percentEncode(key) + "=" + percentEncode(value)));
        return joined.toString();
    }

    /**
     * @param signedHeaders lower-case header names in the order the client listed them
     * @param headers       lower-case header name to value; every signed header must be present
     */
    public static String canonicalRequest(String method, String path, Map<String, String> decodedQuery,
            List<String> signedHeaders, Map<String, String> headers, String hashedPayload) {
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders) {
            canonicalHeaders.append(name).append(':').append(headers.get(name).trim()).append('\n');
        }
        return method + '\n' + (path.isEmpty() ? "/" : path) + '\n' + canonicalQuery(decodedQuery) + '\n'
                + canonicalHeaders + '\n' + String.join(";", signedHeaders) + '\n' + hashedPayload;
    }

    public static String stringToSign(String canonicalRequest) {
        return ALGORITHM + '\n' + Hashing.sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** The hex signature a client holding {@code secret} computes for {@code canonicalRequest}. */
    public static String sign(String secret, String canonicalRequest) {
        return Hashing.hmacSha256Hex(secret, stringToSign(canonicalRequest));
    }
}
