package io.ecivk.eci.mock.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ecivk.eci.mock.api.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test bench's control plane: plain HTTP with JSON bodies on 127.0.0.1, a port of its own, no signatures.
 * <ul>
 * <li>{@code GET /calls}: {@code {"<Action>": count, ...}}</li>
 * <li>{@code POST /faults}: {@code {"seed": 42, "rateLimitPreset": "published",
 *     "rateLimits": {"<Action>|Describe*|*": {"burst": 100, "refillPerSecond": 20} | null},
 *     "latencyMillis": {"<Action>|*": 250}, "failures": {"<Action>|*": {"internalError": 0.1,
 *     "serviceUnavailable": 0.1, "connectionReset": 0.05}}}}; every member optional, each given key replaces that
 *     key's setting ({@code null} removes a rate limit)</li>
 * <li>{@code POST /stock}: {@code {"zone": "cn-hangzhou-i", "spec": "2.0-4.0Gi", "inStock": false,
 *     "mode": "Pending|ScheduleFailed"}}; zone or spec may be left out (any)</li>
 * <li>{@code POST /spot/<containerGroupId>/reclaim}</li>
 * <li>{@code POST /reset}: clears limits, latency and failures and restores all stock</li>
 * <li>{@code POST /metrics/<containerGroupId>}: {@code {"cpuNanoCores": 250000000, "memoryWorkingSetBytes": 1048576,
 *     "containers": {"<name>": {"cpuNanoCores": ..., "memoryWorkingSetBytes": ...}}}}, every member optional (see
 *     {@link #metrics})</li>
 * </ul>
 * Answers are JSON; errors are {@code {"error": "..."}} with 400/404/405.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final Faults faults;
    private final Stock stock;
    private final Supplier<SortedMap<String, Long>> callCounts;
    private final Function<String, Instant> reclaim;
    private final Runnable restock;
    private volatile BiFunction<String, JsonObject, Object> metrics;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param reclaim marks a group for spot reclamation and answers its expiry
     * @param restock re-examines held groups after the stock changed
     */
    public AdminServer(Faults faults, Stock stock, Supplier<SortedMap<String, Long>> callCounts,
            Function<String, Instant> reclaim, Runnable restock) {
        this.faults = faults;
        this.stock = stock;
        this.callCounts = callCounts;
        this.reclaim = reclaim;
        this.restock = restock;
    }

    /**
     * Serves {@code POST /metrics/<containerGroupId>} with {@code handler}, which applies the JSON body to that group
     * and answers what to return (it throws {@link ApiException} 404 for an unknown group).
     */
    public AdminServer metrics(BiFunction<String, JsonObject, Object> handler) {
        this.metrics = handler;
        return this;
    }

    /** Binds 127.0.0.1:{@code port} (0 = free) and returns the bound port. */
    public synchronized int start(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + " for the admin endpoint: " + e, e);
        }
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "eci-mock-admin");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return server.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            int status = 200;
            Object answer;
            try {
                answer = route(method, path, readBody(exchange.getRequestBody()));
            } catch (ApiException e) {
                status = e.status();
                answer = Map.of("error", e.getMessage(), "code", e.code());
            } catch (IllegalArgumentException | IllegalStateException | ClassCastException
                     | UnsupportedOperationException | com.google.gson.JsonParseException e) {
                status = 400;
                answer = Map.of("error", String.valueOf(e.getMessage()));
            }
            byte[] body = GSON.toJson(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (RuntimeException e) {
            LOG.warn("admin request failed", e);
        }
    }

    private Object route(String method, String path, JsonObject body) {
        if (path.equals("/calls")) {
            requireMethod(method, "GET");
            return callCounts.get();
        }
        if (path.equals("/faults")) {
            if (method.equals("GET")) {
                return describeFaults();
            }
            requireMethod(method, "POST");
            applyFaults(body);
            return describeFaults();
        }
        if (path.equals("/stock")) {
            if (method.equals("GET")) {
                return describeStock();
            }
            requireMethod(method, "POST");
            String zone = string(body, "zone");
            String spec = string(body, "spec");
            boolean inStock = body.has("inStock") && body.get("inStock").getAsBoolean();
            if (inStock) {
                stock.restore(zone, spec);
            } else {
                String mode = string(body, "mode");
                stock.outOfStock(zone, spec, mode == null ? StockOutMode.PENDING : StockOutMode.parse(mode));
            }
            restock.run();
            return describeStock();
        }
        if (path.startsWith("/spot/") && path.endsWith("/reclaim")) {
            requireMethod(method, "POST");
            String id = path.substring("/spot/".length(), path.length() - "/reclaim".length());
            Instant expiry = reclaim.apply(id);
            return Map.of("containerGroupId", id, "expiresAt", expiry.toString());
        }
        if (path.startsWith("/metrics/") && metrics != null) {
            requireMethod(method, "POST");
            return metrics.apply(path.substring("/metrics/".length()), body);
        }
        if (path.equals("/reset")) {
            requireMethod(method, "POST");
            faults.clear();
            stock.restoreAll();
            restock.run();
            return Map.of("reset", true);
        }
        throw new ApiException(404, "NotFound", "no admin resource " + path);
    }

    private void applyFaults(JsonObject body) {
        if (body.has("seed")) {
            faults.seed(body.get("seed").getAsLong());
        }
        if (body.has("rateLimitPreset")) {
            String preset = body.get("rateLimitPreset").getAsString();
            if (!preset.equals("published")) {
                throw new IllegalArgumentException("unknown rateLimitPreset \"" + preset + "\"; use published");
            }
            Faults.publishedLimits().forEach(faults::rateLimit);
        }
        if (body.has("rateLimits")) {
            for (Map.Entry<String, JsonElement> entry : body.getAsJsonObject("rateLimits").entrySet()) {
                if (entry.getValue().isJsonNull()) {
                    faults.removeRateLimit(entry.getKey());
                } else {
                    JsonObject limit = entry.getValue().getAsJsonObject();
                    faults.rateLimit(entry.getKey(), new RateLimit(limit.get("burst").getAsInt(),
                            limit.get("refillPerSecond").getAsDouble()));
                }
            }
        }
        if (body.has("latencyMillis")) {
            for (Map.Entry<String, JsonElement> entry : body.getAsJsonObject("latencyMillis").entrySet()) {
                faults.latency(entry.getKey(), Duration.ofMillis(entry.getValue().getAsLong()));
            }
        }
        if (body.has("failures")) {
            for (Map.Entry<String, JsonElement> entry : body.getAsJsonObject("failures").entrySet()) {
                JsonObject rates = entry.getValue().getAsJsonObject();
                faults.failureRates(entry.getKey(), new FailureRates(rate(rates, "internalError"),
                        rate(rates, "serviceUnavailable"), rate(rates, "connectionReset")));
            }
        }
    }

    private Map<String, Object> describeFaults() {
        Map<String, Object> latency = new java.util.TreeMap<>();
        faults.latencies().forEach((action, delay) -> latency.put(action, delay.toMillis()));
        return Map.of("rateLimits", new java.util.TreeMap<>(faults.limits()), "latencyMillis", latency,
                "failures", new java.util.TreeMap<>(faults.failures()));
    }

    private Object describeStock() {
        return stock.outages().entrySet().stream().map(entry -> {
            Map<String, Object> rule = new java.util.LinkedHashMap<>();
            rule.put("zone", entry.getKey().zoneId());
            rule.put("spec", entry.getKey().spec());
            rule.put("mode", entry.getValue().wireName());
            return rule;
        }).toList();
    }

    private static double rate(JsonObject rates, String name) {
        return rates.has(name) ? rates.get(name).getAsDouble() : 0.0;
    }

    private static String string(JsonObject body, String name) {
        return body.has(name) && !body.get(name).isJsonNull() ? body.get(name).getAsString() : null;
    }

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw new ApiException(405, "MethodNotAllowed", "use " + expected);
        }
    }

    private static JsonObject readBody(InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return new JsonObject();
        }
        return JsonParser.parseString(text).getAsJsonObject();
    }
}
