package io.ecivk.kubeletapi.remotecommand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecivk.spi.ContainerExec.TerminalSize;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The remote-command server over loopback: a server with the hand-off pipeline of the contract, a fake provider,
 * and clients that speak the protocols as kubectl and the API server do (Netty's WebSocket client for v5/v4, a
 * SPDY/3.1 client that, like Kubernetes' spdystream, never sends WINDOW_UPDATE).
 */
class RemoteCommandIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";

  private static EventLoopGroup clients;
  private FakeContainerExec exec;
  private RemoteCommandTestServer server;

  @BeforeAll
  static void startClients() {
    clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stopClients() {
    clients.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @BeforeEach
  void start() throws Exception {
    exec = new FakeContainerExec();
    server = new RemoteCommandTestServer(new RemoteCommandHandler(exec));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private WebSocketTestClient ws(String pathAndQuery, String protocols) throws Exception {
    return new WebSocketTestClient(clients, server.port(), pathAndQuery, protocols);
  }

  private SpdyTestClient spdy(String pathAndQuery, String... versions) throws Exception {
    return new SpdyTestClient(clients, server.port(), pathAndQuery, List.of(versions));
  }

  @Nested
  class WebSocket {

    @Test
    void v5EchoesStdinAndEndsWhenStdinIsClosed() throws Exception {
      try (WebSocketTestClient client = ws("/exec/default/web/main?command=cat&input=1&output=1&error=1",
          "v5.channel.k8s.io,v4.channel.k8s.io")) {
        assertThat(client.negotiated()).isEqualTo("v5.channel.k8s.io");
        // The kubelet's "session established" signal: an empty message on the lowest output channel.
        await().atMost(WAIT).until(() -> !client.messages.isEmpty());
        assertThat(client.messages.get(0)).containsExactly(1);

        client.send(0, "hello\n");
        await().atMost(WAIT).until(() -> client.received(1).equals("hello\n"));
        client.send(255, new byte[] {0}); // v5: close stdin
        await().atMost(WAIT).until(() -> client.received(3).equals(SUCCESS));
        assertThat(client.closeStatus.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(exec.requests.get(0).command()).containsExactly("cat");
        assertThat(exec.sessions.get(0).stdinClosed).isTrue();
      }
    }

    @Test
    void v4ReportsTheNonZeroExitCodeAndSeparatesStderr() throws Exception {
      try (WebSocketTestClient client = ws(
          "/exec/default/web/main?command=exit&command=3&output=1&error=1", "v4.channel.k8s.io")) {
        assertThat(client.negotiated()).isEqualTo("v4.channel.k8s.io");
        await().atMost(WAIT).until(() -> !client.received(3).isEmpty());
        assertThat(client.received(1)).isEqualTo("out\n");
        assertThat(client.received(2)).isEqualTo("err\n");
        assertThat(client.received(3)).isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":"
            + "\"command terminated with non-zero exit code: error executing command [exit 3], exit code 3\","
            + "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}");
        client.disconnected.get(10, TimeUnit.SECONDS);
      }
    }

    @Test
    void choosesTheFirstSupportedProtocolInTheClientsOrder() throws Exception {
      try (WebSocketTestClient client = ws("/exec/default/web/main?command=exit&command=0&output=1",
          "v4.base64.channel.k8s.io,v4.channel.k8s.io,v5.channel.k8s.io")) {
        assertThat(client.negotiated()).isEqualTo("v4.channel.k8s.io");
        await().atMost(WAIT).until(() -> client.received(3).equals(SUCCESS));
      }
    }

    @Test
    void forwardsTerminalResizesAndDropsStderrWithATty() throws Exception {
      try (WebSocketTestClient client = ws("/exec/default/web/main?command=tty&input=1&output=1&error=1&tty=1",
          "v5.channel.k8s.io")) {
        // The resize channel is a JSON stream: one object split across two messages, then two in one.
        client.send(4, "{\"Width\":100,");
        client.send(4, "\"Height\":40}");
        client.send(4, "{\"Width\":120,\"Height\":50}{\"Width\":80,\"Height\":24}");
        await().atMost(WAIT).until(() -> exec.resizes.size() == 3);
        assertThat(exec.resizes).containsExactly(
            new TerminalSize(100, 40), new TerminalSize(120, 50), new TerminalSize(80, 24));
        await().atMost(WAIT).until(() -> client.received(1).equals("resize 100x40\nresize 120x50\nresize 80x24\n"));
        assertThat(exec.requests.get(0).tty()).isTrue();
        assertThat(exec.requests.get(0).stderr()).isFalse();
        client.send(255, new byte[] {0});
        await().atMost(WAIT).until(() -> client.received(3).equals(SUCCESS));
      }
    }

    @Test
    void v4IgnoresTheCloseSignalOfV5() throws Exception {
      try (WebSocketTestClient client = ws("/exec/default/web/main?command=cat&input=1&output=1",
          "v4.channel.k8s.io")) {
        client.send(255, new byte[] {0});
        client.send(0, "still open\n");
        await().atMost(WAIT).until(() -> client.received(1).equals("still open\n"));
        assertThat(exec.sessions.get(0).stdinClosed).isFalse();
      }
    }

    @Test
    void attachEchoesAndEndsWithSuccess() throws Exception {
      try (WebSocketTestClient client = ws("/attach/default/web/main?input=1&output=1", "v5.channel.k8s.io")) {
        client.send(0, "attached\n");
        await().atMost(WAIT).until(() -> client.received(1).equals("attached\n"));
        client.send(255, new byte[] {0});
        await().atMost(WAIT).until(() -> client.received(3).equals(SUCCESS));
        assertThat(exec.requests.get(0).command()).isEmpty();
      }
    }

    @Test
    void aSessionThatCannotStartEndsWithAnInternalErrorStatus() throws Exception {
      try (WebSocketTestClient client = ws("/exec/default/web/main?command=fail-start&output=1",
          "v5.channel.k8s.io")) {
        await().atMost(WAIT).until(() -> !client.received(3).isEmpty());
        assertThat(client.received(3)).isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":"
            + "\"Internal error occurred: error executing command in container: container main is gone\","
            + "\"reason\":\"InternalError\",\"details\":{\"causes\":[{\"message\":"
            + "\"error executing command in container: container main is gone\"}]},\"code\":500}");
      }
    }

    @Test
    void theClientGoingAwayClosesTheProviderSession() throws Exception {
      WebSocketTestClient client = ws("/exec/default/web/main?command=hang&input=1&output=1", "v5.channel.k8s.io");
      await().atMost(WAIT).until(() -> !exec.sessions.isEmpty());
      client.send(0, "x");
      await().atMost(WAIT).until(() -> client.received(1).equals("x"));
      client.close();
      await().atMost(WAIT).until(() -> exec.sessions.get(0).closed.get());
    }

    @Test
    void unsupportedSubprotocolIsRefusedWith400() throws Exception {
      String answer = rawRequest("GET /exec/default/web/main?command=ls&output=1 HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: base64.channel.k8s.io\r\n\r\n");
      assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n");
      assertThat(answer).endsWith("\r\n\r\nunable to upgrade: requested protocol(s) are not supported: "
          + "[base64.channel.k8s.io]; supports [v5.channel.k8s.io, v4.channel.k8s.io]\n");
      assertThat(exec.requests).isEmpty();
    }
  }

  @Nested
  class Spdy {

    @Test
    void v4EchoesStdinAndFinishesEveryOutputStream() throws Exception {
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=cat&input=1&output=1&error=1",
          "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io")) {
        assertThat(client.upgrade.get().status()).isEqualTo(101);
        assertThat(client.upgrade.get().headers().get("X-Stream-Protocol-Version")).isEqualTo("v4.channel.k8s.io");
        assertThat(client.upgrade.get().headers().get("Upgrade")).isEqualTo("SPDY/3.1");
        int error = client.open("error");
        int stdin = client.open("stdin");
        int stdout = client.open("stdout");
        int stderr = client.open("stderr");
        await().atMost(WAIT).until(() -> client.replied.containsAll(List.of(error, stdin, stdout, stderr)));
        // Go's SPDY framer cannot read an empty header block, so every reply carries a header.
        assertThat(client.replyTypes).containsExactlyInAnyOrder(error, stdin, stdout, stderr);

        client.send(stdin, "hello spdy\n", false);
        await().atMost(WAIT).until(() -> client.received(stdout).equals("hello spdy\n"));
        assertThat(client.windowUpdates).as("a few bytes are not acknowledged one by one").isEmpty();
        // Half a window of input is acknowledged for the stream and the session.
        String chunk = "x".repeat(SpdyStreamHandler.WINDOW_UPDATE_THRESHOLD);
        client.send(stdin, chunk, false);
        await().atMost(WAIT).until(() -> client.received(stdout).length() == 11 + chunk.length());
        await().atMost(WAIT).until(() -> client.windowUpdates.containsAll(List.of(stdin, 0)));

        client.finish(stdin);
        await().atMost(WAIT).until(() -> client.finished.containsAll(List.of(stdout, stderr, error)));
        assertThat(client.received(error)).isEqualTo(SUCCESS);
        assertThat(client.reset).contains(stdin);
        client.goAway();
        client.disconnected.get(10, TimeUnit.SECONDS);
      }
    }

    @Test
    void v4ReportsTheNonZeroExitCodeAsJson() throws Exception {
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=exit&command=7&output=1&error=1",
          "v4.channel.k8s.io")) {
        int error = client.open("error");
        int stdout = client.open("stdout");
        int stderr = client.open("stderr");
        await().atMost(WAIT).until(() -> client.finished.contains(error));
        assertThat(client.received(stdout)).isEqualTo("out\n");
        assertThat(client.received(stderr)).isEqualTo("err\n");
        assertThat(client.received(error)).isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":"
            + "\"command terminated with non-zero exit code: error executing command [exit 7], exit code 7\","
            + "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"7\"}]}}");
      }
    }

    @Test
    void v3WaitsForTheResizeStreamAndReportsFailuresAsText() throws Exception {
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=tty&input=1&output=1&tty=1",
          "v3.channel.k8s.io")) {
        assertThat(client.upgrade.get().headers().get("X-Stream-Protocol-Version")).isEqualTo("v3.channel.k8s.io");
        int error = client.open("error");
        int stdin = client.open("stdin");
        int stdout = client.open("stdout");
        await().atMost(WAIT).until(() -> client.replied.size() == 3);
        assertThat(exec.requests).as("the session waits for the resize stream").isEmpty();
        int resize = client.open("resize");
        await().atMost(WAIT).until(() -> exec.requests.size() == 1);
        client.send(resize, "{\"Width\":132,\"Height\":43}", false);
        await().atMost(WAIT).until(() -> client.received(stdout).equals("resize 132x43\n"));
        assertThat(exec.resizes).containsExactly(new TerminalSize(132, 43));
        client.finish(stdin);
        // v3 writes nothing on the error stream on success, then finishes it.
        await().atMost(WAIT).until(() -> client.finished.contains(error));
        assertThat(client.received(error)).isEmpty();
      }
    }

    @Test
    void v2SendsTheFailureMessageAsText() throws Exception {
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=exit&command=2&output=1",
          "v2.channel.k8s.io")) {
        int error = client.open("error");
        client.open("stdout");
        await().atMost(WAIT).until(() -> client.finished.contains(error));
        assertThat(client.received(error)).isEqualTo(
            "command terminated with non-zero exit code: error executing command [exit 2], exit code 2");
      }
    }

    @Test
    void outputBeyondTheInitialWindowArrivesWithoutWindowUpdates() throws Exception {
      int size = 1_000_000; // far past SPDY's 64 KiB initial window, which spdystream never replenishes
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=big&command=" + size + "&output=1",
          "v4.channel.k8s.io")) {
        int error = client.open("error");
        int stdout = client.open("stdout");
        await().atMost(WAIT).until(() -> client.finished.contains(error));
        assertThat(client.receivedBytes(stdout)).isEqualTo(size);
        assertThat(client.received(error)).isEqualTo(SUCCESS);
      }
    }

    @Test
    void answersPingsAndClosesOnGoAway() throws Exception {
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=hang&input=1&output=1",
          "v4.channel.k8s.io")) {
        client.open("error");
        client.open("stdin");
        client.open("stdout");
        client.ping(1);
        client.ping(3);
        await().atMost(WAIT).until(() -> client.pings.size() == 2);
        assertThat(client.pings).containsExactly(1, 3);
        await().atMost(WAIT).until(() -> exec.sessions.size() == 1);
        client.goAway();
        client.disconnected.get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> exec.sessions.get(0).closed.get());
      }
    }

    @Test
    void v1HalfClosesStdinAtOnceAndSendsFailuresAsText() throws Exception {
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=exit&command=4&input=1&output=1",
          "channel.k8s.io")) {
        assertThat(client.upgrade.get().headers().get("X-Stream-Protocol-Version")).isEqualTo("channel.k8s.io");
        int error = client.open("error");
        int stdin = client.open("stdin");
        client.open("stdout");
        await().atMost(WAIT).until(() -> client.finished.containsAll(List.of(stdin, error)));
        assertThat(client.received(error)).isEqualTo(
            "command terminated with non-zero exit code: error executing command [exit 4], exit code 4");
      }
    }

    @Test
    void noCommonVersionIsRefusedWith400AndTheAcceptedVersions() throws Exception {
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=ls&output=1", "v9.channel.k8s.io")) {
        SpdyTestClient.Upgrade answer = client.upgrade.get();
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers().getAll("X-Accepted-Stream-Protocol-Versions")).containsExactly(
            "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");
        assertThat(answer.body()).isEqualTo("unable to upgrade: unable to negotiate protocol: client supports "
            + "[v9.channel.k8s.io], server accepts [v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, "
            + "channel.k8s.io]\n");
        client.disconnected.get(10, TimeUnit.SECONDS);
      }
    }

    @Test
    void aRequestWithoutStreamsIsRefusedWith400() throws Exception {
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=ls", "v4.channel.k8s.io")) {
        SpdyTestClient.Upgrade answer = client.upgrade.get();
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("you must specify at least 1 of stdin, stdout, stderr\n");
        assertThat(answer.headers().get("Content-Type")).isEqualTo("text/plain; charset=utf-8");
      }
    }
  }

  @Nested
  class Limits {

    @Test
    void anIdleSessionIsClosedAfterTheIdleTimeout() throws Exception {
      server.close();
      server = new RemoteCommandTestServer(new RemoteCommandHandler(exec, Duration.ofMillis(300), 1 << 20));
      try (WebSocketTestClient client = ws("/exec/default/web/main?command=hang&input=1&output=1",
          "v5.channel.k8s.io")) {
        client.disconnected.get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> !exec.sessions.isEmpty() && exec.sessions.get(0).closed.get());
      }
    }

    @Test
    void aProviderThatIgnoresSuspensionIsEndedAtTheHardCap() throws Exception {
      server.close();
      long bound = 256 * 1024;
      server = new RemoteCommandTestServer(new RemoteCommandHandler(exec, Duration.ofHours(4), bound));
      try (WebSocketTestClient client = ws("/exec/default/web/main?command=deaf&command=500000000&output=1",
          "v5.channel.k8s.io")) {
        client.keepMessages = false;
        client.channel.config().setAutoRead(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> !exec.sessions.isEmpty()
            && exec.sessions.get(0).closed.get());
        assertThat(exec.sessions.get(0).suspends.get()).as("it was asked to suspend first").isPositive();
        assertThat(client.receivedBytes(1)).isLessThan(500_000_000);
      }
    }
  }

  /**
   * Flow control through the SPI: a fast command and a slow client meet at the client's pace, with the output held
   * in the server below the hard cap (exceeding it would end the session with an error), and input to a slow
   * provider is paced by the provider's acknowledgements.
   */
  @Nested
  class BackPressure {

    static final long FIFTY_MB = 50L * 1024 * 1024;
    /** Hard cap of these tests: 1 MiB, so the provider is suspended at 256 KiB. */
    static final long CAP = 1024 * 1024;

    @BeforeEach
    void cappedServer() throws Exception {
      server.close();
      server = new RemoteCommandTestServer(new RemoteCommandHandler(exec, Duration.ofHours(4), CAP));
    }

    @Test
    void fiftyMegabytesReachASlowWebSocketClientWithoutEndingTheSession() throws Exception {
      try (WebSocketTestClient client = ws("/exec/default/web/main?command=big&command=" + FIFTY_MB + "&output=1",
          "v5.channel.k8s.io")) {
        client.keepMessages = false;
        client.channel.pipeline().addFirst(new SlowReader(512 * 1024, 5));
        await().atMost(Duration.ofSeconds(60)).until(() -> client.closeStatus.isDone());
        assertThat(client.receivedBytes(1)).isEqualTo(FIFTY_MB);
        assertThat(client.counts.get(3)).isEqualTo(SUCCESS.length());
        assertThat(exec.sessions.get(0).suspends.get()).as("the client was slower than the command").isPositive();
        assertThat(exec.sessions.get(0).closed).as("the session ran to its end").isFalse();
      }
    }

    @Test
    void fiftyMegabytesReachASlowSpdyClientWithoutEndingTheSession() throws Exception {
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=big&command=" + FIFTY_MB + "&output=1",
          "v4.channel.k8s.io")) {
        client.countOnly.add(3); // the second stream opened: stdout
        client.channel.pipeline().addFirst(new SlowReader(512 * 1024, 5));
        int error = client.open("error");
        int stdout = client.open("stdout");
        assertThat(stdout).isEqualTo(3);
        await().atMost(Duration.ofSeconds(60)).until(() -> client.finished.contains(error));
        assertThat(client.received(error)).isEqualTo(SUCCESS);
        assertThat(client.receivedBytes(stdout)).isEqualTo(FIFTY_MB);
        assertThat(exec.sessions.get(0).suspends.get()).isPositive();
        assertThat(exec.sessions.get(0).closed).isFalse();
      }
    }

    @Test
    void aClientThatStopsReadingSuspendsTheCommandUntilItReadsAgain() throws Exception {
      try (WebSocketTestClient client = ws("/exec/default/web/main?command=big&command=" + FIFTY_MB + "&output=1",
          "v5.channel.k8s.io")) {
        client.keepMessages = false;
        client.channel.config().setAutoRead(false);
        await().atMost(WAIT).until(() -> !exec.sessions.isEmpty() && exec.sessions.get(0).suspended());
        FakeContainerExec.FakeSession session = exec.sessions.get(0);
        // Held: what the server still holds (below the cap) plus the socket buffers of both ends.
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> session.suspended() && !session.closed.get());
        assertThat(client.closeStatus).isNotDone();

        client.channel.config().setAutoRead(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> client.closeStatus.isDone());
        assertThat(client.receivedBytes(1)).isEqualTo(FIFTY_MB);
        assertThat(client.counts.get(3)).isEqualTo(SUCCESS.length());
      }
    }

    @Test
    void inputIsNotReadFasterThanTheProviderAcknowledgesIt() throws Exception {
      int total = 4 * 1024 * 1024;
      try (WebSocketTestClient client = ws("/exec/default/web/main?command=sink&input=1&output=1",
          "v5.channel.k8s.io")) {
        await().atMost(WAIT).until(() -> !exec.sessions.isEmpty());
        FakeContainerExec.FakeSession session = exec.sessions.get(0);
        byte[] piece = new byte[32 * 1024];
        for (int sent = 0; sent < total; sent += piece.length) {
          client.send(0, piece);
        }
        client.send(255, new byte[] {0});
        // The provider acknowledges nothing: the bridge stops reading past 256 KiB; one more socket read may
        // still arrive, the rest waits in the socket buffers and the client.
        long bound = ExecBridge.INPUT_HIGH_WATERMARK + 512 * 1024;
        await().atMost(WAIT).until(() -> session.unacknowledged.get() > ExecBridge.INPUT_HIGH_WATERMARK);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> session.unacknowledged.get() < bound);

        session.releaseSink();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.received(3).equals(SUCCESS));
        assertThat(session.consumed.get()).isEqualTo(total);
        assertThat(session.peakUnacknowledged.get()).isLessThan(bound);
      }
    }
  }

  @Nested
  class Timeouts {

    @BeforeEach
    void shortTimeouts() throws Exception {
      server.close();
      server = new RemoteCommandTestServer(new RemoteCommandHandler(exec, Duration.ofHours(4), 1 << 20,
          Duration.ofMillis(300), Duration.ofMillis(300)));
    }

    @Test
    void spdyStreamsNotOpenedInTimeCloseTheConnection() throws Exception {
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=cat&input=1&output=1",
          "v4.channel.k8s.io")) {
        client.open("error");
        client.open("stdout"); // stdin never comes
        client.disconnected.get(10, TimeUnit.SECONDS);
        assertThat(exec.requests).isEmpty();
      }
    }

    @Test
    void aWebSocketClientThatNeverAnswersTheCloseIsCutOff() throws Exception {
      try (WebSocketTestClient client = ws("/exec/default/web/main?command=exit&command=0&output=1",
          "v5.channel.k8s.io")) {
        client.answerClose = false;
        client.closeStatus.get(10, TimeUnit.SECONDS);
        client.disconnected.get(10, TimeUnit.SECONDS);
        assertThat(client.received(3)).isEqualTo(SUCCESS);
      }
    }

    @Test
    void aSpdyClientThatNeverClosesIsCutOffAfterTheStatus() throws Exception {
      try (SpdyTestClient client = spdy("/exec/default/web/main?command=exit&command=0&output=1",
          "v4.channel.k8s.io")) {
        int error = client.open("error");
        client.open("stdout");
        client.disconnected.get(10, TimeUnit.SECONDS);
        assertThat(client.received(error)).isEqualTo(SUCCESS);
      }
    }
  }

  @Nested
  class Tls {

    private SslContext clientSsl;

    @BeforeEach
    void tlsServer() throws Exception {
      SelfSignedCertificate certificate = new SelfSignedCertificate("127.0.0.1");
      server.close();
      server = new RemoteCommandTestServer(new RemoteCommandHandler(exec),
          SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build());
      // Trust exactly this certificate; it names the host in its CN only, so skip the SAN host check.
      clientSsl = SslContextBuilder.forClient().trustManager(certificate.certificate())
          .endpointIdentificationAlgorithm(null).build();
    }

    @Test
    void webSocketV5OverTls() throws Exception {
      try (WebSocketTestClient client = new WebSocketTestClient(clients, server.port(),
          "/exec/default/web/main?command=cat&input=1&output=1", "v5.channel.k8s.io", clientSsl)) {
        client.send(0, "secret-free hello\n");
        await().atMost(WAIT).until(() -> client.received(1).equals("secret-free hello\n"));
        client.send(255, new byte[] {0});
        await().atMost(WAIT).until(() -> client.received(3).equals(SUCCESS));
        client.disconnected.get(10, TimeUnit.SECONDS);
      }
    }

    @Test
    void spdyOverTls() throws Exception {
      try (SpdyTestClient client = new SpdyTestClient(clients, server.port(),
          "/exec/default/web/main?command=big&command=300000&output=1", List.of("v4.channel.k8s.io"), clientSsl)) {
        int error = client.open("error");
        int stdout = client.open("stdout");
        await().atMost(WAIT).until(() -> client.finished.contains(error));
        assertThat(client.receivedBytes(stdout)).isEqualTo(300_000);
        assertThat(client.received(error)).isEqualTo(SUCCESS);
      }
    }
  }

  private String rawRequest(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer); // the server closes the connection after the error
      return answer.toString(StandardCharsets.UTF_8);
    }
  }
}
