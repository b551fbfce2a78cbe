package io.ecivk.eci.mock.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes a URL query the way the SDK encoded it ({@code java.net.URLEncoder}, form style): {@code +} is a space,
 * {@code %XX} are UTF-8 bytes. A key without {@code =} has the empty value.
 */
public final class FormQuery {

    private FormQuery() {
    }

    /**
     * @return the decoded parameters, sorted by key
     * @throws ApiException InvalidParameter for malformed percent-escapes or a parameter given twice (the SDK never
     *                      repeats a key, and a map cannot represent both values faithfully)
     */
    public static Map<String, String> decode(String rawQuery) {
        Map<String, String> params = new TreeMap<>();
        if (rawQuery.isEmpty()) {
            return Collections.unmodifiableMap(params);
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decodeComponent(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeComponent(pair.substring(eq + 1));
            if (params.putIfAbsent(key, value) != null) {
                throw ApiException.invalidParameter(key, "the parameter is given more than once.");
            }
        }
        return Collections.unmodifiableMap(params);
    }

    private static String decodeComponent(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "InvalidParameter", "The request query string is not correctly URL-encoded.");
        }
    }
}
