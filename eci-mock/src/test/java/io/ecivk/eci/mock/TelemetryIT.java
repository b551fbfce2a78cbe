package io.ecivk.eci.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import io.ecivk.eci.mock.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DescribeContainerLog and the metric actions on the wire, through the official tea-openapi client: parameter
 * ranges and their errors, and usage set through the admin endpoint.
 */
class TelemetryIT {

    private static final String REGION = "cn-hangzhou";
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final HttpClient http = HttpClient.newHttpClient();
    private EciSimulator simulator;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        simulator = EciSimulator.builder().port(0).adminPort(0).region(REGION).accessKey("LTAI5tFAKE", "FAKEsecret")
                .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16").clock(clock).build();
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

    private String create(String name) throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("ContainerGroupName", name);
        request.put("SecurityGroupId", "sg-1");
        request.put("VSwitchId", "vsw-a");
        request.put("Container", List.of(Map.of("Name", "app", "Image", "busybox", "Cpu", 1.0f, "Memory", 2.0f)));
        return (String) call("CreateContainerGroup", request).get("ContainerGroupId");
    }

    private void assertRejected(String action, Map<String, Object> request, int status, String code,
            String mentions) {
        assertThatThrownBy(() -> call(action, request)).isInstanceOfSatisfying(TeaException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(status);
            assertThat(e.getCode()).isEqualTo(code);
            assertThat(e.getMessage()).contains(mentions);
        });
    }

    @Test
    void logParametersOutOfRangeAreRefusedLikeTheApi() throws Exception {
        String id = create("ranges");
        clock.advance(Duration.ofSeconds(5));
        Map<String, Object> base = Map.of("ContainerGroupId", id, "ContainerName", "app");

        assertThat(call("DescribeContainerLog", base)).containsEntry("ContainerName", "app")
                .containsEntry("Content", "app line 1\napp line 2\napp line 3\n");
        for (Object tail : List.of(0, 2001, "x")) {
            Map<String, Object> request = new LinkedHashMap<>(base);
            request.put("Tail", tail);
            assertRejected("DescribeContainerLog", request, 400, "InvalidParameter", "Tail");
        }
        for (Object limit : List.of(0, 1_048_577)) {
            Map<String, Object> request = new LinkedHashMap<>(base);
            request.put("LimitBytes", limit);
            assertRejected("DescribeContainerLog", request, 400, "InvalidParameter", "LimitBytes");
        }
        Map<String, Object> badTime = new LinkedHashMap<>(base);
        badTime.put("StartTime", "yesterday");
        assertRejected("DescribeContainerLog", badTime, 400, "InvalidParameter", "StartTime");
        Map<String, Object> previous = new LinkedHashMap<>(base);
        previous.put("LastTime", true);
        assertRejected("DescribeContainerLog", previous, 400, "InvalidParameter", "LastTime");
        assertRejected("DescribeContainerLog", Map.of("ContainerGroupId", id), 400, "MissingParameter",
                "ContainerName");
        assertRejected("DescribeContainerLog", Map.of("ContainerGroupId", id, "ContainerName", "other"), 400,
                "InvalidParameter", "ContainerName");
        assertRejected("DescribeContainerLog", Map.of("ContainerGroupId", "eci-nope", "ContainerName", "app"), 404,
                "InvalidContainerGroup.NotFound", "eci-nope");
    }

    @Test
    void multiMetricRefusesMoreThanTwentyIdsAndOtherMetricTypes() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            ids.add("\"eci-" + i + "\"");
        }
        assertRejected("DescribeMultiContainerGroupMetric", Map.of("ContainerGroupIds", "[" + String.join(",", ids)
                + "]"), 400, "InvalidParameter", "ContainerGroupIds");
        assertRejected("DescribeMultiContainerGroupMetric", Map.of("ContainerGroupIds", "[\"eci-1\"]",
                "MetricType", "detail"), 400, "InvalidParameter", "MetricType");
        assertRejected("DescribeContainerGroupMetric", Map.of("ContainerGroupId", "eci-1", "Period", 45), 400,
                "InvalidParameter", "Period");
    }

    @Test
    @SuppressWarnings("unchecked")
    void adminEndpointSetsUsagePerGroupAndPerContainer() throws Exception {
        String id = create("admin-metrics");
        HttpResponse<String> set = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + simulator.adminPort() + "/metrics/" + id))
                .POST(HttpRequest.BodyPublishers.ofString("{\"cpuNanoCores\": 500000000, \"memoryWorkingSetBytes\": "
                        + "1048576, \"containers\": {\"app\": {\"cpuNanoCores\": 400000000}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(set.body()).contains(id);
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + simulator.adminPort() + "/metrics/eci-nope"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"cpuNanoCores\": 1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        clock.advance(Duration.ofSeconds(13)); // running for 10 s

        Map<String, Object> body = call("DescribeMultiContainerGroupMetric",
                Map.of("ContainerGroupIds", "[\"" + id + "\"]", "MetricType", "summary"));
        List<Map<String, Object>> data = (List<Map<String, Object>>) body.get("MonitorDatas");
        Map<String, Object> record = ((List<Map<String, Object>>) data.get(0).get("Records")).get(0);
        Map<String, Object> cpu = (Map<String, Object>) record.get("CPU");
        assertThat(((Number) cpu.get("UsageNanoCores")).longValue()).isEqualTo(400_000_000L);
        assertThat(((Number) cpu.get("UsageCoreNanoSeconds")).longValue()).isEqualTo(4_000_000_000L);
        assertThat(((Number) ((Map<String, Object>) record.get("Memory")).get("WorkingSet")).longValue())
                .isEqualTo(1_048_576L);
        assertThat(record.get("Timestamp")).isEqualTo(clock.instant().toString());
    }
}
