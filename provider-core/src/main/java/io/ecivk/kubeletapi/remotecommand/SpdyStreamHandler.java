package io.ecivk.kubeletapi.remotecommand;

import io.ecivk.spi.ContainerExec.TerminalSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SPDY/3.1 side of a session, after the {@code 101 Switching Protocols}: the client opens one stream per
 * channel, named by its {@code streamType} header ({@code error}, {@code stdin}, {@code stdout},
 * {@code stderr}, {@code resize}); the server answers each with a SYN_REPLY and starts the session once all the
 * streams the request implies arrived (error always; stdin/stdout/stderr as requested; resize with a TTY from
 * v3 on), or closes the connection if they did not within the stream-creation timeout.
 *
 * <p>Session-level frames are handled here rather than by Netty's {@code SpdySessionHandler}: pings from the
 * client are echoed and a GOAWAY closes the connection. Flow control: the server acknowledges the bytes it
 * receives with WINDOW_UPDATE frames (stream and session, every {@value #WINDOW_UPDATE_THRESHOLD} bytes), so a
 * flow-controlled client never stalls, but it
 * does not hold its output to the client's window: Kubernetes' SPDY client (moby/spdystream) never sends
 * WINDOW_UPDATE, so a server that honoured the window would stop after 64 KiB. Output memory is bounded by
 * {@link ExecBridge} instead (it suspends the provider while the socket does not take the output), and data
 * frames stay at {@value #MAX_DATA_FRAME} bytes, so a client that does keep a window (and replenishes it as it
 * reads) is not overrun.
 *
 * <p>At the end, as the current kubelet does: input streams are reset, the status goes on the error stream
 * (JSON from v4, the bare message on failure before), the output streams are finished, and the connection is
 * closed when the client closes it or sends GOAWAY, or after {@code finishTimeout}.
 */
final class SpdyStreamHandler extends ChannelInboundHandlerAdapter implements ExecBridge.Transport {

  private static final Logger log = LoggerFactory.getLogger(SpdyStreamHandler.class);

  static final int MAX_DATA_FRAME = 16 * 1024;

  /**
   * Received bytes are acknowledged once this many are unacknowledged on a stream or the session: half of the
   * 64 KiB initial window SPDY/3.1 gives the sender (this server announces no other), so a flow-controlled
   * client always has room, and typing in a shell does not cost two frames per key.
   */
  static final int WINDOW_UPDATE_THRESHOLD = 32 * 1024;
  static final String STREAM_TYPE = "streamtype";

  private final ExecBridge bridge;
  private final SpdyProtocol protocol;
  private final Duration streamCreationTimeout;
  private final Duration finishTimeout;
  private final ResizeDecoder resizeDecoder = new ResizeDecoder();
  private ChannelHandlerContext ctx;

  private int errorStream;
  private int stdinStream;
  private int stdoutStream;
  private int stderrStream;
  private int resizeStream;
  private int lastClientStream;
  private int unackedSession;
  private final Map<Integer, Integer> unackedStreams = new HashMap<>();
  private boolean started;
  private boolean finishing;
  private ScheduledFuture<?> timer;

  SpdyStreamHandler(ExecBridge bridge, SpdyProtocol protocol, Duration streamCreationTimeout, Duration finishTimeout) {
    this.bridge = bridge;
    this.protocol = protocol;
    this.streamCreationTimeout = streamCreationTimeout;
    this.finishTimeout = finishTimeout;
    bridge.transport(this);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    timer = ctx.executor().schedule(() -> {
      if (!started) {
        log.info("remote command timed out waiting for client to create streams; closing");
        ctx.close();
      }
    }, streamCreationTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpObject) {
        return; // the rest of the upgrade request (an empty last content)
      }
      if (msg instanceof SpdySynStreamFrame syn) {
        onSynStream(syn);
      } else if (msg instanceof SpdyDataFrame data) {
        onData(data);
      } else if (msg instanceof SpdyRstStreamFrame rst) {
        if (rst.streamId() == stdinStream) {
          bridge.closeStdin();
        }
      } else if (msg instanceof SpdyPingFrame ping) {
        if ((ping.id() & 1) == 1) { // client-initiated pings have odd ids; even ones would be answers to ours
          ctx.writeAndFlush(new DefaultSpdyPingFrame(ping.id()));
        }
      } else if (msg instanceof SpdyGoAwayFrame) {
        log.debug("remote command client sent GOAWAY; closing");
        ctx.close();
      }
      // SETTINGS, WINDOW_UPDATE (see the class comment), HEADERS: nothing to do.
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onSynStream(SpdySynStreamFrame syn) {
    int id = syn.streamId();
    if ((id & 1) == 0 || id <= lastClientStream) {
      ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
      return;
    }
    lastClientStream = id;
    String type = Optional.ofNullable(syn.headers().getAsString(STREAM_TYPE)).orElse("").toLowerCase(Locale.ROOT);
    // Go's SPDY framer cannot read a reply with an empty header block (Netty encodes no headers as zero bytes),
    // so the reply echoes the stream type.
    SpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(id);
    reply.headers().set(STREAM_TYPE, type);
    ctx.writeAndFlush(reply);
    switch (type) {
      case "error" -> errorStream = id;
      case "stdin" -> stdinStream = id;
      case "stdout" -> stdoutStream = id;
      case "stderr" -> stderrStream = id;
      case "resize" -> resizeStream = id;
      default -> log.info("remote command unexpected stream type={}", type);
    }
    if (syn.isLast() && id == stdinStream) {
      bridge.closeStdin();
    }
    maybeStart();
  }

  private void maybeStart() {
    StreamOptions options = bridge.options();
    boolean complete = errorStream != 0
        && (!options.stdin() || stdinStream != 0)
        && (!options.stdout() || stdoutStream != 0)
        && (!options.stderr() || stderrStream != 0)
        && (!options.tty() || !protocol.supportsResize() || resizeStream != 0);
    if (started || !complete) {
      return;
    }
    started = true;
    timer.cancel(false);
    if (protocol == SpdyProtocol.V1 && stdinStream != 0) {
      // Protocol v1 servers half-close stdin at once (what 1.0 kubelets did); clients of v1 expect it.
      ctx.writeAndFlush(new DefaultSpdyDataFrame(stdinStream).setLast(true));
    }
    bridge.start();
  }

  private void onData(SpdyDataFrame data) {
    int id = data.streamId();
    ByteBuf content = data.content();
    int length = content.readableBytes();
    if (length > 0) {
      acknowledge(id, length, data.isLast());
    }
    if (id == stdinStream && id != 0) {
      if (length > 0) {
        bridge.stdin(ByteBufUtil.getBytes(content));
      }
      if (data.isLast()) {
        bridge.closeStdin();
      }
    } else if (id == resizeStream && id != 0 && length > 0) {
      for (TerminalSize size : resizeDecoder.feed(ByteBufUtil.getBytes(content))) {
        bridge.resize(size);
      }
    }
  }

  /** Gives the window back: input is handed to the session without being held here. */
  private void acknowledge(int id, int length, boolean streamEnded) {
    boolean flush = false;
    int stream = unackedStreams.merge(id, length, Integer::sum);
    if (streamEnded) {
      unackedStreams.remove(id); // a half-closed stream needs no more window
    } else if (stream >= WINDOW_UPDATE_THRESHOLD) {
      unackedStreams.remove(id);
      ctx.write(new DefaultSpdyWindowUpdateFrame(id, stream));
      flush = true;
    }
    unackedSession += length;
    if (unackedSession >= WINDOW_UPDATE_THRESHOLD) {
      ctx.write(new DefaultSpdyWindowUpdateFrame(0, unackedSession));
      unackedSession = 0;
      flush = true;
    }
    if (flush) {
      ctx.flush();
    }
  }

  @Override
  public ChannelFuture writeOutput(int stream, byte[] data) {
    int id = stream == ExecBridge.STDOUT ? stdoutStream : stderrStream;
    return writeData(id, data);
  }

  private ChannelFuture writeData(int id, byte[] data) {
    ChannelFuture last = null;
    for (int offset = 0; offset < data.length; offset += MAX_DATA_FRAME) {
      int length = Math.min(MAX_DATA_FRAME, data.length - offset);
      last = ctx.write(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(data, offset, length)));
    }
    ctx.flush();
    return last;
  }

  @Override
  public void finish(RemoteCommandStatus status) {
    finishing = true;
    for (int id : new int[] {stdinStream, resizeStream}) {
      if (id != 0) {
        ctx.write(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
      }
    }
    if (errorStream != 0) {
      Optional<String> payload = protocol.jsonStatus() ? Optional.of(status.json()) : status.legacyText();
      payload.ifPresent(text -> writeData(errorStream, text.getBytes(StandardCharsets.UTF_8)));
    }
    for (int id : new int[] {stdoutStream, stderrStream, errorStream}) {
      if (id != 0) {
        ctx.write(new DefaultSpdyDataFrame(id).setLast(true));
      }
    }
    ctx.flush();
    timer = ctx.executor().schedule(() -> {
      ctx.close();
    }, finishTimeout.toMillis(), TimeUnit.MILLISECONDS);
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
    if (timer != null) {
      timer.cancel(false);
    }
    bridge.channelClosed();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("remote command spdy error; closing error={} finishing={}", cause.toString(), finishing);
    ctx.close();
  }
}
