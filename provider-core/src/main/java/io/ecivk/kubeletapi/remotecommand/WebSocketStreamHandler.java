package io.ecivk.kubeletapi.remotecommand;

import io.ecivk.spi.ContainerExec.TerminalSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of a session, for the binary channel protocols {@code v4.channel.k8s.io} and
 * {@code v5.channel.k8s.io}: every message starts with a channel byte (0 stdin, 1 stdout, 2 stderr, 3 error,
 * 4 resize); v5 adds 255, a close signal whose payload is the channel to close (used to end stdin).
 *
 * <p>Like the kubelet, the server first sends an empty message on the lowest channel it writes (stdout, else
 * stderr, else error) so the client knows the session is established. At the end it sends the status on the
 * error channel, then a close frame, and closes the connection when the client answers it (or after
 * {@code finishTimeout}), so output in flight is not cut off by a reset.
 *
 * <p>A message split into continuation frames keeps the channel of its first frame; resize payloads are read as
 * a JSON stream, so they may be split or joined in any way.
 */
final class WebSocketStreamHandler extends ChannelInboundHandlerAdapter implements ExecBridge.Transport {

  private static final Logger log = LoggerFactory.getLogger(WebSocketStreamHandler.class);

  static final int STDIN = 0;
  static final int ERROR = 3;
  static final int RESIZE = 4;
  static final int CLOSE_SIGNAL = 255;

  /** Largest output message payload; bigger chunks are split. */
  static final int MAX_OUTPUT_FRAME = 32 * 1024;

  private final ExecBridge bridge;
  private final boolean v5;
  private final Duration finishTimeout;
  private final ResizeDecoder resizeDecoder = new ResizeDecoder();
  private ChannelHandlerContext ctx;
  private int continuationChannel = -1;
  private boolean closeSent;
  private ScheduledFuture<?> finishTimer;

  WebSocketStreamHandler(ExecBridge bridge, boolean v5, Duration finishTimeout) {
    this.bridge = bridge;
    this.v5 = v5;
    this.finishTimeout = finishTimeout;
    bridge.transport(this);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Called once the handshake response went out. */
  void established() {
    StreamOptions options = bridge.options();
    int first = options.stdout() ? ExecBridge.STDOUT : options.stderr() ? ExecBridge.STDERR : ERROR;
    ctx.writeAndFlush(frame(first, new byte[0], 0, 0));
    bridge.start();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpObject) {
        return; // the rest of the upgrade request (an empty last content)
      }
      if (msg instanceof BinaryWebSocketFrame frame) {
        ByteBuf content = frame.content();
        if (!content.isReadable()) {
          return;
        }
        int channel = content.readUnsignedByte();
        continuationChannel = frame.isFinalFragment() ? -1 : channel;
        onData(channel, content, frame.isFinalFragment());
      } else if (msg instanceof ContinuationWebSocketFrame frame) {
        int channel = continuationChannel;
        if (frame.isFinalFragment()) {
          continuationChannel = -1;
        }
        if (channel >= 0) {
          onData(channel, frame.content(), frame.isFinalFragment());
        }
      } else if (msg instanceof PingWebSocketFrame ping) {
        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (msg instanceof CloseWebSocketFrame) {
        if (closeSent) {
          ctx.close();
        } else {
          closeSent = true;
          ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
              .addListener(ChannelFutureListener.CLOSE);
        }
      } else if (msg instanceof WebSocketFrame) {
        log.debug("remote command ignoring text frame on a binary protocol");
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onData(int channel, ByteBuf content, boolean last) {
    switch (channel) {
      case STDIN -> {
        if (content.isReadable()) {
          bridge.stdin(ByteBufUtil.getBytes(content));
        }
      }
      case RESIZE -> {
        for (TerminalSize size : resizeDecoder.feed(ByteBufUtil.getBytes(content))) {
          bridge.resize(size);
        }
      }
      case CLOSE_SIGNAL -> {
        if (v5 && content.isReadable() && content.readUnsignedByte() == STDIN) {
          bridge.closeStdin();
        }
      }
      default -> log.debug("remote command ignoring data for channel={}", channel);
    }
  }

  @Override
  public ChannelFuture writeOutput(int stream, byte[] data) {
    ChannelFuture last = null;
    for (int offset = 0; offset < data.length; offset += MAX_OUTPUT_FRAME) {
      int length = Math.min(MAX_OUTPUT_FRAME, data.length - offset);
      last = ctx.write(frame(stream, data, offset, length));
    }
    ctx.flush();
    return last;
  }

  @Override
  public void finish(RemoteCommandStatus status) {
    byte[] json = status.json().getBytes(StandardCharsets.UTF_8);
    ctx.write(frame(ERROR, json, 0, json.length));
    closeSent = true;
    ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
    finishTimer = ctx.executor().schedule(() -> {
      ctx.close();
    }, finishTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static BinaryWebSocketFrame frame(int channel, byte[] data, int offset, int length) {
    ByteBuf buf = Unpooled.buffer(1 + length);
    buf.writeByte(channel);
    buf.writeBytes(data, offset, length);
    return new BinaryWebSocketFrame(buf);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      log.info("remote command idle timeout; closing");
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (finishTimer != null) {
      finishTimer.cancel(false);
    }
    bridge.channelClosed();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("remote command websocket error; closing error={}", cause.toString());
    ctx.close();
  }
}
