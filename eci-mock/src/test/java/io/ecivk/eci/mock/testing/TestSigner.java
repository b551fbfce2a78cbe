package io.ecivk.eci.mock.testing;

import io.ecivk.eci.mock.api.ApiCall;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs calls the way tea-openapi does (ACS3-HMAC-SHA256, eci-openapi.md §2.6), written independently of the
 * production verifier so that the two check each other.
 */
public final class TestSigner {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final String accessKeyId;
    private final String secret;
    private final String securityToken;

    public TestSigner(String accessKeyId, String secret, String securityToken) {
        this.accessKeyId = accessKeyId;
        this.secret = secret;
        this.securityToken = securityToken;
    }

    public TestSigner(String accessKeyId, String secret) {
        this(accessKeyId, secret, null);
    }

    /** A signed POST / for {@code action} with these parameters, dated {@code at}, with a fresh nonce. */
    public ApiCall call(String action, Map<String, String> params, Instant at) {
        Map<String, String> headers = new TreeMap<>();
        headers.put("host", "127.0.0.1:18080");
        headers.put("x-acs-action", action);
        headers.put("x-acs-version", "2018-08-08");
        headers.put("x-acs-date", DATE.format(at));
        headers.put("x-acs-signature-nonce", UUID.randomUUID().toString().replace("-", ""));
        headers.put("x-acs-content-sha256", EMPTY_SHA256);
        if (securityToken != null) {
            headers.put("x-acs-security-token", securityToken);
        }
        return sign(params, headers);
    }

    /** Signs with exactly these (lower-case) headers, all of which are signed. */
    public ApiCall sign(Map<String, String> params, Map<String, String> headers) {
        Map<String, String> sorted = new TreeMap<>(headers);
        StringBuilder canonicalHeaders = new StringBuilder();
        sorted.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value.trim()).append('\n'));
        String signedHeaders = String.join(";", sorted.keySet());
        StringJoiner canonicalQuery = new StringJoiner("&");
        StringJoiner wireQuery = new StringJoiner("&");
        new TreeMap<>(params).forEach((key, value) -> {
            canonicalQuery.add(rfc3986(key) + "=" + rfc3986(value));
            wireQuery.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        String canonicalRequest = "POST\n/\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + signedHeaders
                + "\n" + EMPTY_SHA256;
        String signature = hmac(secret, "ACS3-HMAC-SHA256\n" + sha256(canonicalRequest));
        Map<String, String> all = new TreeMap<>(sorted);
        all.put("authorization", "ACS3-HMAC-SHA256 Credential=" + accessKeyId + ",SignedHeaders=" + signedHeaders
                + ",Signature=" + signature);
        return new ApiCall("POST", "/", wireQuery.toString(), all, new byte[0]);
    }

    private static String rfc3986(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static String sha256(String data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
