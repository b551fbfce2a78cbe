package io.ecivk.kubeletapi.remotecommand;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * Put first in a client's pipeline, makes it a slow reader: after every {@code burstBytes} received from the socket
 * it stops reading for {@code pauseMillis}, so a server writing faster sees its socket fill up.
 */
final class SlowReader extends ChannelInboundHandlerAdapter {

  private final int burstBytes;
  private final long pauseMillis;
  private long sinceLastPause;

  SlowReader(int burstBytes, long pauseMillis) {
    this.burstBytes = burstBytes;
    this.pauseMillis = pauseMillis;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      sinceLastPause += buf.readableBytes();
      if (sinceLastPause >= burstBytes) {
        sinceLastPause = 0;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> {
          ctx.channel().config().setAutoRead(true);
        }, pauseMillis, TimeUnit.MILLISECONDS);
      }
    }
    ctx.fireChannelRead(msg);
  }
}
