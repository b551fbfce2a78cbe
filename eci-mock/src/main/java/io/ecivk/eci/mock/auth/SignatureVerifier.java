package io.ecivk.eci.mock.auth;

import io.ecivk.eci.mock.api.ApiCall;
import io.ecivk.eci.mock.api.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates requests signed with ACS3-HMAC-SHA256 (eci-openapi.md §2.6), answering with the error codes of the
 * real gateway. Checks run in this order, so that unauthenticated traffic can never fill the nonce cache:
 * <ol>
 *   <li>the {@code Authorization} header is well formed and names ACS3-HMAC-SHA256 ({@code IncompleteSignature});</li>
 *   <li>the AccessKeyId is known ({@code InvalidAccessKeyId.NotFound}, 404);</li>
 *   <li>{@code host} and every {@code x-acs-*} header sent are signed, and the signing headers
 *       ({@code x-acs-date}, {@code x-acs-signature-nonce}, {@code x-acs-content-sha256}) are present
 *       ({@code IncompleteSignature});</li>
 *   <li>{@code x-acs-content-sha256} is the SHA-256 of the body, and the signature matches, compared in constant
 *       time ({@code SignatureDoesNotMatch});</li>
 *   <li>an STS credential's {@code x-acs-security-token} is present and equal to the issued token
 *       ({@code MissingSecurityToken} / {@code InvalidSecurityToken.MismatchWithAccessKey}); a token sent with a
 *       permanent AccessKey is also a mismatch;</li>
 *   <li>{@code x-acs-date} is within 15 minutes of the clock ({@code InvalidTimeStamp.Format} /
 *       {@code InvalidTimeStamp.Expired});</li>
 *   <li>the nonce was not used within that window ({@code SignatureNonceUsed}).</li>
 * </ol>
 * Thread-safe.
 */
public final class SignatureVerifier {

    /** How far {@code x-acs-date} may be from the server clock; nonces are remembered for the same span. */
    public static final Duration TIMESTAMP_WINDOW = Duration.ofMinutes(15);

    private static final DateTimeFormatter ACS_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    private static final String INCOMPLETE = "The request signature does not conform to Aliyun standards: ";

    private final Map<String, Credential> credentials;
    private final Clock clock;
    private final NonceCache nonces = new NonceCache(TIMESTAMP_WINDOW);

    public SignatureVerifier(List<Credential> credentials, Clock clock) {
        Map<String, Credential> byId = new HashMap<>();
        for (Credential credential : credentials) {
            if (byId.putIfAbsent(credential.accessKeyId(), credential) != null) {
                throw new IllegalArgumentException("AccessKeyId configured twice: " + credential.accessKeyId());
            }
        }
        this.credentials = Map.copyOf(byId);
        this.clock = clock;
    }

