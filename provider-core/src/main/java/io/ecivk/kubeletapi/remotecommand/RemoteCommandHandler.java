package io.ecivk.kubeletapi.remotecommand;

import io.ecivk.kubeletapi.StreamTarget;
import io.ecivk.kubeletapi.StreamingHandler;
import io.ecivk.spi.ContainerExec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /exec} and {@code /attach} with the Kubernetes remote-command protocol, on the server side of
 * the {@link StreamingHandler} hand-off.
 *
 * <ul>
 *   <li>WebSocket with the binary channel subprotocols {@code v5.channel.k8s.io} (current kubectl offers it
 *       first) and {@code v4.channel.k8s.io}; the first one in the client's list that is supported is chosen, as
 *       the kubelet does. Others ({@code base64.channel.k8s.io}, {@code channel.k8s.io}, none) are refused with
 *       400 and a body naming what is supported.
 *   <li>SPDY/3.1 through {@code Connection: Upgrade}/{@code Upgrade: SPDY/3.1}, negotiating
 *       {@code X-Stream-Protocol-Version} among {@code v4.channel.k8s.io}, {@code v3.channel.k8s.io},
 *       {@code v2.channel.k8s.io} and {@code channel.k8s.io}; no common version is refused with 400 (the issue's
 *       rule; the kubelet answers 403) and {@code X-Accepted-Stream-Protocol-Versions}.
 *   <li>Query errors (no stream requested, exec without command) are answered with 400 and the kubelet's text.
 * </ul>
 *
 * <p>The connection's idle timeout becomes {@code idleTimeout} (the kubelet's streaming default is 4 hours): an
 * interactive shell is often quiet far longer than the 30 seconds a plain request gets. Reads and writes both
 * count as activity. When the client goes away the provider session is closed.
 *
 * <p>Thread-safe and stateless: one instance serves every connection; each connection gets its own handlers.
 */
public final class RemoteCommandHandler implements StreamingHandler {

  private static final Logger log = LoggerFactory.getLogger(RemoteCommandHandler.class);

  /** The kubelet's default streaming idle timeout. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(4);

  /**
   * Default hard bound on output accepted from the provider but not yet written to the client, per session. A
   * client reading slower than its command writes normally just slows the command down (the provider is suspended
   * far below this); only a provider that ignores suspension gets its session ended with an error once this much
   * is pending. At 50 sessions that worst case is 100 MiB.
   */
  public static final long DEFAULT_MAX_PENDING_OUTPUT_BYTES = 2L * 1024 * 1024;

  static final String V5 = "v5.channel.k8s.io";
  static final String V4 = "v4.channel.k8s.io";
  static final List<String> WEBSOCKET_PROTOCOLS = List.of(V5, V4);

  static final String HEADER_PROTOCOL_VERSION = "X-Stream-Protocol-Version";
  static final String HEADER_ACCEPTED_PROTOCOL_VERSIONS = "X-Accepted-Stream-Protocol-Versions";

  /** Largest WebSocket frame accepted from a client (kubectl sends stdin in 32 KiB pieces). */
  static final int MAX_WEBSOCKET_FRAME = 256 * 1024;

