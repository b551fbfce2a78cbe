package io.ecivk.eci.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ecivk.eci.mock.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test bench through the official tea-openapi client, and its admin endpoint over plain HTTP. */
class TestBenchIT {

    private static final String REGION = "cn-hangzhou";
    private final MutableClock clock = MutableClock.atSystemTime();
    private final HttpClient http = HttpClient.newHttpClient();
    private EciSimulator simulator;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        simulator = EciSimulator.builder()
                .port(0)
                .adminPort(0)
                .region(REGION)
                .accessKey("LTAI5tFAKE", "FAKEsecret")
                .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16")
                .vswitch("vsw-b", "cn-hangzhou-j", "10.225.0.0/16")
                .rateLimit("DescribeRegions", 2, 1.0)
                .clock(clock)
                .build();
        int port = simulator.start();
        client = new Client(new Config().setAccessKeyId("LTAI5tFAKE").setAccessKeySecret("FAKEsecret")
                .setEndpoint("127.0.0.1:" + port).setProtocol("http").setRegionId(REGION)
                .setConnectTimeout(2000).setReadTimeout(5000));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(String action, Map<String, Object> request) throws Exception {
        Params params = new Params().setAction(action).setVersion("2018-08-08").setProtocol("HTTPS")
                .setPathname("/").setMethod("POST").setAuthType("AK").setStyle("RPC").setReqBodyType("formData")
                .setBodyType("json");
        Map<String, Object> withRegion = new LinkedHashMap<>(request);
        withRegion.putIfAbsent("RegionId", REGION);
        Map<String, ?> response = client.callApi(params,
                new OpenApiRequest().setQuery(com.aliyun.openapiutil.Client.query(withRegion)), new RuntimeOptions());
        return (Map<String, Object>) response.get("body");
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + simulator.adminPort() + path)).timeout(Duration.ofSeconds(5));
        request = method.equals("GET") ? request.GET()
                : request.method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    @Test
    void emptyBucketSurfacesThrottlingUserInTheSdkAndRefillsWithTheClock() throws Exception {
        call("DescribeRegions", Map.of());
        call("DescribeRegions", Map.of());
        assertThatThrownBy(() -> call("DescribeRegions", Map.of()))
                .isInstanceOfSatisfying(TeaException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("Throttling.User");
                    assertThat(e.getMessage()).contains("Request was denied due to user flow control.");
                    assertThat(e.getStatusCode()).isEqualTo(400);
                });
        clock.advance(Duration.ofSeconds(1));
        assertThat(call("DescribeRegions", Map.of())).containsKey("Regions");
        assertThat(simulator.callCount("DescribeRegions")).isEqualTo(4);
    }

    @Test
    void injectedResetIsANetworkErrorForTheSdk() throws Exception {
        simulator.faults().failureRates("DescribeContainerGroups",
                new io.ecivk.eci.mock.bench.FailureRates(0, 0, 1.0));
        assertThatThrownBy(() -> call("DescribeContainerGroups", Map.of()))
                .satisfies(e -> assertThat(e).isNotInstanceOf(TeaException.class)
                        .satisfiesAnyOf(
                                x -> assertThat(x).hasRootCauseInstanceOf(java.io.IOException.class),
                                x -> assertThat(x).isInstanceOf(java.io.IOException.class),
                                x -> assertThat(x.getMessage()).containsIgnoringCase("reset")));
        simulator.resetFaults();
        assertThat(call("DescribeContainerGroups", Map.of())).containsKey("ContainerGroups");
    }

    @Test
    void injectedServerErrorsReachTheSdkWithTheirCodes() throws Exception {
        simulator.faults().failureRates("*", new io.ecivk.eci.mock.bench.FailureRates(0, 1.0, 0));
        assertThatThrownBy(() -> call("DescribeContainerGroups", Map.of()))
                .isInstanceOfSatisfying(TeaException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("ServiceUnavailable");
                    assertThat(e.getStatusCode()).isEqualTo(503);
                });
    }

    @Test
    void latencyDelaysTheAnswerWithoutBlockingOtherCalls() throws Exception {
        simulator.faults().latency("DescribeContainerGroups", Duration.ofMillis(400));
        long started = System.nanoTime();
        call("DescribeContainerGroups", Map.of());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        long fast = System.nanoTime();
        call("DescribeRegions", Map.of());
        assertThat(Duration.ofNanos(System.nanoTime() - fast)).isLessThan(Duration.ofMillis(400));
    }

    @Test
    void adminEndpointDrivesFaultsStockAndSpot() throws Exception {
        call("DescribeRegions", Map.of());
        HttpResponse<String> calls = admin("GET", "/calls", "");
        assertThat(calls.statusCode()).isEqualTo(200);
        assertThat(json(calls).get("DescribeRegions").getAsLong()).isEqualTo(1);

        HttpResponse<String> faults = admin("POST", "/faults", "{\"seed\": 5, \"rateLimits\": "
                + "{\"CreateContainerGroup\": {\"burst\": 0, \"refillPerSecond\": 0}}, "
                + "\"latencyMillis\": {\"DescribeRegions\": 1}}");
        assertThat(faults.statusCode()).isEqualTo(200);
        assertThat(json(faults).getAsJsonObject("rateLimits").has("CreateContainerGroup")).isTrue();
        Map<String, Object> create = new LinkedHashMap<>(Map.of("ContainerGroupName", "web",
                "SecurityGroupId", "sg-1", "VSwitchId", "vsw-a,vsw-b",
                "Container", List.of(Map.of("Name", "app", "Image", "nginx:1.25"))));
        assertThatThrownBy(() -> call("CreateContainerGroup", create))
                .isInstanceOfSatisfying(TeaException.class,
                        e -> assertThat(e.getCode()).isEqualTo("Throttling.User"));

        assertThat(admin("POST", "/reset", "").statusCode()).isEqualTo(200);
        assertThat(admin("POST", "/stock", "{\"zone\": \"cn-hangzhou-i\", \"inStock\": false}").statusCode())
                .isEqualTo(200);
        String id = (String) call("CreateContainerGroup", create).get("ContainerGroupId");
        clock.advance(Duration.ofSeconds(3));
        Map<String, Object> group = describeOne(id);
        assertThat(group.get("ZoneId")).isEqualTo("cn-hangzhou-j");
        assertThat(group.get("Status")).isEqualTo("Running");

        HttpResponse<String> reclaim = admin("POST", "/spot/" + id + "/reclaim", "");
        assertThat(reclaim.statusCode()).isEqualTo(200);
        assertThat(json(reclaim).get("containerGroupId").getAsString()).isEqualTo(id);
        clock.advance(Duration.ofMinutes(3));
        assertThat(describeOne(id).get("Status")).isEqualTo("Expired");

        assertThat(admin("POST", "/spot/eci-nosuchgroup/reclaim", "").statusCode()).isEqualTo(404);
        assertThat(admin("POST", "/faults", "{\"failures\": {\"*\": {\"internalError\": 2}}}").statusCode())
                .isEqualTo(400);
        assertThat(admin("GET", "/nothing", "").statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/reset", "").statusCode()).isEqualTo(405);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> describeOne(String id) throws Exception {
        List<Object> groups = (List<Object>) call("DescribeContainerGroups",
                Map.of("ContainerGroupIds", "[\"" + id + "\"]")).get("ContainerGroups");
        return groups.isEmpty() ? null : (Map<String, Object>) groups.get(0);
    }
}
