package io.ecivk.eci.exec;

import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.EciErrorClassifier;
import io.ecivk.eci.client.model.ExecContainerCommandRequest;
import io.ecivk.eci.client.model.ExecContainerCommandResponse;
import io.ecivk.spi.ContainerExec;
import io.ecivk.spi.PodKey;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerExec} on ECI.
 *
 * <p><b>Exec.</b> Asks ECI's {@code ExecContainerCommand} for a session ({@code Command} as a JSON array, {@code TTY},
 * {@code Stdin}). The call runs on this class's own executor, never the caller's thread. The answer's single-use
 * {@code WebSocketUri} is then opened with Netty, and stdin, stdout, stderr, resize and the exit status are
 * bridged. The session's framing is undocumented; {@link RemoteCommandFraming} holds our assumption, and it is the
 * only place that knows it. The future completes once the WebSocket handshake is done. From then on, output
 * arrives on the connection's event loop, in order, one call at a time, and {@link ExecOutput#exited} is called
 * exactly once. If the future fails, nothing is called on {@code output}. Flow control: {@link
 * ExecSession#suspendOutput} turns off reading from the session's WebSocket (auto-read), and {@link
 * ExecSession#stdin}'s stage completes when the input frame was written to the socket.
 *
 * <p><b>Transport security.</b> {@code wss://} is verified against the JVM's default trust store, with host name
 * checking. Plain {@code ws://} is accepted only for loopback addresses (the ECI simulator in tests). Any other
 * {@code ws://} URI fails with {@code INVALID_REQUEST} code {@value #INSECURE_URI} and is never dialled.
 *
 * <p><b>Attach.</b> ECI has no API to attach to a container's main process. Emulating attach with an exec that
 * reads {@code /proc/1/fd/1} would be worse than refusing. PID 1 of an ECI instance need not be the container's
 * process. Reading the write end of the runtime's log pipe would also steal output from the log collector, and it
 * could never reach the process's stdin. This is also where other virtual-kubelet-based serverless container
 * services stop: Volcengine VCI documents {@code kubectl attach} as unsupported, and the original alibabacloud-eci
 * provider left it unimplemented. So {@link #attach} fails at once with {@code INVALID_REQUEST} code
 * {@value #ATTACH_NOT_SUPPORTED}, and the message points to {@code kubectl logs -f} and {@code kubectl exec}.
 *
 * <p>Errors: ECI's answers are classified by {@link EciErrorClassifier}. A group that is not running
 * ({@code IncorrectStatus}) is {@code TRANSIENT}. An unknown group or container is {@code NOT_FOUND}. A refused or
 * broken WebSocket is {@code TRANSIENT}, because a new ExecContainerCommand gives a new URI. The class owns one
 * event loop group and one executor, both released by {@link #close}.
 */
public final class EciContainerExec implements ContainerExec, AutoCloseable {
  public static final String ATTACH_NOT_SUPPORTED = "AttachNotSupported";
  public static final String INSECURE_URI = "InsecureExecUri";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final String ACTION = "ExecContainerCommand";
  private static final int MAX_FRAME_BYTES = 1 << 20;
  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
  private static final Logger LOG = LoggerFactory.getLogger(EciContainerExec.class);

  /** Finds the container group running a pod incarnation. */
  @FunctionalInterface
  public interface GroupLocator {
    Optional<String> containerGroupId(Pod pod);
  }

  private final EciClient client;
  private final GroupLocator locator;
  private final ExecutorService executor;
  private final EventLoopGroup group;
  /** Built on first use of a wss:// URI: loading the trust store is not free, and tests never need it. */
  private SslContext ssl;
  private final Duration connectTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  public EciContainerExec(EciClient client, GroupLocator locator) {
    this(client, locator, DEFAULT_CONNECT_TIMEOUT);
  }

  public EciContainerExec(EciClient client, GroupLocator locator, Duration connectTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.locator = Objects.requireNonNull(locator, "locator");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "eci-exec-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // Daemon threads, created on first use: an agent that exits without closing the provider must not hang.
    this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("eci-exec-io", true),
        NioIoHandler.newFactory());
  }

  @Override
  public CompletableFuture<ExecSession> exec(Pod pod, String container, ExecRequest request, ExecOutput output) {
    Objects.requireNonNull(output, "output");
    String problem = ExecContainerCommandRequest.commandProblem(request.command());
    if (problem != null) {
      return CompletableFuture.failedFuture(
          new ProviderException(ErrorCategory.INVALID_REQUEST, "InvalidCommand", problem));
    }
    Optional<String> groupId = locator.containerGroupId(pod);
    if (groupId.isEmpty()) {
      return CompletableFuture.failedFuture(new ProviderException(ErrorCategory.NOT_FOUND, "ContainerGroupNotFound",
          "pod " + PodKey.of(pod) + " has no ECI container group on this node"));
    }
    CompletableFuture<ExecSession> ready = new CompletableFuture<>();
    ExecContainerCommandRequest call = ExecContainerCommandRequest.builder(groupId.get(), container, request.command())
        .tty(request.tty())
        .stdin(request.stdin())
        .build();
    try {
      executor.execute(() -> start(call, request, output, ready));
    } catch (RejectedExecutionException e) {
      ready.completeExceptionally(new ProviderException(ErrorCategory.TRANSIENT, "ExecClosed",
          "the ECI exec bridge is shut down"));
    }
    return ready;
  }

  @Override
  public CompletableFuture<ExecSession> attach(Pod pod, String container, ExecRequest request, ExecOutput output) {
    return CompletableFuture.failedFuture(new ProviderException(ErrorCategory.INVALID_REQUEST, ATTACH_NOT_SUPPORTED,
        "attach is not supported on ECI: ECI has no API to attach to a container's main process; use "
            + "'kubectl logs -f' to follow its output or 'kubectl exec' to run a command in it"));
  }

  /** Releases the event loop and the executor; sessions still open are closed. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      executor.shutdownNow();
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
  }

  /** On the executor: asks ECI for the session, then dials it. */
  private void start(ExecContainerCommandRequest call, ExecRequest request, ExecOutput output,
      CompletableFuture<ExecSession> ready) {
    try {
      ExecContainerCommandResponse answer = client.execContainerCommand(call);
      URI uri = checkedUri(answer.webSocketUri());
      boolean secure = uri.getScheme().equalsIgnoreCase("wss");
      int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
      // Resolved here, on the executor: Netty's default resolver would block the event loop.
      InetAddress address = InetAddress.getByName(uri.getHost());
      connect(uri, secure, new InetSocketAddress(address, port), call, request, output, ready);
    } catch (ProviderException e) {
      ready.completeExceptionally(e);
    } catch (UnknownHostException e) {
      ready.completeExceptionally(new ProviderException(ErrorCategory.TRANSIENT, "ExecConnectFailed",
          "cannot resolve the ECI exec endpoint: " + e.getMessage(), null, null, e));
    } catch (RuntimeException e) {
      ready.completeExceptionally(EciErrorClassifier.classify(ACTION, e));
    }
  }

  /** The session URI, if it is one we may dial; the token in its query is never put in a message. */
  static URI checkedUri(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new ProviderException(ErrorCategory.TRANSIENT, "MalformedResponse",
          ACTION + " answered without a WebSocketUri");
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new ProviderException(ErrorCategory.TRANSIENT, "MalformedResponse",
          ACTION + " answered an unreadable WebSocketUri");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("wss") || scheme.equals("ws"))) {
      throw new ProviderException(ErrorCategory.TRANSIENT, "MalformedResponse",
          ACTION + " answered a WebSocketUri that is not ws:// or wss:// with a host");
    }
    if (scheme.equals("ws") && !isLoopback(uri.getHost())) {
      throw new ProviderException(ErrorCategory.INVALID_REQUEST, INSECURE_URI,
          ACTION + " answered a plain ws:// URI for " + uri.getHost()
              + "; exec sessions are only opened over wss:// (plain ws:// only on loopback)");
    }
    return uri;
  }

  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.equalsIgnoreCase("localhost") || IPV4_LOOPBACK.matcher(h).matches() || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  private synchronized SslContext ssl() {
    if (ssl == null) {
      try {
        ssl = SslContextBuilder.forClient().build(); // the JVM's default trust store
      } catch (SSLException e) {
        throw new ProviderException(ErrorCategory.TRANSIENT, "ExecTlsUnavailable",
            "cannot set up TLS for exec sessions: " + e.getMessage(), null, null, e);
      }
    }
    return ssl;
  }

  private void connect(URI uri, boolean secure, InetSocketAddress address, ExecContainerCommandRequest call,
      ExecRequest request, ExecOutput output, CompletableFuture<ExecSession> ready) {
    WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri,
        WebSocketVersion.V13, String.join(",", RemoteCommandFraming.SUBPROTOCOLS), false, new DefaultHttpHeaders(),
        MAX_FRAME_BYTES);
    SessionHandler session = new SessionHandler(handshaker, call, request, output, ready);
    SslContext tlsContext = secure ? ssl() : null;
    new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            if (secure) {
              int port = address.getPort();
              SslHandler tls = tlsContext.newHandler(channel.alloc(), uri.getHost(), port);
              SSLEngine engine = tls.engine();
              SSLParameters parameters = engine.getSSLParameters();
              parameters.setEndpointIdentificationAlgorithm("HTTPS");
              engine.setSSLParameters(parameters);
              channel.pipeline().addLast(tls);
            }
            channel.pipeline()
                .addLast(new HttpClientCodec())
                .addLast(new HttpObjectAggregator(64 << 10))
                .addLast(session);
          }
        })
        .connect(address)
        .addListener((ChannelFutureListener) connected -> {
          if (!connected.isSuccess()) {
            ready.completeExceptionally(new ProviderException(ErrorCategory.TRANSIENT, "ExecConnectFailed",
                "cannot connect to the ECI exec endpoint " + uri.getHost() + ": " + connected.cause(), null, null,
                connected.cause()));
          }
        });
  }

  /**
   * One connection: finishes the handshake, then turns frames into output. Everything here runs on the
   * connection's event loop, which makes the output calls sequential.
   */
  private static final class SessionHandler extends SimpleChannelInboundHandler<Object> {
    private final WebSocketClientHandshaker handshaker;
    private final ExecContainerCommandRequest call;
    private final ExecRequest request;
    private final ExecOutput output;
    private final CompletableFuture<ExecSession> ready;
    private ExecExit exit;
    private boolean exited;
    private volatile boolean closedByClient;

    SessionHandler(WebSocketClientHandshaker handshaker, ExecContainerCommandRequest call, ExecRequest request,
        ExecOutput output, CompletableFuture<ExecSession> ready) {
      this.handshaker = handshaker;
      this.call = call;
      this.request = request;
      this.output = output;
      this.ready = ready;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      handshaker.handshake(ctx.channel());
      ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object message) {
      Channel channel = ctx.channel();
      if (!handshaker.isHandshakeComplete()) {
        if (message instanceof FullHttpResponse response) {
          try {
            handshaker.finishHandshake(channel, response);
          } catch (RuntimeException e) {
            refused("ECI refused the exec session (HTTP " + response.status().code() + ")");
            channel.close();
            return;
          }
          opened(channel);
        }
        return;
      }
      if (message instanceof BinaryWebSocketFrame || message instanceof TextWebSocketFrame) {
        frame(ByteBufUtil.getBytes(((WebSocketFrame) message).content()));
      } else if (message instanceof PingWebSocketFrame ping) {
        channel.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (message instanceof CloseWebSocketFrame) {
        channel.close();
      }
    }

    private void opened(Channel channel) {
      String subprotocol = handshaker.actualSubprotocol();
      LOG.debug("exec session open containerGroupId={} container={} tty={} subprotocol={}",
          call.containerGroupId(), call.containerName(), request.tty(), subprotocol);
      Session session = new Session(channel, request, RemoteCommandFraming.canCloseStdin(subprotocol), this);
      if (request.tty() && request.initialSize().isPresent()) {
        session.resize(request.initialSize().get());
      }
      if (!ready.complete(session)) {
        // The caller gave up waiting: nobody will ever read this session, and its output hears nothing.
        exited = true;
        channel.close();
      }
    }

    private void frame(byte[] message) {
      RemoteCommandFraming.Frame frame;
      try {
        frame = RemoteCommandFraming.decode(message);
      } catch (IllegalArgumentException e) {
        return;
      }
      if (exited) {
        return;
      }
      switch (frame.channel()) {
        // Streams the client did not ask for are dropped here, not sent on to it.
        case RemoteCommandFraming.STDOUT -> {
          if (request.stdout()) {
            output.stdout(frame.payload());
          }
        }
        case RemoteCommandFraming.STDERR -> {
          if (request.stderr()) {
            output.stderr(frame.payload());
          }
        }
        case RemoteCommandFraming.ERROR -> exit = RemoteCommandFraming.exitOf(frame.payload());
        default -> LOG.debug("ignoring an exec message on channel {}", frame.channel());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!handshaker.isHandshakeComplete()) {
        refused("the ECI exec endpoint closed the connection during the handshake");
      } else if (!exited) {
        exited = true;
        ExecExit how = exit != null ? exit
            : closedByClient ? ExecExit.failure("the exec session was closed by the client")
            : ExecExit.failure("ECI closed the exec session without an exit status");
        LOG.debug("exec session ended containerGroupId={} container={} exitCode={}", call.containerGroupId(),
            call.containerName(), how.exitCode().map(String::valueOf).orElse("-"));
        output.exited(how);
      }
      ctx.fireChannelInactive();
    }

    private void refused(String why) {
      ready.completeExceptionally(new ProviderException(ErrorCategory.TRANSIENT, "ExecSessionRefused", why));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("exec session failed containerGroupId={}: {}", call.containerGroupId(), cause.toString());
      if (!handshaker.isHandshakeComplete()) {
        ready.completeExceptionally(new ProviderException(ErrorCategory.TRANSIENT, "ExecConnectFailed",
            "the exec session to ECI failed: " + cause, null, null, cause));
      }
      ctx.close();
    }
  }

  /** The caller's side. Thread-safe: Netty's writes are; calls after the end find the channel inactive. */
  private static final class Session implements ExecSession {
    private final Channel channel;
    private final ExecRequest request;
    private final boolean canCloseStdin;
    private final SessionHandler handler;

    Session(Channel channel, ExecRequest request, boolean canCloseStdin, SessionHandler handler) {
      this.channel = channel;
      this.request = request;
      this.canCloseStdin = canCloseStdin;
      this.handler = handler;
    }

    /** Completes once the frame was written to ECI's socket: while that socket is full, the caller waits. */
    @Override
    public CompletionStage<Void> stdin(byte[] data) {
      if (!request.stdin() || data.length == 0 || !channel.isActive()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> sent = new CompletableFuture<>();
      channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(RemoteCommandFraming.stdin(data))))
          .addListener(done -> sent.complete(null)); // a failed write ends the session: reported by exited
      return sent;
    }

    /**
     * Stops reading from ECI's WebSocket: its TCP window closes and ECI stops sending, which is how the command's
     * output slows down to the client's pace. Frames already read are still delivered.
     */
    @Override
    public void suspendOutput() {
      channel.config().setAutoRead(false);
    }

    @Override
    public void resumeOutput() {
      channel.config().setAutoRead(true);
    }

    @Override
    public void closeStdin() {
      if (!request.stdin()) {
        return;
      }
      if (canCloseStdin) {
        send(RemoteCommandFraming.closeStdin());
      } else {
        LOG.debug("end of stdin cannot be signalled: ECI did not accept {}", RemoteCommandFraming.V5);
      }
    }

    @Override
    public void resize(TerminalSize size) {
      if (request.tty()) {
        send(RemoteCommandFraming.resize(size));
      }
    }

    @Override
    public void close() {
      handler.closedByClient = true;
      if (channel.isActive()) {
        channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
            .addListener(ChannelFutureListener.CLOSE);
      }
    }

    private void send(byte[] message) {
      if (channel.isActive()) {
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message)));
      }
    }
  }
}
