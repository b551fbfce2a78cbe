package io.ecivk.agent.webhook;

import io.ecivk.kubeletapi.tls.ServingCertificate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's HTTPS endpoint: {@code POST /mutate-pods} (AdmissionReview in, AdmissionReview out) and
 * {@code GET /healthz}. The {@link AdmissionHandler} only reads memory, so requests are answered on the event
 * loop. TLS 1.2/1.3 with the serving certificate; the API server does not present a client certificate unless
 * configured to, and none is asked for.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  public static final String PATH = "/mutate-pods";
  /** The API server caps request bodies at 3 MiB; an AdmissionReview carries the object twice at most. */
  private static final int MAX_BODY = 8 * 1024 * 1024;

  private final InetAddress bindAddress;
  private final int port;
  private final ServingCertificate certificate;
  private final AdmissionHandler handler;
  private EventLoopGroup group;
  private Channel serverChannel;

  public WebhookServer(InetAddress bindAddress, int port, ServingCertificate certificate, AdmissionHandler handler) {
    this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("webhook port must be 0-65535, got " + port);
    }
    this.port = port;
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /** Binds and returns once listening. */
  public synchronized WebhookServer start() {
    if (serverChannel != null) {
      throw new IllegalStateException("already started");
    }
    SslContext ssl;
    try {
      ssl = SslContextBuilder.forServer(certificate.key(), certificate.chain())
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2")
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the webhook's TLS context: " + e.getMessage(), e);
    }
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(ssl.newHandler(ch.alloc()))
                // The API server keeps connections alive between reviews; drop idle ones after a while.
                .addLast(new ReadTimeoutHandler(120, TimeUnit.SECONDS))
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(MAX_BODY))
                .addLast(new Handler());
          }
        });
    try {
      serverChannel = b.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while binding the webhook", e);
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("cannot bind the webhook on " + bindAddress.getHostAddress() + ":" + port
          + ": " + e.getMessage(), e);
    }
    LOG.info("event=webhook_listening address={} port={} path={}", bindAddress.getHostAddress(), port(), PATH);
    return this;
  }

  /** The bound port (the real one when configured with 0). */
  public int port() {
    if (serverChannel == null) {
      throw new IllegalStateException("not started");
    }
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  @Override
  public synchronized void close() {
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String path = new QueryStringDecoder(req.uri()).path();
      FullHttpResponse resp;
      if (path.equals("/healthz") && HttpMethod.GET.equals(req.method())) {
        resp = text(HttpResponseStatus.OK, "ok");
      } else if (!path.equals(PATH)) {
        resp = text(HttpResponseStatus.NOT_FOUND, "not found");
      } else if (!HttpMethod.POST.equals(req.method())) {
        resp = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "POST only");
      } else {
        try {
          byte[] out = handler.handle(ByteBufUtil.getBytes(req.content()));
          resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(out));
          resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        } catch (AdmissionHandler.BadReview e) {
          resp = text(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (RuntimeException e) {
          LOG.error("event=webhook_error error={}", e.toString(), e);
          resp = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
      }
      resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      HttpUtil.setKeepAlive(resp, keepAlive);
      var f = ctx.writeAndFlush(resp);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("event=webhook_connection_error remote={} error={}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return r;
  }
}
