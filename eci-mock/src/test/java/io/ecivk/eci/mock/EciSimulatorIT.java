package io.ecivk.eci.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import io.ecivk.eci.mock.network.Ipv4Cidr;
import io.ecivk.eci.mock.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Drives the simulator over loopback with the official tea-openapi client, exactly as the provider will. */
class EciSimulatorIT {

    private static final String REGION = "cn-hangzhou";
    private static final MutableClock CLOCK = MutableClock.atSystemTime();
    private static EciSimulator simulator;
    private static int port;

    @BeforeAll
    static void start() {
        simulator = EciSimulator.builder()
                .port(0)
                .region(REGION)
                .accessKey("LTAI5tFAKE", "FAKEsecret")
                .stsAccessKey("STS.FAKE", "stssecret", "FAKE-STS-TOKEN")
                .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16")
                .vswitch("vsw-b", "cn-hangzhou-j", "10.225.0.0/16")
                .clock(CLOCK)
                .build();
        port = simulator.start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static Client client(String id, String secret, String token) throws Exception {
        return new Client(new Config()
                .setAccessKeyId(id)
                .setAccessKeySecret(secret)
                .setSecurityToken(token)
                .setEndpoint("127.0.0.1:" + port)
                .setProtocol("http")
                .setRegionId(REGION)
                .setConnectTimeout(2000)
                .setReadTimeout(5000));
    }

    private static Client client() throws Exception {
        return client("LTAI5tFAKE", "FAKEsecret", null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(Client client, String action, Map<String, Object> request)
            throws Exception {
        Params params = new Params().setAction(action).setVersion("2018-08-08").setProtocol("HTTPS")
                .setPathname("/").setMethod("POST").setAuthType("AK").setStyle("RPC").setReqBodyType("formData")
                .setBodyType("json");
        Map<String, Object> withRegion = new LinkedHashMap<>(request);
        withRegion.putIfAbsent("RegionId", REGION);
        Map<String, ?> response = client.callApi(params,
                new OpenApiRequest().setQuery(com.aliyun.openapiutil.Client.query(withRegion)), new RuntimeOptions());
        assertThat(response.get("statusCode")).isEqualTo(200);
        assertThat((Map<String, String>) response.get("headers")).containsKey("x-acs-request-id");
        return (Map<String, Object>) response.get("body");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> describeOne(Client client, String id) throws Exception {
        List<Object> groups = (List<Object>) call(client, "DescribeContainerGroups",
                Map.of("ContainerGroupIds", "[\"" + id + "\"]")).get("ContainerGroups");
        return groups.isEmpty() ? null : (Map<String, Object>) groups.get(0);
    }

    private static Map<String, Object> createRequest(String name) {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("Name", "nginx");
        container.put("Image", "nginx:1.25");
        container.put("Cpu", 1.5f);
        container.put("Memory", 3.0f);
        container.put("Command", List.of("/bin/sh", "-c"));
        container.put("Arg", List.of("echo hi && sleep 3600"));
        container.put("EnvironmentVar", List.of(Map.of("Key", "A", "Value", "x y*~")));
        container.put("Port", List.of(Map.of("Port", 80, "Protocol", "TCP")));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("ContainerGroupName", name);
        request.put("SecurityGroupId", "sg-1");
        request.put("VSwitchId", "vsw-a,vsw-b");
        request.put("RestartPolicy", "Always");
        request.put("Container", List.of(container));
        request.put("Tag", List.of(Map.of("Key", "PodName", "Value", name), Map.of("Key", "managed-by",
                "Value", "vk java")));
        return request;
    }

    @Test
    @SuppressWarnings("unchecked")
    void createRunDescribeDeleteThroughTheRealSdk() throws Exception {
        Client client = client();
        String id = (String) call(client, "CreateContainerGroup", createRequest("web-lifecycle"))
                .get("ContainerGroupId");
        assertThat(id).matches("eci-[a-z0-9]{20}");
        assertThat(describeOne(client, id).get("Status")).isEqualTo("Scheduling");

        CLOCK.advance(Duration.ofSeconds(3));
        Map<String, Object> running = describeOne(client, id);
        assertThat(running.get("Status")).isEqualTo("Running");
        assertThat(running.get("ZoneId")).isEqualTo("cn-hangzhou-i");
        assertThat(Ipv4Cidr.parse("10.224.0.0/16").contains((String) running.get("IntranetIp"))).isTrue();
        assertThat(running.get("Cpu")).isEqualTo(2.0);
        assertThat(running.get("Memory")).isEqualTo(4.0);
        Map<String, Object> container = ((List<Map<String, Object>>) running.get("Containers")).get(0);
        assertThat(container.get("Commands")).isEqualTo(List.of("/bin/sh", "-c"));
        assertThat(container.get("Args")).isEqualTo(List.of("echo hi && sleep 3600"));
        assertThat(container.get("EnvironmentVars")).isEqualTo(List.of(Map.of("Key", "A", "Value", "x y*~")));
        assertThat(((Map<String, Object>) container.get("CurrentState")).get("State")).isEqualTo("Running");
        assertThat((List<Map<String, Object>>) running.get("Events")).extracting(e -> e.get("Reason"))
                .contains("AutoInstanceTypeMatch", "Scheduled", "Started");

        Map<String, Object> status = call(client, "DescribeContainerGroupStatus",
                Map.of("ContainerGroupIds", "[\"" + id + "\"]"));
        Map<String, Object> item = ((List<Map<String, Object>>) status.get("Data")).get(0);
        assertThat(item.get("Name")).isEqualTo("web-lifecycle");
        assertThat(((Map<String, Object>) item.get("PodStatus")).get("Phase")).isEqualTo("Running");

        call(client, "DeleteContainerGroup", Map.of("ContainerGroupId", id));
        assertThat(describeOne(client, id).get("Status")).isEqualTo("Terminating");
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(describeOne(client, id)).isNull();
        assertThatThrownBy(() -> call(client, "DeleteContainerGroup", Map.of("ContainerGroupId", id)))
                .isInstanceOfSatisfying(TeaException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getCode()).isEqualTo("InvalidContainerGroup.NotFound");
                });
        assertThat(simulator.callCount("CreateContainerGroup")).isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void newFieldsRoundTripAndUpdateWorksThroughTheRealSdk() throws Exception {
        Client client = client();
        Map<String, Object> request = createRequest("web-fields");
        Map<String, Object> container = new LinkedHashMap<>(((List<Map<String, Object>>) request.get("Container"))
                .get(0));
        container.put("Gpu", 1);
        container.put("Stdin", true);
        container.put("Tty", true);
        container.put("EnvironmentVar", List.of(Map.of("Key", "POD_IP", "FieldRef",
                Map.of("FieldPath", "status.podIP"))));
        container.put("VolumeMount", List.of(Map.of("Name", "cfg", "MountPath", "/etc/app", "SubPath", "app.conf",
                "ReadOnly", true)));
        container.put("ReadinessProbe", Map.of("PeriodSeconds", 5, "HttpGet", Map.of("Path", "/ready",
                "Port", 80, "Scheme", "HTTP")));
        container.put("LivenessProbe", Map.of("TcpSocket", Map.of("Port", 80)));
        container.put("SecurityContext", Map.of("Capability", Map.of("Add", List.of("NET_ADMIN")),
                "RunAsUser", 1000L));
        container.put("LifecyclePreStopHandlerExec", List.of("nginx", "-s", "quit"));
        request.put("Container", List.of(container));
        request.put("Volume", List.of(
                Map.of("Name", "cfg", "Type", "ConfigFileVolume", "ConfigFileVolume", Map.of("ConfigFileToPath",
                        List.of(Map.of("Path", "app.conf", "Content", "aGVsbG8=")))),
                Map.of("Name", "nas", "Type", "NFSVolume", "NFSVolume", Map.of("Server", "nas.example.com",
                        "Path", "/share", "ReadOnly", true))));
        request.put("DnsPolicy", "None");
        request.put("DnsConfig", Map.of("NameServer", List.of("10.0.0.10"), "Option",
                List.of(Map.of("Name", "ndots", "Value", "2"))));
        request.put("HostAliase", List.of(Map.of("Ip", "10.0.0.5", "Hostname", List.of("db"))));
        request.put("SecurityContext", Map.of("Sysctl", List.of(Map.of("Name", "net.core.somaxconn",
                "Value", "1024"))));
        request.put("SpotStrategy", "SpotAsPriceGo");
        request.put("EphemeralStorage", 20);
        request.put("RamRoleName", "eci-role");
        request.put("ImageRegistryCredential", List.of(Map.of("Server", "registry.example.com",
                "UserName", "robot", "Password", "s3cr3t")));
        request.put("MaxPendingMinute", 30);
        String id = (String) call(client, "CreateContainerGroup", request).get("ContainerGroupId");

        CLOCK.advance(Duration.ofSeconds(3));
        Map<String, Object> group = describeOne(client, id);
        assertThat(group.toString()).doesNotContain("s3cr3t");
        assertThat(group.get("SpotStrategy")).isEqualTo("SpotAsPriceGo");
        assertThat(group.get("EphemeralStorage")).isEqualTo(20L);
        assertThat(group.get("RamRoleName")).isEqualTo("eci-role");
        assertThat(group.get("DnsConfig")).isEqualTo(Map.of("NameServers", List.of("10.0.0.10"), "Searches",
                List.of(), "Options", List.of(Map.of("Name", "ndots", "Value", "2"))));
        assertThat(group.get("HostAliases")).isEqualTo(List.of(Map.of("Ip", "10.0.0.5", "Hostnames",
                List.of("db"))));
        assertThat(group.get("EciSecurityContext")).isEqualTo(Map.of("Sysctls",
                List.of(Map.of("Name", "net.core.somaxconn", "Value", "1024"))));
        List<Map<String, Object>> volumes = (List<Map<String, Object>>) group.get("Volumes");
        assertThat(volumes.get(0).get("ConfigFileVolumeConfigFileToPaths"))
                .isEqualTo(List.of(Map.of("Path", "app.conf", "Content", "aGVsbG8=")));
        assertThat(volumes.get(1)).containsEntry("NFSVolumeServer", "nas.example.com")
                .containsEntry("NFSVolumePath", "/share").containsEntry("NFSVolumeReadOnly", true);
        Map<String, Object> nginx = ((List<Map<String, Object>>) group.get("Containers")).get(0);
        assertThat(nginx).containsEntry("Gpu", 1L).containsEntry("Stdin", true).containsEntry("Tty", true);
        assertThat(nginx.get("EnvironmentVars")).isEqualTo(List.of(Map.of("Key", "POD_IP", "Value", "",
                "ValueFrom", Map.of("FieldRef", Map.of("FieldPath", "status.podIP")))));
        assertThat(nginx.get("ReadinessProbe")).isEqualTo(Map.of("PeriodSeconds", 5L, "HttpGet",
                Map.of("Path", "/ready", "Port", 80L, "Scheme", "HTTP")));
        assertThat(nginx.get("LivenessProbe")).isEqualTo(Map.of("TcpSocket", Map.of("Port", 80L)));
        assertThat(nginx.get("SecurityContext")).isEqualTo(Map.of("Capability", Map.of("Adds",
                List.of("NET_ADMIN")), "RunAsUser", 1000L));
        assertThat(((List<Map<String, Object>>) nginx.get("VolumeMounts")).get(0))
                .containsEntry("SubPath", "app.conf").containsEntry("ReadOnly", true);

        call(client, "UpdateContainerGroup", Map.of("ContainerGroupId", id, "UpdateType", "IncrementalUpdate",
                "Container", List.of(Map.of("Name", "nginx", "Image", "nginx:1.27"))));
        assertThat(describeOne(client, id).get("Status")).isEqualTo("Updating");
        CLOCK.advance(Duration.ofSeconds(1));
        Map<String, Object> updated = describeOne(client, id);
        assertThat(updated.get("Status")).isEqualTo("Running");
        assertThat(((List<Map<String, Object>>) updated.get("Containers")).get(0))
                .containsEntry("Image", "nginx:1.27").containsEntry("Gpu", 1L);

        assertThatThrownBy(() -> call(client, "CreateContainerGroup", Map.of("ContainerGroupName", "web-hostpath",
                "SecurityGroupId", "sg-1", "VSwitchId", "vsw-a", "Container", List.of(Map.of("Name", "c",
                        "Image", "busybox")), "Volume", List.of(Map.of("Name", "h", "Type", "HostPathVolume")))))
                .isInstanceOfSatisfying(TeaException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getCode()).isEqualTo("InvalidParameter");
                    assertThat(e.getMessage()).contains("Volume.1.Type", "whitelisted");
                });
        call(client, "DeleteContainerGroup", Map.of("ContainerGroupId", id, "Force", true));
    }

    @Test
    void clientTokenMakesCreateIdempotent() throws Exception {
        Client client = client();
        Map<String, Object> request = createRequest("web-idempotent");
        request.put("ClientToken", "pod-uid-1");
        Object first = call(client, "CreateContainerGroup", request).get("ContainerGroupId");
        Object again = call(client, "CreateContainerGroup", request).get("ContainerGroupId");
        assertThat(again).isEqualTo(first);

        request.put("RestartPolicy", "Never");
        assertThatThrownBy(() -> call(client, "CreateContainerGroup", request))
                .isInstanceOfSatisfying(TeaException.class,
                        e -> assertThat(e.getCode()).isEqualTo("IdempotentParameterMismatch"));
    }

    @Test
    void stsCredentialsWorkWithTheirToken() throws Exception {
        Map<String, Object> regions = call(client("STS.FAKE", "stssecret", "FAKE-STS-TOKEN"), "DescribeRegions",
                Map.of());
        assertThat(regions.get("Regions").toString()).contains("cn-hangzhou-i", "cn-hangzhou-j");

        assertThatThrownBy(() -> call(client("STS.FAKE", "stssecret", "WRONG"), "DescribeRegions", Map.of()))
                .isInstanceOfSatisfying(TeaException.class,
                        e -> assertThat(e.getCode()).isEqualTo("InvalidSecurityToken.MismatchWithAccessKey"));
    }

    @Test
    void wrongSecretAndUnknownKeyAreRejected() {
        assertThatThrownBy(() -> call(client("LTAI5tFAKE", "not-the-secret", null), "DescribeRegions", Map.of()))
                .isInstanceOfSatisfying(TeaException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getCode()).isEqualTo("SignatureDoesNotMatch");
                });
        assertThatThrownBy(() -> call(client("LTAI5tNOBODY", "FAKEsecret", null), "DescribeRegions", Map.of()))
                .isInstanceOfSatisfying(TeaException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getCode()).isEqualTo("InvalidAccessKeyId.NotFound");
                });
    }

    @Test
    void validationErrorsReachTheSdkWithTheirCode() {
        Map<String, Object> request = createRequest("web-invalid");
        request.remove("SecurityGroupId");
        assertThatThrownBy(() -> call(client(), "CreateContainerGroup", request))
                .isInstanceOfSatisfying(TeaException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("MissingParameter");
                    assertThat(e.getMessage()).contains("SecurityGroupId");
                });
        assertThatThrownBy(() -> call(client(), "StartContainerGroup", Map.of()))
                .isInstanceOfSatisfying(TeaException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getCode()).isEqualTo("InvalidAction.NotFound");
                });
    }

    @Test
    void unsignedRequestsGetAJsonErrorWithARequestId() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/?RegionId=cn-hangzhou"))
                .header("x-acs-action", "DescribeRegions")
                .header("x-acs-version", "2018-08-08")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).contains("application/json;charset=utf-8");
        String requestId = response.headers().firstValue("x-acs-request-id").orElseThrow();
        assertThat(response.body()).contains("\"RequestId\":\"" + requestId + "\"",
                "\"Code\":\"IncompleteSignature\"", "\"HostId\":\"eci.cn-hangzhou.aliyuncs.com\"");
    }
}
