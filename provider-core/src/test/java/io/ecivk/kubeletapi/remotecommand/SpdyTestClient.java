package io.ecivk.kubeletapi.remotecommand;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.codec.spdy.SpdyWindowUpdateFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A SPDY/3.1 remote-command client shaped like Kubernetes' (moby/spdystream): it upgrades with
 * {@code X-Stream-Protocol-Version}, opens one stream per channel with a {@code streamtype} header, and never
 * sends WINDOW_UPDATE.
 */
final class SpdyTestClient implements AutoCloseable {

  /** The answer to the upgrade request. */
  record Upgrade(int status, HttpHeaders headers, String body) {}

  final CompletableFuture<Upgrade> upgrade = new CompletableFuture<>();
  final Map<Integer, ByteArrayOutputStream> data = new ConcurrentHashMap<>();
  /** Data bytes received per stream (kept even when the data is not). */
  final Map<Integer, AtomicLong> counts = new ConcurrentHashMap<>();
  /** Streams whose data is only counted, not kept (bulk transfers). */
  final Set<Integer> countOnly = ConcurrentHashMap.newKeySet();
  final Set<Integer> replied = ConcurrentHashMap.newKeySet();
  final Set<Integer> replyTypes = ConcurrentHashMap.newKeySet();
  final Set<Integer> finished = ConcurrentHashMap.newKeySet();
  final Set<Integer> reset = ConcurrentHashMap.newKeySet();
  final List<Integer> pings = new CopyOnWriteArrayList<>();
  final List<Integer> windowUpdates = new CopyOnWriteArrayList<>();
  final CompletableFuture<Void> disconnected = new CompletableFuture<>();
  final Channel channel;
  private int nextStream = 1;

  SpdyTestClient(EventLoopGroup group, int port, String pathAndQuery, List<String> versions) throws Exception {
    this(group, port, pathAndQuery, versions, null);
  }

  /** Over TLS when {@code ssl} is given. */
  SpdyTestClient(EventLoopGroup group, int port, String pathAndQuery, List<String> versions, SslContext ssl)
      throws Exception {
    channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (ssl != null) {
              ch.pipeline().addLast("ssl", ssl.newHandler(ch.alloc(), "127.0.0.1", port));
            }
            ch.pipeline().addLast("http", new HttpClientCodec()).addLast("aggregator", new HttpObjectAggregator(1 << 16))
                .addLast("client", new SimpleChannelInboundHandler<Object>() {
                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    disconnected.complete(null);
                    upgrade.completeExceptionally(new IllegalStateException("closed before the upgrade answer"));
                  }

                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof FullHttpResponse response) {
                      if (response.status().code() == 101) {
                        ctx.pipeline().remove("aggregator");
                        ctx.pipeline().replace("http", "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
                      }
                      upgrade.complete(new Upgrade(response.status().code(), response.headers().copy(),
                          response.content().toString(StandardCharsets.UTF_8)));
                    } else if (msg instanceof SpdySynReplyFrame reply) {
                      replied.add(reply.streamId());
                      if (reply.headers().contains("streamtype")) {
                        replyTypes.add(reply.streamId());
                      }
                    } else if (msg instanceof SpdyDataFrame frame) {
                      counts.computeIfAbsent(frame.streamId(), id -> new AtomicLong())
                          .addAndGet(frame.content().readableBytes());
                      if (!countOnly.contains(frame.streamId())) {
                        data.computeIfAbsent(frame.streamId(), id -> new ByteArrayOutputStream())
                            .writeBytes(ByteBufUtil.getBytes(frame.content()));
                      }
                      if (frame.isLast()) {
                        finished.add(frame.streamId());
                      }
                    } else if (msg instanceof SpdyRstStreamFrame rst) {
                      reset.add(rst.streamId());
                    } else if (msg instanceof SpdyPingFrame ping) {
                      pings.add(ping.id());
                    } else if (msg instanceof SpdyWindowUpdateFrame update) {
                      windowUpdates.add(update.streamId());
                    }
                  }
                });
          }
        })
        .connect("127.0.0.1", port).sync().channel();
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, pathAndQuery,
        Unpooled.EMPTY_BUFFER);
    request.headers().set("Host", "127.0.0.1:" + port).set("Connection", "Upgrade").set("Upgrade", "SPDY/3.1")
        .set("Content-Length", 0);
    for (String version : versions) {
      request.headers().add("X-Stream-Protocol-Version", version);
    }
    channel.writeAndFlush(request);
    upgrade.get(10, TimeUnit.SECONDS);
  }

  /** Opens a stream of the given type; returns its id. Runs on the event loop so ids stay in order. */
  int open(String type) throws Exception {
    return channel.eventLoop().submit(() -> {
      int id = nextStream;
      nextStream += 2;
      DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
      syn.headers().set("streamtype", type);
      channel.writeAndFlush(syn);
      return id;
    }).get(5, TimeUnit.SECONDS);
  }

  void send(int stream, String text, boolean fin) {
    DefaultSpdyDataFrame frame =
        new DefaultSpdyDataFrame(stream, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    frame.setLast(fin);
    channel.writeAndFlush(frame);
  }

  void finish(int stream) {
    channel.writeAndFlush(new DefaultSpdyDataFrame(stream).setLast(true));
  }

  void ping(int id) {
    channel.writeAndFlush(new DefaultSpdyPingFrame(id));
  }

  void goAway() {
    channel.writeAndFlush(new DefaultSpdyGoAwayFrame(nextStream - 2));
  }

  String received(int stream) {
    ByteArrayOutputStream out = data.get(stream);
    return out == null ? "" : out.toString(StandardCharsets.UTF_8);
  }

  long receivedBytes(int stream) {
    AtomicLong n = counts.get(stream);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
