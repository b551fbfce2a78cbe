package io.ecivk.kubeletapi.remotecommand;

import io.ecivk.kubeletapi.StreamTarget;
import io.ecivk.kubeletapi.StreamingHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Just enough of an API server for a real {@code kubectl exec}/{@code attach} to reach the remote-command
 * handler directly: discovery of the core group and the pod GET kubectl makes first, and the {@code pods/exec} and {@code pods/attach}
 * subresources handed to the handler with the pipeline of the {@link StreamingHandler} contract. kubectl sends the
 * pod API's parameter names ({@code stdin=true}...), which the handler accepts besides the kubelet's.
 */
final class FakeApiServer implements AutoCloseable {

  private static final String POD_PATH = "/api/v1/namespaces/default/pods/web";

  static final Pod POD = new PodBuilder().withNewMetadata().withNamespace("default").withName("web")
      .endMetadata().withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
      .withNewStatus().withPhase("Running").endStatus().build();

  final List<String> requests = new CopyOnWriteArrayList<>();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  private final boolean tls;

  FakeApiServer(StreamingHandler handler) throws InterruptedException {
    this(handler, null);
  }

  /** With TLS when {@code ssl} is given (the {@code ssl} handler first, as the kubelet API server has it). */
  FakeApiServer(StreamingHandler handler, SslContext ssl) throws InterruptedException {
    this.tls = ssl != null;
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
                    if (!(msg instanceof HttpRequest request)) {
                      return;
                    }
                    requests.add(request.method() + " " + request.uri());
                    String path = new QueryStringDecoder(request.uri()).path();
                    if (path.equals(POD_PATH + "/exec")) {
                      handler.handle(ctx, request, new StreamTarget(StreamTarget.Kind.EXEC, POD, "main"));
                    } else if (path.equals(POD_PATH + "/attach")) {
                      handler.handle(ctx, request, new StreamTarget(StreamTarget.Kind.ATTACH, POD, "main"));
                    } else if (path.equals(POD_PATH)) {
                      answer(ctx, HttpResponseStatus.OK, Serialization.asJson(POD));
                    } else if (path.equals("/api")) {
                      answer(ctx, HttpResponseStatus.OK, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
                          + "\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\","
                          + "\"serverAddress\":\"127.0.0.1\"}]}");
                    } else if (path.equals("/apis")) {
                      answer(ctx, HttpResponseStatus.OK,
                          "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
                    } else if (path.equals("/api/v1")) {
                      answer(ctx, HttpResponseStatus.OK, "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\","
                          + "\"resources\":[{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,"
                          + "\"kind\":\"Pod\",\"verbs\":[\"get\",\"list\"],\"shortNames\":[\"po\"]},"
                          + "{\"name\":\"pods/exec\",\"singularName\":\"\",\"namespaced\":true,\"kind\":"
                          + "\"PodExecOptions\",\"verbs\":[\"create\",\"get\"]},{\"name\":\"pods/attach\","
                          + "\"singularName\":\"\",\"namespaced\":true,\"kind\":\"PodAttachOptions\","
                          + "\"verbs\":[\"create\",\"get\"]}]}");
                    } else {
                      answer(ctx, HttpResponseStatus.NOT_FOUND, "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                          + "\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
                    }
                  }
                });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  private static void answer(ChannelHandlerContext ctx, HttpResponseStatus status, String json) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  String url() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
