package io.ecivk.eci.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.Tag;
import io.ecivk.eci.client.model.UpdateContainerGroupRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bytes our client puts on the wire, captured by a raw socket on loopback and compared with the request
 * captured from the official SDK (eci-openapi.md §2.3): same method and path, same query keys and encoding, same
 * headers, same signed-header list, a chunked empty body.
 */
class WireFormatIT {
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private ServerSocket server;
  private CompletableFuture<CapturedRequest> captured;

  @BeforeEach
  void startCaptureServer() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    captured = CompletableFuture.supplyAsync(this::captureOne);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void describeContainerGroupsHasTheOfficialShape() throws Exception {
    TeaEciClient client = client(EciCredentials.accessKey("LTAI5tFAKEFAKEFAKE", "FAKEsecretFAKEsecretFAKEsecret00"));

    var response =
        client.describeContainerGroups(
            new DescribeContainerGroupsRequest(
                List.of("eci-bp1abc", "eci-bp1def"), null, null, List.of(new Tag("managed-by", "vk java")), 20,
                null, null));
    CapturedRequest request = captured.get(10, TimeUnit.SECONDS);

    assertThat(response.requestId()).isEqualTo("CAPTURED");
    assertThat(response.containerGroups().get(0).cpu()).isEqualTo(2.0f);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/");
    assertThat(request.query().keySet())
        .containsExactlyInAnyOrder("Tag.1.Key", "ContainerGroupIds", "Tag.1.Value", "Limit", "RegionId");
    assertThat(request.rawQuery())
        .contains("ContainerGroupIds=%5B%22eci-bp1abc%22%2C%22eci-bp1def%22%5D")
        .contains("Tag.1.Value=vk+java")
        .contains("Limit=20")
        .contains("RegionId=cn-hangzhou");
    assertThat(request.headers().keySet())
        .containsExactlyInAnyOrder(
            "authorization", "x-acs-action", "host", "x-acs-credentials-provider", "x-acs-date", "x-acs-version",
            "x-acs-content-sha256", "x-acs-signature-nonce", "user-agent", "accept", "transfer-encoding",
            "connection", "accept-encoding");
    assertThat(request.headers())
        .containsEntry("x-acs-action", "DescribeContainerGroups")
        .containsEntry("x-acs-version", "2018-08-08")
        .containsEntry("host", "127.0.0.1:" + server.getLocalPort())
        .containsEntry("x-acs-credentials-provider", "static_ak")
        .containsEntry("x-acs-content-sha256", EMPTY_SHA256)
        .containsEntry("accept", "application/json")
        .containsEntry("transfer-encoding", "chunked");
    assertThat(request.headers().get("authorization"))
        .matches(
            "ACS3-HMAC-SHA256 Credential=LTAI5tFAKEFAKEFAKE,SignedHeaders=host;x-acs-action;x-acs-content-sha256;"
                + "x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}");
    assertThat(request.headers().get("x-acs-date")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(request.headers().get("x-acs-signature-nonce")).matches("[0-9a-f]{32}");
    assertThat(request.body()).isEqualTo("0\r\n\r\n");
  }

  @Test
  void stsCredentialsAddTheSignedTokenHeaders() throws Exception {
    TeaEciClient client = client(EciCredentials.sts("STS.FAKEFAKE", "FAKEsecret", "FAKE-STS-TOKEN"));

    client.describeContainerGroups(DescribeContainerGroupsRequest.byIds(List.of("eci-1")));
    CapturedRequest request = captured.get(10, TimeUnit.SECONDS);

    assertThat(request.headers())
        .containsEntry("x-acs-credentials-provider", "static_sts")
        .containsEntry("x-acs-accesskey-id", "STS.FAKEFAKE")
        .containsEntry("x-acs-security-token", "FAKE-STS-TOKEN");
    assertThat(request.headers().get("authorization"))
        .contains("SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;"
            + "x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,");
  }

  @Test
  void updateContainerGroupIsItsOwnActionWithTheFlattenedQuery() throws Exception {
    TeaEciClient client = client(EciCredentials.accessKey("LTAI5tFAKEFAKEFAKE", "FAKEsecretFAKEsecretFAKEsecret00"));

    var response =
        client.updateContainerGroup(
            UpdateContainerGroupRequest.builder("eci-bp1abc")
                .updateType(UpdateContainerGroupRequest.RENEW_UPDATE)
                .tags(List.of(new Tag("k", "v w")))
                .build());
    CapturedRequest request = captured.get(10, TimeUnit.SECONDS);

    assertThat(response.requestId()).isEqualTo("CAPTURED");
    assertThat(request.headers()).containsEntry("x-acs-action", "UpdateContainerGroup");
    assertThat(request.query())
        .containsOnly(
            Map.entry("RegionId", "cn-hangzhou"),
            Map.entry("ContainerGroupId", "eci-bp1abc"),
            Map.entry("UpdateType", "RenewUpdate"),
            Map.entry("Tag.1.Key", "k"),
            Map.entry("Tag.1.Value", "v w"));
  }

  private TeaEciClient client(EciCredentials credentials) {
    return new TeaEciClient(
        new EciClientConfig(
            URI.create("http://127.0.0.1:" + server.getLocalPort()), "cn-hangzhou", credentials,
            Duration.ofSeconds(3), Duration.ofSeconds(10)));
  }

  /** Reads one HTTP/1.1 request with a chunked body and answers 200 with a small DescribeContainerGroups body. */
  private CapturedRequest captureOne() {
    try (Socket socket = server.accept()) {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      String head = readUntil(in, "\r\n\r\n");
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line : Arrays.asList(lines).subList(1, lines.length)) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
      }
      String body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? readUntil(in, "0\r\n\r\n") : "";
      String target = requestLine[1];
      int q = target.indexOf('?');
      String rawQuery = q < 0 ? "" : target.substring(q + 1);
      Map<String, String> query =
          Arrays.stream(rawQuery.split("&"))
              .filter(s -> !s.isEmpty())
              .map(s -> s.split("=", 2))
              .collect(Collectors.toMap(
                  kv -> URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                  kv -> kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : ""));
      byte[] answer =
          ("{\"RequestId\":\"CAPTURED\",\"TotalCount\":1,\"NextToken\":\"\",\"ContainerGroups\":"
                  + "[{\"ContainerGroupId\":\"eci-bp1abc\",\"Cpu\":2.0,\"Memory\":4.0}]}")
              .getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=utf-8\r\nContent-Length: "
              + answer.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(answer);
      out.flush();
      return new CapturedRequest(
          requestLine[0], q < 0 ? target : target.substring(0, q), rawQuery, query, headers, body);
    } catch (IOException e) {
      throw new IllegalStateException("capture failed", e);
    }
  }

  private static String readUntil(InputStream in, String terminator) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] end = terminator.getBytes(StandardCharsets.US_ASCII);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before " + terminator.replace("\r\n", "\\r\\n"));
      }
      buffer.write(b);
      byte[] bytes = buffer.toByteArray();
      if (bytes.length >= end.length
          && Arrays.equals(bytes, bytes.length - end.length, bytes.length, end, 0, end.length)) {
        return buffer.toString(StandardCharsets.US_ASCII);
      }
    }
  }

  private record CapturedRequest(
      String method, String path, String rawQuery, Map<String, String> query, Map<String, String> headers,
      String body) {}

}
