package io.ecivk.kubeletapi.remotecommand;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/** A channel-protocol WebSocket client built on Netty's client handshaker; records every binary message. */
final class WebSocketTestClient implements AutoCloseable {

  final List<byte[]> messages = new CopyOnWriteArrayList<>();
  /** Payload bytes received per channel (kept even when messages are not). */
  final AtomicLongArray counts = new AtomicLongArray(256);
  /** Whether to keep every message (off for bulk transfers: only counts are kept then). */
  volatile boolean keepMessages = true;
  final CompletableFuture<Void> handshake = new CompletableFuture<>();
  final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
  final CompletableFuture<Void> disconnected = new CompletableFuture<>();
  private final WebSocketClientHandshaker handshaker;
  final Channel channel;
  /** Whether to answer the server's close frame (a well-behaved client does). */
  volatile boolean answerClose = true;

  WebSocketTestClient(EventLoopGroup group, int port, String pathAndQuery, String subprotocols)
      throws Exception {
    this(group, port, pathAndQuery, subprotocols, null);
  }

  /** Over TLS when {@code ssl} is given. */
  WebSocketTestClient(EventLoopGroup group, int port, String pathAndQuery, String subprotocols, SslContext ssl)
      throws Exception {
    handshaker = WebSocketClientHandshakerFactory.newHandshaker(URI.create((ssl != null ? "wss" : "ws") + "://127.0.0.1:" + port + pathAndQuery),
        WebSocketVersion.V13, subprotocols, false, EmptyHttpHeaders.INSTANCE, 1 << 20);
    channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (ssl != null) {
              ch.pipeline().addLast("ssl", ssl.newHandler(ch.alloc(), "127.0.0.1", port));
            }
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                new SimpleChannelInboundHandler<Object>() {
                  @Override
                  public void channelActive(ChannelHandlerContext ctx) {
                    handshaker.handshake(ctx.channel());
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    disconnected.complete(null);
                    handshake.completeExceptionally(new IllegalStateException("closed before handshake"));
                  }

                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                    if (!handshaker.isHandshakeComplete()) {
                      try {
                        handshaker.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
                        handshake.complete(null);
                      } catch (RuntimeException e) {
                        handshake.completeExceptionally(e);
                      }
                      return;
                    }
                    if (msg instanceof BinaryWebSocketFrame frame) {
                      ByteBuf content = frame.content();
                      if (content.isReadable()) {
                        counts.addAndGet(content.getUnsignedByte(content.readerIndex()),
                            content.readableBytes() - 1);
                      }
                      if (keepMessages) {
                        messages.add(ByteBufUtil.getBytes(content));
                      }
                    } else if (msg instanceof CloseWebSocketFrame close) {
                      // Answer like gorilla/websocket does; the server closes the connection on the answer.
                      closeStatus.complete(close.statusCode());
                      if (answerClose) {
                        ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), ""));
                      }
                    } else if (msg instanceof WebSocketFrame) {
                      // pongs and text: not used by the protocol
                    }
                  }
                });
          }
        })
        .connect("127.0.0.1", port).sync().channel();
    handshake.get(10, TimeUnit.SECONDS);
  }

  String negotiated() {
    return handshaker.actualSubprotocol();
  }

  void send(int channelByte, byte[] data) {
    byte[] frame = new byte[data.length + 1];
    frame[0] = (byte) channelByte;
    System.arraycopy(data, 0, frame, 1, data.length);
    channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame)));
  }

  void send(int channelByte, String text) {
    send(channelByte, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Everything received on one channel, concatenated. */
  String received(int channelByte) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] m : messages) {
      if (m.length > 0 && (m[0] & 0xFF) == channelByte) {
        out.write(m, 1, m.length - 1);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  long receivedBytes(int channelByte) {
    return counts.get(channelByte);
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