    /**
     * @param decodedQuery the call's query parameters, already form-decoded
     * @return the credential that signed the call
     * @throws ApiException when the call is not authentic
     */
    public Credential verify(ApiCall call, Map<String, String> decodedQuery) {
        Authorization authorization = Authorization.parse(call.header("authorization"));
        Credential credential = credentials.get(authorization.accessKeyId());
        if (credential == null) {
            throw new ApiException(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        checkSignedHeaders(call, authorization.signedHeaders());

        String payloadHash = Hashing.sha256Hex(call.body());
        if (!payloadHash.equals(call.header("x-acs-content-sha256"))) {
            throw new ApiException(400, "SignatureDoesNotMatch",
                    "The x-acs-content-sha256 header does not match the SHA-256 of the request body.");
        }
        String canonicalRequest = Acs3Canonicalizer.canonicalRequest(call.method(), call.path(), decodedQuery,
                authorization.signedHeaders(), call.headers(), payloadHash);
        String expected = Acs3Canonicalizer.sign(credential.accessKeySecret(), canonicalRequest);
        if (!Hashing.constantTimeEquals(expected, authorization.signature().toLowerCase(Locale.ROOT))) {
            throw new ApiException(400, "SignatureDoesNotMatch",
                    "Specified signature is not matched with our calculation.");
        }

        checkSecurityToken(credential, call.header("x-acs-security-token"));
        Instant now = clock.instant();
        checkTimestamp(call.header("x-acs-date"), now);
        if (!nonces.register(credential.accessKeyId() + '\n' + call.header("x-acs-signature-nonce"), now)) {
            throw new ApiException(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
        }
        return credential;
    }

    /** Nonces currently remembered; exposed so tests can check the cache stays bounded. */
    int rememberedNonces() {
        return nonces.size();
    }

    private static void checkSignedHeaders(ApiCall call, List<String> signedHeaders) {
        for (String name : signedHeaders) {
            if (call.header(name) == null) {
                throw new ApiException(400, "IncompleteSignature", INCOMPLETE + "signed header " + name + " is missing.");
            }
        }
        for (String name : List.of("x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256")) {
            if (call.header(name) == null || call.header(name).isBlank()) {
                throw new ApiException(400, "IncompleteSignature", INCOMPLETE + "header " + name + " is missing.");
            }
        }
        List<String> mustBeSigned = new ArrayList<>();
        mustBeSigned.add("host");
        call.headers().keySet().stream().filter(name -> name.startsWith("x-acs-")).forEach(mustBeSigned::add);
        for (String name : mustBeSigned) {
            if (call.header(name) != null && !signedHeaders.contains(name)) {
                throw new ApiException(400, "IncompleteSignature", INCOMPLETE + "header " + name + " is not signed.");
            }
        }
    }

    private static void checkSecurityToken(Credential credential, String token) {
        if (!credential.isSts()) {
            if (token != null) {
                throw new ApiException(400, "InvalidSecurityToken.MismatchWithAccessKey",
                        "Specified SecurityToken mismatch with the AccessKey.");
            }
            return;
        }
        if (token == null || token.isEmpty()) {
            throw new ApiException(400, "MissingSecurityToken", "SecurityToken is mandatory for this action.");
        }
        if (!Hashing.constantTimeEquals(credential.securityToken(), token)) {
            throw new ApiException(400, "InvalidSecurityToken.MismatchWithAccessKey",
                    "Specified SecurityToken mismatch with the AccessKey.");
        }
    }

    private static void checkTimestamp(String date, Instant now) {
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(date.trim(), ACS_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "InvalidTimeStamp.Format",
                    "Specified time stamp or date value is not well formatted.");
        }
        if (Duration.between(signedAt, now).abs().compareTo(TIMESTAMP_WINDOW) > 0) {
            throw new ApiException(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
        }
    }

    /** The parsed {@code Authorization} header: {@code ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..}. */
    private record Authorization(String accessKeyId, List<String> signedHeaders, String signature) {

        static Authorization parse(String header) {
            if (header == null || header.isBlank()) {
                throw new ApiException(400, "IncompleteSignature", INCOMPLETE + "the Authorization header is missing.");
            }
            String trimmed = header.trim();
            int space = trimmed.indexOf(' ');
            if (space < 0 || !trimmed.substring(0, space).equals(Acs3Canonicalizer.ALGORITHM)) {
                throw new ApiException(400, "IncompleteSignature",
                        INCOMPLETE + "only " + Acs3Canonicalizer.ALGORITHM + " authorization is supported.");
            }
            Map<String, String> fields = new HashMap<>();
            for (String field : trimmed.substring(space + 1).split(",")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    fields.put(field.substring(0, eq).trim(), field.substring(eq + 1).trim());
                }
            }
            String accessKeyId = nonEmpty(fields.get("Credential"), "Credential");
            String signedHeaders = nonEmpty(fields.get("SignedHeaders"), "SignedHeaders");
            String signature = nonEmpty(fields.get("Signature"), "Signature");
            List<String> names = Arrays.stream(signedHeaders.split(";")).map(String::trim).toList();
            if (names.stream().anyMatch(name -> name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT)))) {
                throw new ApiException(400, "IncompleteSignature",
                        INCOMPLETE + "SignedHeaders must be lower-case header names separated by ';'.");
            }
            return new Authorization(accessKeyId, names, signature);
        }

        private static String nonEmpty(String value, String field) {
            return Optional.ofNullable(value).filter(v -> !v.isEmpty()).orElseThrow(() -> new ApiException(400,
                    "IncompleteSignature", INCOMPLETE + "the Authorization header has no " + field + "."));
        }
    }
}
