package io.ecivk.eci.mock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.ecivk.eci.mock.auth.Credential;
import io.ecivk.eci.mock.auth.SignatureVerifier;
import io.ecivk.eci.mock.testing.MutableClock;
import io.ecivk.eci.mock.testing.TestSigner;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiDispatcherTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final TestSigner signer = new TestSigner("LTAI5tFAKE", "FAKEsecret");

    /** Echoes the parameters it received, to observe what reaches an action. */
    private final ApiAction echo = new ApiAction() {
        @Override
        public String name() {
            return "Echo";
        }

        @Override
        public JsonObject handle(ApiRequest request) {
            JsonObject json = new JsonObject();
            request.parameters().forEach(json::addProperty);
            return json;
        }
    };
    private final ApiAction failing = new ApiAction() {
        @Override
        public String name() {
            return "Broken";
        }

        @Override
        public JsonObject handle(ApiRequest request) {
            throw new IllegalStateException("bug with secret details");
        }
    };
    private final ApiDispatcher dispatcher = new ApiDispatcher("cn-hangzhou", "eci.cn-hangzhou.aliyuncs.com",
            new SignatureVerifier(List.of(new Credential("LTAI5tFAKE", "FAKEsecret", null)), clock),
            List.of(echo, failing));

    private ApiResponse call(String action, Map<String, String> params) {
        return dispatcher.dispatch(signer.call(action, params, clock.instant()));
    }

    @Test
    void successAnswersCarryARequestIdAndTheActionFields() {
        ApiResponse response = call("Echo", Map.of("RegionId", "cn-hangzhou", "Name", "a b+c"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("RequestId").getAsString()).isEqualTo(response.requestId())
                .matches("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}");
        assertThat(response.body().get("Name").getAsString()).isEqualTo("a b+c");
    }

    @Test
    void errorAnswersLookLikeTheGateway() {
        ApiResponse response = call("Echo", Map.of());

        assertThat(response.status()).isEqualTo(400);
        JsonObject body = response.body();
        assertThat(body.keySet()).containsExactly("RequestId", "HostId", "Code", "Message", "Recommend");
        assertThat(body.get("HostId").getAsString()).isEqualTo("eci.cn-hangzhou.aliyuncs.com");
        assertThat(body.get("Code").getAsString()).isEqualTo("MissingParameter");
        assertThat(body.get("Message").getAsString()).isEqualTo(
                "The input parameter \"RegionId\" that is mandatory for processing this request is not supplied.");
        assertThat(body.get("Recommend").getAsString())
                .isEqualTo("https://api.aliyun.com/troubleshoot?q=MissingParameter");
    }

    @Test
    void rejectsUnknownActionsOtherRegionsAndOtherVersions() {
        assertError(call("RunInstances", Map.of("RegionId", "cn-hangzhou")), 404, "InvalidAction.NotFound");
        assertError(call("Echo", Map.of("RegionId", "cn-beijing")), 400, "InvalidRegionId");

        Map<String, String> headers = new HashMap<>(signer.call("Echo", Map.of(), clock.instant()).headers());
        headers.remove("authorization");
        headers.put("x-acs-version", "2014-05-26");
        ApiCall oldVersion = signer.sign(Map.of("RegionId", "cn-hangzhou"), headers);
        assertError(dispatcher.dispatch(oldVersion), 400, "InvalidVersion");
    }

    @Test
    void fallsBackToTheActionQueryParameter() {
        Map<String, String> headers = new HashMap<>(signer.call("Echo", Map.of(), clock.instant()).headers());
        headers.remove("authorization");
        headers.remove("x-acs-action");
        ApiCall call = signer.sign(Map.of("RegionId", "cn-hangzhou", "Action", "Echo"), headers);

        assertThat(dispatcher.dispatch(call).status()).isEqualTo(200);
    }

    @Test
    void unexpectedFailuresAreInternalFailuresWithoutDetails() {
        ApiResponse response = call("Broken", Map.of("RegionId", "cn-hangzhou"));

        assertError(response, 500, "InternalFailure");
        assertThat(response.body().get("Message").getAsString()).doesNotContain("secret");
    }

    @Test
    void countsEveryCallPerActionWhateverTheOutcome() {
        call("Echo", Map.of("RegionId", "cn-hangzhou"));
        call("Echo", Map.of());
        dispatcher.dispatch(new TestSigner("LTAI5tFAKE", "wrong").call("Echo", Map.of(), clock.instant()));
        call("Nope", Map.of());

        assertThat(dispatcher.callCount("Echo")).isEqualTo(3);
        assertThat(dispatcher.callCount("Nope")).isEqualTo(1);
        assertThat(dispatcher.callCount("Broken")).isZero();
    }

    @Test
    void malformedQueriesAreInvalidParameters() {
        ApiCall call = new ApiCall("POST", "/", "a=%zz", Map.of("x-acs-action", "Echo"), new byte[0]);
        assertError(dispatcher.dispatch(call), 400, "InvalidParameter");
    }

    private static void assertError(ApiResponse response, int status, String code) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body().get("Code").getAsString()).isEqualTo(code);
    }
}
