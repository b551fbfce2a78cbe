package io.ecivk.kubeletapi.remotecommand;

import io.ecivk.kubeletapi.StreamTarget;
import io.ecivk.kubeletapi.StreamingHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A minimal stand-in for the kubelet API server: the pipeline of the {@link StreamingHandler} contract
 * ({@code http-codec}, {@code idle} at 30 seconds, {@code kubelet}) on plain HTTP or TLS over loopback, handing every
 * request under {@code /exec/} or {@code /attach/} to the handler under test.
 */
final class RemoteCommandTestServer implements AutoCloseable {

  static final Pod POD = new PodBuilder().withNewMetadata().withNamespace("default").withName("web")
      .endMetadata().withNewSpec().addNewContainer().withName("main").endContainer().endSpec().build();

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  RemoteCommandTestServer(StreamingHandler handler) throws InterruptedException {
    this(handler, null);
  }

  /** With TLS when {@code ssl} is given: the {@code ssl} handler first, as the kubelet API server has it. */
  RemoteCommandTestServer(StreamingHandler handler, SslContext ssl) throws InterruptedException {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (ssl != null) {
              ch.pipeline().addLast("ssl", ssl.newHandler(ch.alloc()));
            }
            ch.pipeline()
                .addLast(StreamingHandler.HTTP_CODEC, new HttpServerCodec())
                .addLast(StreamingHandler.IDLE, new IdleStateHandler(0, 0, 30, TimeUnit.SECONDS))
                .addLast(StreamingHandler.KUBELET, new SimpleChannelInboundHandler<HttpObject>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                    if (msg instanceof HttpRequest request) {
                      StreamTarget.Kind kind = request.uri().startsWith("/attach/")
                          ? StreamTarget.Kind.ATTACH : StreamTarget.Kind.EXEC;
                      handler.handle(ctx, request, new StreamTarget(kind, POD, "main"));
                    }
                  }
                });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
