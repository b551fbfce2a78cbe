package io.ecivk.eci.mock.api;

import com.google.gson.JsonObject;
import io.ecivk.eci.mock.auth.SignatureVerifier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@link ApiCall} into an {@link ApiResponse}, independent of the transport. In order: count the call
 * under its action name, resolve the action ({@code x-acs-action}, else the {@code Action} parameter;
 * {@code InvalidAction.NotFound}), check the API version ({@code x-acs-version}, else {@code Version}), decode the
 * query, authenticate, check {@code RegionId}, run the action. Every answer, error or not, carries a fresh
 * {@code RequestId}. Thread-safe.
 */
public final class ApiDispatcher {

    public static final String API_VERSION = "2018-08-08";

    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);

    private final String regionId;
    private final String hostId;
    private final SignatureVerifier verifier;
    private final Map<String, ApiAction> actions;
    private final Map<String, LongAdder> callCounts = new ConcurrentHashMap<>();
    private final CallGate gate;

    /**
     * @param regionId the one region served; requests naming another get {@code InvalidRegionId}
     * @param hostId   the endpoint host reported as {@code HostId} in error answers
     */
    public ApiDispatcher(String regionId, String hostId, SignatureVerifier verifier, List<ApiAction> actions) {
        this(regionId, hostId, verifier, actions, CallGate.OPEN);
    }

    /** @param gate consulted after authentication: rate limits, latency, injected failures */
    public ApiDispatcher(String regionId, String hostId, SignatureVerifier verifier, List<ApiAction> actions,
            CallGate gate) {
        this.gate = gate;
        this.regionId = regionId;
        this.hostId = hostId;
        this.verifier = verifier;
        this.actions = actions.stream().collect(Collectors.toUnmodifiableMap(ApiAction::name, Function.identity()));
    }

    /** The answer to {@code call}; for a call the gate resets, a 500 answer stands in (transports use handle). */
    public ApiResponse dispatch(ApiCall call) {
        Outcome outcome = handle(call);
        return outcome.response() != null ? outcome.response()
                : error(UUID.randomUUID().toString().toUpperCase(Locale.ROOT), 500, "InternalFailure",
                        "The connection was reset.");
    }

    /**
     * What to do with {@code call}: answer (possibly after a delay) or reset the connection.
     *
     * @param response null when the connection is to be reset
     * @param delay    how long the transport holds the answer or reset back (real time)
     */
    public record Outcome(ApiResponse response, java.time.Duration delay) {

        public boolean reset() {
            return response == null;
        }
    }

    /** Like {@link #dispatch} but with the gate's verdict on resets and latency. */
    public Outcome handle(ApiCall call) {
        String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        Map<String, String> query = Map.of();
        String actionName = "";
        CallGate.Verdict verdict = CallGate.Verdict.PROCEED;
        try {
            query = FormQuery.decode(call.rawQuery());
            actionName = firstNonBlank(call.header("x-acs-action"), query.get("Action"));
            if (actionName == null) {
                throw ApiException.missingParameter("Action");
            }
            callCounts.computeIfAbsent(actionName, name -> new LongAdder()).increment();
            ApiAction action = actions.get(actionName);
            if (action == null) {
                throw new ApiException(404, "InvalidAction.NotFound",
                        "Specified api is not found, please check your url and method.");
            }
            checkVersion(firstNonBlank(call.header("x-acs-version"), query.get("Version")));
            verifier.verify(call, query);
            verdict = gate.admit(actionName);
            if (verdict.reset()) {
                LOG.debug("{} {} -> connection reset (injected)", requestId, actionName);
                return new Outcome(null, verdict.delay());
            }
            if (verdict.error() != null) {
                throw verdict.error();
            }
            ApiRequest request = ApiRequest.of(query);
            checkRegion(request.params(), action.regionRequired());
            JsonObject body = new JsonObject();
            body.addProperty("RequestId", requestId);
            action.handle(request).entrySet().forEach(entry -> body.add(entry.getKey(), entry.getValue()));
            LOG.debug("{} {} -> 200", requestId, actionName);
            return new Outcome(new ApiResponse(200, body, requestId), verdict.delay());
        } catch (ApiException e) {
            LOG.debug("{} {} -> {} {}", requestId, actionName, e.status(), e.code());
            return new Outcome(error(requestId, e.status(), e.code(), e.getMessage()), verdict.delay());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed unexpectedly", requestId, actionName, e);
            return new Outcome(error(requestId, 500, "InternalFailure",
                    "The request processing has failed due to some unknown error, exception or failure."),
                    verdict.delay());
        }
    }

    /** Requests seen for {@code action}, whatever their outcome (authentication failures included). */
    public long callCount(String action) {
        LongAdder count = callCounts.get(action);
        return count == null ? 0 : count.sum();
    }

    /** Requests seen so far per action name (unknown actions included), sorted by name. */
    public java.util.SortedMap<String, Long> callCounts() {
        java.util.SortedMap<String, Long> counts = new java.util.TreeMap<>();
        callCounts.forEach((action, count) -> counts.put(action, count.sum()));
        return counts;
    }

    /** An error answer shaped like the real gateway's. */
    public ApiResponse error(String requestId, int status, String code, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("RequestId", requestId);
        body.addProperty("HostId", hostId);
        body.addProperty("Code", code);
        body.addProperty("Message", message);
        body.addProperty("Recommend", "https://api.aliyun.com/troubleshoot?q=" + code);
        return new ApiResponse(status, body, requestId);
    }

    private static void checkVersion(String version) {
        if (version == null) {
            throw ApiException.missingParameter("Version");
        }
        if (!API_VERSION.equals(version)) {
            throw new ApiException(400, "InvalidVersion",
                    "Specified parameter Version is not valid: this service implements " + API_VERSION + ".");
        }
    }

    private void checkRegion(Params params, boolean required) {
        String requested = required ? params.required("RegionId") : params.string("RegionId").orElse(regionId);
        if (!regionId.equals(requested)) {
            throw new ApiException(400, "InvalidRegionId", "The specified region \"" + requested
                    + "\" does not exist or is not served by this endpoint.");
        }
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first.trim();
        }
        return second == null || second.isBlank() ? null : second.trim();
    }
}