  /** How long the client has to open its SPDY streams (the kubelet's default). */
  static final Duration STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);

  /** How long a finished session waits for the client to close after the status (the kubelet's bound). */
  static final Duration FINISH_TIMEOUT = Duration.ofMinutes(15);

  /** Pipeline name of this package's handler once it took over. */
  static final String HANDLER_NAME = "remote-command";

  private final ContainerExec exec;
  private final Duration idleTimeout;
  private final long maxPendingOutputBytes;
  private final Duration streamCreationTimeout;
  private final Duration finishTimeout;

  /** With the kubelet's idle timeout (4 hours) and the default output bound. */
  public RemoteCommandHandler(ContainerExec exec) {
    this(exec, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_PENDING_OUTPUT_BYTES);
  }

  /**
   * @param exec the provider's exec capability
   * @param idleTimeout how long a session may see no traffic in either direction before it is closed
   * @param maxPendingOutputBytes per-session bound on output not yet written to the client
   */
  public RemoteCommandHandler(ContainerExec exec, Duration idleTimeout, long maxPendingOutputBytes) {
    this(exec, idleTimeout, maxPendingOutputBytes, STREAM_CREATION_TIMEOUT, FINISH_TIMEOUT);
  }

  /** With the protocol timeouts too (tests shorten them). */
  RemoteCommandHandler(ContainerExec exec, Duration idleTimeout, long maxPendingOutputBytes,
      Duration streamCreationTimeout, Duration finishTimeout) {
    this.streamCreationTimeout = Objects.requireNonNull(streamCreationTimeout, "streamCreationTimeout");
    this.finishTimeout = Objects.requireNonNull(finishTimeout, "finishTimeout");
    this.exec = Objects.requireNonNull(exec, "exec");
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
    if (maxPendingOutputBytes <= 0) {
      throw new IllegalArgumentException("maxPendingOutputBytes must be positive: " + maxPendingOutputBytes);
    }
    this.maxPendingOutputBytes = maxPendingOutputBytes;
  }

  @Override
  public void handle(ChannelHandlerContext ctx, HttpRequest request, StreamTarget target) {
    StreamOptions options;
    try {
      options = StreamOptions.parse(request.uri(), target.kind());
    } catch (IllegalArgumentException e) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, e.getMessage(), List.of());
      return;
    }
    if (isWebSocket(request)) {
      startWebSocket(ctx, request, target, options);
    } else {
      startSpdy(ctx, request, target, options);
    }
  }

  private static boolean isWebSocket(HttpRequest request) {
    return request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  private void startWebSocket(ChannelHandlerContext ctx, HttpRequest request, StreamTarget target,
      StreamOptions options) {
    List<String> offered = headerList(request, HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL.toString());
    Optional<String> chosen = negotiateWebSocket(offered);
    if (chosen.isEmpty()) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "unable to upgrade: requested protocol(s) are not supported: "
          + offered + "; supports " + WEBSOCKET_PROTOCOLS, List.of());
      return;
    }
    String host = Optional.ofNullable(request.headers().get(HttpHeaderNames.HOST)).orElse("localhost");
    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
        "ws://" + host + request.uri(), chosen.get(), false, MAX_WEBSOCKET_FRAME).newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ExecBridge bridge = new ExecBridge(exec, target, options, ctx.channel(), maxPendingOutputBytes);
    WebSocketStreamHandler handler = new WebSocketStreamHandler(bridge, V5.equals(chosen.get()), finishTimeout);
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.replace(IDLE, IDLE, newIdleHandler());
    pipeline.replace(KUBELET, HANDLER_NAME, handler);
    DefaultFullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
        request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
    handshaker.handshake(ctx.channel(), full).addListener(f -> {
      if (f.isSuccess()) {
        log.debug("remote command websocket established protocol={}", chosen.get());
        handler.established();
      } else {
        log.info("remote command websocket handshake failed error={}", String.valueOf(f.cause()));
        ctx.channel().close();
      }
    });
  }

  /** The first protocol in the client's list that is supported. */
  static Optional<String> negotiateWebSocket(List<String> offered) {
    return offered.stream().filter(WEBSOCKET_PROTOCOLS::contains).findFirst();
  }

  private void startSpdy(ChannelHandlerContext ctx, HttpRequest request, StreamTarget target,
      StreamOptions options) {
    List<String> offered = headerList(request, HEADER_PROTOCOL_VERSION);
    if (offered.isEmpty()) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST,
          "unable to upgrade: " + HEADER_PROTOCOL_VERSION + " is required", List.of());
      return;
    }
    Optional<SpdyProtocol> protocol = SpdyProtocol.negotiate(offered);
    List<String> accepted = Arrays.stream(SpdyProtocol.values()).map(SpdyProtocol::header).toList();
    if (protocol.isEmpty()) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "unable to upgrade: unable to negotiate protocol: client supports "
          + offered + ", server accepts " + accepted, accepted);
      return;
    }
    String connection = request.headers().get(HttpHeaderNames.CONNECTION, "").toLowerCase(Locale.ROOT);
    String upgrade = request.headers().get(HttpHeaderNames.UPGRADE, "").toLowerCase(Locale.ROOT);
    if (!connection.contains("upgrade") || !upgrade.contains("spdy/3.1")) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST,
          "unable to upgrade: missing upgrade headers in request (want Connection: Upgrade and Upgrade: SPDY/3.1)",
          List.of());
      return;
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
    response.headers()
        .set(HEADER_PROTOCOL_VERSION, protocol.get().header())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.UPGRADE, "SPDY/3.1");
    // On the event loop the response is encoded by the HTTP codec during this call, so the codec can be swapped
    // right after: no client byte can be read in between, and the client only speaks SPDY once it saw the 101.
    ctx.writeAndFlush(response).addListener(f -> {
      if (!f.isSuccess()) {
        ctx.channel().close();
      }
    });
    ExecBridge bridge = new ExecBridge(exec, target, options, ctx.channel(), maxPendingOutputBytes);
    SpdyStreamHandler handler =
        new SpdyStreamHandler(bridge, protocol.get(), streamCreationTimeout, finishTimeout);
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.replace(HTTP_CODEC, "spdy-codec", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    pipeline.replace(IDLE, IDLE, newIdleHandler());
    pipeline.replace(KUBELET, HANDLER_NAME, handler);
    log.debug("remote command spdy established protocol={}", protocol.get().header());
  }

  private IdleStateHandler newIdleHandler() {
    return new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** All values of a header, also split at commas (clients send either form). */
  private static List<String> headerList(HttpRequest request, String name) {
    List<String> values = new ArrayList<>();
    for (String value : request.headers().getAll(name)) {
      for (String part : value.split(",")) {
        String trimmed = part.trim();
        if (!trimmed.isEmpty()) {
          values.add(trimmed);
        }
      }
    }
    return values;
  }

  /** Answers with a plain-text error like Go's {@code http.Error} and closes the connection. */
  private static void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String message,
      List<String> acceptedVersions) {
    log.info("remote command refused status={} reason={}", status.code(), message);
    ByteBuf body = Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .set("X-Content-Type-Options", "nosniff")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    for (String version : acceptedVersions) {
      response.headers().add(HEADER_ACCEPTED_PROTOCOL_VERSIONS, version);
    }
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
