package io.ecivk.eci.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.client.model.Container;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.EnvironmentVar;
import io.ecivk.eci.client.model.ExecContainerCommandRequest;
import io.ecivk.eci.client.model.ExecContainerCommandResponse;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.testkit.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ExecContainerCommand through the typed client, signed, against the simulator over loopback. */
class ExecContainerCommandConformanceIT {
  private static final String REGION = "cn-hangzhou";
  private static final String AK = "LTAI5tEXECCONFORMANCE";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private ManualClock clock;
  private EciSimulator simulator;
  private TeaEciClient client;

  @BeforeEach
  void start() {
    clock = new ManualClock(Instant.now());
    simulator = EciSimulator.builder()
        .region(REGION)
        .accessKey(AK, SECRET)
        .vswitch("vsw-a", "cn-hangzhou-i", "10.224.0.0/16")
        .clock(clock)
        .build();
    simulator.start();
    client = new TeaEciClient(new EciClientConfig(URI.create("http://127.0.0.1:" + simulator.port()), REGION,
        EciCredentials.accessKey(AK, SECRET), Duration.ofSeconds(2), Duration.ofSeconds(10)));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void answersAWebSocketUriOnTheSimulatorsExecEndpoint() {
    String id = runningGroup("web-0");

    ExecContainerCommandResponse answer = client.execContainerCommand(
        ExecContainerCommandRequest.builder(id, "app", List.of("/bin/sh", "-c", "echo hi")).tty(true).build());

    assertThat(answer.requestId()).isNotBlank();
    assertThat(answer.webSocketUri())
        .startsWith("ws://127.0.0.1:" + simulator.execPort() + "/exec/?s=")
        .hasSizeGreaterThan(("ws://127.0.0.1:" + simulator.execPort() + "/exec/?s=").length() + 40);
    assertThat(answer.httpUrl()).startsWith("http://127.0.0.1:" + simulator.execPort() + "/terminal?param=");
    assertThat(answer.syncResponse()).isNull();
  }

  @Test
  void syncAnswersTheOutput() {
    String id = runningGroup("web-1");

    ExecContainerCommandResponse answer = client.execContainerCommand(
        ExecContainerCommandRequest.builder(id, "app", List.of("sh", "-c", "env; hostname")).sync(true).build());

    assertThat(answer.syncResponse()).isEqualTo("GREETING=hello world\nweb-1\n");
    assertThat(answer.webSocketUri()).isNull();
  }

  @Test
  void invalidCombinationsAreInvalidRequests() {
    String id = runningGroup("web-2");

    assertThatThrownBy(() -> client.execContainerCommand(
        ExecContainerCommandRequest.builder(id, "app", List.of("ls")).sync(true).tty(true).build()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
          assertThat(e.code()).isEqualTo("InvalidParameter");
          assertThat(e.getMessage()).contains("TTY");
        });
    assertThatThrownBy(() -> client.execContainerCommand(
        ExecContainerCommandRequest.builder(id, "app", List.of("/bin/bash")).sync(true).build()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
          assertThat(e.code()).isEqualTo("InvalidParameter");
        });
  }

  @Test
  void commandsEciWouldRefuseAreRefusedBeforeTheCall() {
    List<String> tooMany = java.util.Collections.nCopies(21, "x");
    assertThatThrownBy(() -> ExecContainerCommandRequest.builder("eci-1", "app", tooMany).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 20");
    assertThatThrownBy(() -> ExecContainerCommandRequest.builder("eci-1", "app", List.of("x".repeat(257))).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 256");
    assertThatThrownBy(() -> ExecContainerCommandRequest.builder("eci-1", "app", List.of()).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(simulator.callCount("ExecContainerCommand")).isZero();
  }

  @Test
  void unknownGroupsAndContainersAreNotFoundAndGroupsNotRunningAreRefused() {
    String id = client.createContainerGroup(group("web-3")).containerGroupId();

    assertThatThrownBy(() -> client.execContainerCommand(
        ExecContainerCommandRequest.builder(id, "app", List.of("ls")).build()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.code()).isEqualTo("IncorrectStatus");
          assertThat(e.getMessage()).contains("Scheduling");
        });
    clock.advance(Duration.ofSeconds(3));
    assertThatThrownBy(() -> client.execContainerCommand(
        ExecContainerCommandRequest.builder(id, "sidecar", List.of("ls")).build()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.NOT_FOUND);
          assertThat(e.code()).isEqualTo("InvalidContainerName.NotFound");
        });
    assertThatThrownBy(() -> client.execContainerCommand(
        ExecContainerCommandRequest.builder("eci-doesnotexist0000000", "app", List.of("ls")).build()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.NOT_FOUND);
          assertThat(e.code()).isEqualTo("InvalidContainerGroup.NotFound");
        });
  }

  @Test
  void theWebSocketUriIsSingleUseAndExpiresWithTheHttpUrl() throws Exception {
    String id = runningGroup("web-4");
    HttpClient http = HttpClient.newHttpClient();
    ExecContainerCommandResponse first = client.execContainerCommand(
        ExecContainerCommandRequest.builder(id, "app", List.of("cat")).build());

    assertThat(http.send(HttpRequest.newBuilder(URI.create(first.httpUrl())).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    WebSocket socket = http.newWebSocketBuilder().subprotocols("v5.channel.k8s.io")
        .buildAsync(URI.create(first.webSocketUri()), new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS);
    assertThat(socket.getSubprotocol()).isEqualTo("v5.channel.k8s.io");
    socket.abort();
    assertThat(http.newWebSocketBuilder().buildAsync(URI.create(first.webSocketUri()), new WebSocket.Listener() {}))
        .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    assertThat(http.send(HttpRequest.newBuilder(URI.create(first.httpUrl())).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(410);

    ExecContainerCommandResponse late = client.execContainerCommand(
        ExecContainerCommandRequest.builder(id, "app", List.of("cat")).build());
    clock.advance(Duration.ofSeconds(30));
    assertThat(http.send(HttpRequest.newBuilder(URI.create(late.httpUrl())).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(410);
    assertThat(http.newWebSocketBuilder().buildAsync(URI.create(late.webSocketUri()), new WebSocket.Listener() {}))
        .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(WebSocketHandshakeException.class);
  }

  private String runningGroup(String name) {
    String id = client.createContainerGroup(group(name)).containerGroupId();
    clock.advance(Duration.ofSeconds(3));
    return id;
  }

  private static CreateContainerGroupRequest group(String name) {
    return CreateContainerGroupRequest.builder(name)
        .securityGroupId("sg-a")
        .vSwitchIds(List.of("vsw-a"))
        .containers(List.of(Container.builder("app", "busybox:1.36")
            .environmentVars(List.of(EnvironmentVar.literal("GREETING", "hello world")))
            .build()))
        .build();
  }
}
