package io.ecivk.eci.mock.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.mock.api.ApiCall;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.FormQuery;
import io.ecivk.eci.mock.testing.MutableClock;
import io.ecivk.eci.mock.testing.TestSigner;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    /*
     * A known-answer vector, computed outside Java (Python hashlib/hmac) from these literal strings. The wire query
     * is form-encoded as the SDK sends it; the canonical query is the RFC 3986 re-encoding the signature covers.
     */
    private static final String WIRE_QUERY = "Tag.1.Key=a%2Bb&ContainerGroupName=web+1*%7E&RegionId=cn-hangzhou";
    private static final String CANONICAL_REQUEST = "POST\n"
            + "/\n"
            + "ContainerGroupName=web%201%2A~&RegionId=cn-hangzhou&Tag.1.Key=a%2Bb\n"
            + "host:127.0.0.1:18080\n"
            + "x-acs-action:DescribeContainerGroups\n"
            + "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            + "x-acs-date:2026-11-22T23:56:27Z\n"
            + "x-acs-signature-nonce:c3e90ef3029f6427b76b20558df661c6\n"
            + "x-acs-version:2018-08-08\n"
            + "\n"
            + "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String CANONICAL_REQUEST_SHA256 =
            "29cbb5ca69d688505fb17af20c222e22d7c1e2977371f0e9a2d77204d511cafe";
    private static final String SIGNATURE = "aa5201871a706fa13abf1fef78bc23aa2d173ee44048249c97f21bd790c5266a";
    private static final Instant SIGNED_AT = Instant.parse("2026-11-22T23:56:27Z");

    private final MutableClock clock = new MutableClock(SIGNED_AT.plusSeconds(3));
    private final SignatureVerifier verifier = new SignatureVerifier(List.of(
            new Credential("LTAI5tFAKE", "FAKEsecret", null),
            new Credential("STS.FAKE", "stssecret", "FAKE-STS-TOKEN")), clock);

    private static Map<String, String> vectorHeaders() {
        Map<String, String> headers = new HashMap<>();
        headers.put("host", "127.0.0.1:18080");
        headers.put("x-acs-action", "DescribeContainerGroups");
        headers.put("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        headers.put("x-acs-date", "2026-11-22T23:56:27Z");
        headers.put("x-acs-signature-nonce", "c3e90ef3029f6427b76b20558df661c6");
        headers.put("x-acs-version", "2018-08-08");
        headers.put("user-agent", "AlibabaCloud (Linux; amd64) Java/17 tea-util/0.2.27 TeaDSL/1");
        headers.put("authorization", "ACS3-HMAC-SHA256 Credential=LTAI5tFAKE,SignedHeaders=host;x-acs-action;"
                + "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=" + SIGNATURE);
        return headers;
    }

    private static ApiCall vectorCall(String query, Map<String, String> headers) {
        return new ApiCall("POST", "/", query, headers, new byte[0]);
    }

    private Credential verify(ApiCall call) {
        return verifier.verify(call, FormQuery.decode(call.rawQuery()));
    }

    private static void assertRejected(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.status()).isEqualTo(status);
        });
    }

    @Test
    void canonicalRequestMatchesTheHandComputedVector() {
        String canonical = Acs3Canonicalizer.canonicalRequest("POST", "/", FormQuery.decode(WIRE_QUERY),
                List.of("host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce",
                        "x-acs-version"),
                vectorHeaders(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        assertThat(canonical).isEqualTo(CANONICAL_REQUEST);
        assertThat(Acs3Canonicalizer.stringToSign(canonical)).isEqualTo("ACS3-HMAC-SHA256\n" + CANONICAL_REQUEST_SHA256);
        assertThat(Acs3Canonicalizer.sign("FAKEsecret", canonical)).isEqualTo(SIGNATURE);
    }

    @Test
    void acceptsTheKnownGoodRequest() {
        assertThat(verify(vectorCall(WIRE_QUERY, vectorHeaders())).accessKeyId()).isEqualTo("LTAI5tFAKE");
    }

    @Test
    void signatureHexIsComparedCaseInsensitively() {
        Map<String, String> headers = vectorHeaders();
        headers.put("authorization", headers.get("authorization").replace(SIGNATURE, SIGNATURE.toUpperCase()));
        assertThat(verify(vectorCall(WIRE_QUERY, headers)).accessKeyId()).isEqualTo("LTAI5tFAKE");
    }

    @Test
    void rejectsATamperedQuery() {
        String tampered = WIRE_QUERY.replace("web+1", "web+2");
        assertRejected(() -> verify(vectorCall(tampered, vectorHeaders())), 400, "SignatureDoesNotMatch");
    }

    @Test
    void rejectsATamperedSignedHeader() {
        Map<String, String> headers = vectorHeaders();
        headers.put("x-acs-action", "DeleteContainerGroup");
        assertRejected(() -> verify(vectorCall(WIRE_QUERY, headers)), 400, "SignatureDoesNotMatch");
    }

    @Test
    void rejectsABodyThatDoesNotMatchTheContentHash() {
        ApiCall call = new ApiCall("POST", "/", WIRE_QUERY, vectorHeaders(), new byte[] {'x'});
        assertRejected(() -> verify(call), 400, "SignatureDoesNotMatch");
    }

    @Test
    void rejectsAWrongSecret() {
        ApiCall call = new TestSigner("LTAI5tFAKE", "wrong").call("DescribeRegions", Map.of(), clock.instant());
        assertRejected(() -> verify(call), 400, "SignatureDoesNotMatch");
    }

    @Test
    void missingOrGarbledAuthorizationIsAnIncompleteSignature() {
        Map<String, String> missing = vectorHeaders();
        missing.remove("authorization");
        assertRejected(() -> verify(vectorCall(WIRE_QUERY, missing)), 400, "IncompleteSignature");

        for (String garbled : List.of("garbage", "ACS3-HMAC-SHA256 Credential=LTAI5tFAKE",
                "HMAC-SHA1 Credential=LTAI5tFAKE,SignedHeaders=host,Signature=" + SIGNATURE,
                "ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=" + SIGNATURE)) {
            Map<String, String> headers = vectorHeaders();
            headers.put("authorization", garbled);
            assertRejected(() -> verify(vectorCall(WIRE_QUERY, headers)), 400, "IncompleteSignature");
        }
    }

    @Test
    void anUnsignedAcsHeaderIsAnIncompleteSignature() {
        Map<String, String> headers = vectorHeaders();
        headers.put("x-acs-extra", "smuggled");
        assertRejected(() -> verify(vectorCall(WIRE_QUERY, headers)), 400, "IncompleteSignature");
    }

    @Test
    void unknownAccessKeyIsNotFound() {
        ApiCall call = new TestSigner("LTAI5tUNKNOWN", "FAKEsecret").call("DescribeRegions", Map.of(),
                clock.instant());
        assertRejected(() -> verify(call), 404, "InvalidAccessKeyId.NotFound");
    }

    @Test
    void dateMoreThanFifteenMinutesAwayHasExpired() {
        clock.set(SIGNED_AT.plus(Duration.ofMinutes(15)));
        assertThat(verify(vectorCall(WIRE_QUERY, vectorHeaders()))).isNotNull();

        clock.set(SIGNED_AT.plus(Duration.ofMinutes(15)).plusSeconds(1));
        assertRejected(() -> verify(new TestSigner("LTAI5tFAKE", "FAKEsecret")
                .call("DescribeRegions", Map.of(), SIGNED_AT)), 400, "InvalidTimeStamp.Expired");
        assertRejected(() -> verify(new TestSigner("LTAI5tFAKE", "FAKEsecret")
                .call("DescribeRegions", Map.of(), clock.instant().plus(Duration.ofMinutes(16)))),
                400, "InvalidTimeStamp.Expired");
    }

    @Test
    void aReusedNonceIsRejectedWithinTheWindowAndForgottenAfterIt() {
        ApiCall call = vectorCall(WIRE_QUERY, vectorHeaders());
        verify(call);
        assertRejected(() -> verify(call), 400, "SignatureNonceUsed");

        // Once the window has passed, the nonce is forgotten: a fresh request may carry it again.
        clock.advance(Duration.ofMinutes(16));
        Map<String, String> headers = new HashMap<>();
        headers.put("host", "127.0.0.1:18080");
        headers.put("x-acs-date", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
                .withZone(ZoneOffset.UTC).format(clock.instant()));
        headers.put("x-acs-signature-nonce", "c3e90ef3029f6427b76b20558df661c6");
        headers.put("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(verify(new TestSigner("LTAI5tFAKE", "FAKEsecret").sign(Map.of(), headers))).isNotNull();
    }

    @Test
    void theNonceCacheStaysBounded() {
        for (int i = 0; i < 50; i++) {
            verify(new TestSigner("LTAI5tFAKE", "FAKEsecret").call("DescribeRegions", Map.of(), clock.instant()));
            clock.advance(Duration.ofMinutes(1));
        }
        // One request per minute, remembered for 15 minutes (plus the boundary minute).
        assertThat(verifier.rememberedNonces()).isLessThanOrEqualTo(16);
    }

    @Test
    void aReplayedNonceWithAFailingSignatureIsNotRemembered() {
        Map<String, String> bad = vectorHeaders();
        bad.put("authorization", bad.get("authorization").replace(SIGNATURE, SIGNATURE.replace('a', 'b')));
        assertRejected(() -> verify(vectorCall(WIRE_QUERY, bad)), 400, "SignatureDoesNotMatch");

        assertThat(verify(vectorCall(WIRE_QUERY, vectorHeaders()))).isNotNull();
    }

    @Test
    void stsKeysNeedTheirExactSignedToken() {
        assertThat(verify(new TestSigner("STS.FAKE", "stssecret", "FAKE-STS-TOKEN")
                .call("DescribeRegions", Map.of(), clock.instant())).isSts()).isTrue();

        assertRejected(() -> verify(new TestSigner("STS.FAKE", "stssecret")
                .call("DescribeRegions", Map.of(), clock.instant())), 400, "MissingSecurityToken");
        assertRejected(() -> verify(new TestSigner("STS.FAKE", "stssecret", "OTHER-TOKEN")
                .call("DescribeRegions", Map.of(), clock.instant())), 400,
                "InvalidSecurityToken.MismatchWithAccessKey");
        assertRejected(() -> verify(new TestSigner("LTAI5tFAKE", "FAKEsecret", "FAKE-STS-TOKEN")
                .call("DescribeRegions", Map.of(), clock.instant())), 400,
                "InvalidSecurityToken.MismatchWithAccessKey");
    }

    @Test
    void anUnsignedSecurityTokenIsAnIncompleteSignature() {
        ApiCall signed = new TestSigner("STS.FAKE", "stssecret").call("DescribeRegions", Map.of(), clock.instant());
        Map<String, String> headers = new HashMap<>(signed.headers());
        headers.put("x-acs-security-token", "FAKE-STS-TOKEN");
        assertRejected(() -> verify(new ApiCall("POST", "/", signed.rawQuery(), headers, new byte[0])), 400,
                "IncompleteSignature");
    }

    @Test
    void credentialsNeverShowTheirSecrets() {
        assertThat(new Credential("STS.FAKE", "stssecret", "FAKE-STS-TOKEN").toString())
                .doesNotContain("stssecret").doesNotContain("FAKE-STS-TOKEN");
    }
}
