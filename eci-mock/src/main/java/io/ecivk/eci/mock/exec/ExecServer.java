package io.ecivk.eci.mock.exec;

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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's exec endpoint: {@code GET /exec/?s=TOKEN} upgrades to a WebSocket (framing: {@link ExecFraming})
 * and runs the session's {@link ExecProcess} on the connection's event loop; {@code GET /terminal?param=TOKEN} is
 * the stand-in for the console terminal behind HttpUrl and only tells whether the session can still be opened.
 * A token is spent by the upgrade; an unknown, spent or expired one is refused with 403 before the upgrade.
 * Flow control as a process with pipes has it: while the connection does not take more output (Netty's write
 * buffer above its high watermark), {@code seq} pauses and no more stdin is read, until the client drained it.
 * Plain {@code ws://} on the loopback address: the real service answers {@code wss://}.
 */
public final class ExecServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecServer.class);
    private static final int MAX_FRAME_BYTES = 1 << 20;
    private static final int MAX_REQUEST_BYTES = 64 << 10;

    private final ExecSessions sessions;
    private EventLoopGroup group;
    private Channel serverChannel;

    public ExecServer(ExecSessions sessions) {
        this.sessions = sessions;
    }

    /**
     * @param port 0 for a free port
     * @return the bound port
     * @throws IllegalStateException when already started or the address cannot be bound
     */
    public synchronized int start(String bindAddress, int port) {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                    .addLast(new UpgradeHandler());
                        }
                    })
                    .bind(new InetSocketAddress(bindAddress, port)).sync().channel();
        } catch (InterruptedException e) {
            shutdown();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + bindAddress + ":" + port, e);
        } catch (Exception e) {
            shutdown();
            throw new IllegalStateException("cannot listen on " + bindAddress + ":" + port + ": " + e, e);
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Closes the listener and every open session. Idempotent. */
    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        shutdown();
    }

    private void shutdown() {
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }

    /** Routes the HTTP request; on a valid exec token, upgrades and hands the connection to a session. */
    private final class UpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            if (!HttpMethod.GET.equals(request.method())) {
                respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is served here\n");
                return;
            }
            switch (uri.path()) {
                case "/exec", "/exec/" -> upgrade(ctx, request, parameter(uri, "s"));
                case "/terminal" -> terminal(ctx, parameter(uri, "param"));
                default -> respond(ctx, HttpResponseStatus.NOT_FOUND, "no such endpoint\n");
            }
        }

        private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String token) {
            if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                respond(ctx, HttpResponseStatus.BAD_REQUEST, "this URL only accepts a WebSocket upgrade\n");
                return;
            }
            Optional<ExecTarget> target = sessions.redeem(token);
            if (target.isEmpty()) {
                respond(ctx, HttpResponseStatus.FORBIDDEN, "the exec session is unknown, already used or expired\n");
                return;
            }
            String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "127.0.0.1") + request.uri();
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location,
                    String.join(",", ExecFraming.SUBPROTOCOLS), false, MAX_FRAME_BYTES).newHandshaker(request);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            Channel channel = ctx.channel();
            SessionHandler session = new SessionHandler(target.get(), handshaker);
            channel.pipeline().replace(this, "exec-session", session);
            handshaker.handshake(channel, request).addListener((ChannelFutureListener) done -> {
                if (done.isSuccess()) {
                    LOG.debug("exec session opened containerGroupId={} subprotocol={}",
                            target.get().containerGroupId(), handshaker.selectedSubprotocol());
                    session.begin(channel);
                } else {
                    channel.close();
                }
            });
        }

        private void terminal(ChannelHandlerContext ctx, String token) {
            Optional<ExecTarget> target = sessions.peek(token);
            if (target.isEmpty()) {
                respond(ctx, HttpResponseStatus.GONE, "the terminal link is unknown, used or expired\n");
            } else {
                respond(ctx, HttpResponseStatus.OK, "exec session for container " + target.get().container().name()
                        + " of " + target.get().containerGroupId() + " is ready; open its WebSocketUri\n");
            }
        }

        private String parameter(QueryStringDecoder uri, String name) {
            List<String> values = uri.parameters().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        private void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(body));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("exec endpoint connection failed: {}", cause.toString());
            ctx.close();
        }
    }

    /** One open session: frames in, process output out. Runs on the connection's event loop only. */
    private static final class SessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

        private final ExecTarget target;
        private final WebSocketServerHandshaker handshaker;
        private ExecProcess process;
        private boolean v5;

        SessionHandler(ExecTarget target, WebSocketServerHandshaker handshaker) {
            this.target = target;
            this.handshaker = handshaker;
        }

        void begin(Channel channel) {
            v5 = ExecFraming.V5.equals(handshaker.selectedSubprotocol());
            process = new ExecProcess(target, new ExecProcess.Sink() {
                @Override
                public void stdout(byte[] data) {
                    channel.writeAndFlush(new BinaryWebSocketFrame(
                            Unpooled.wrappedBuffer(ExecFraming.encode(ExecFraming.STDOUT, data))));
                }

                @Override
                public void stderr(byte[] data) {
                    channel.writeAndFlush(new BinaryWebSocketFrame(
                            Unpooled.wrappedBuffer(ExecFraming.encode(ExecFraming.STDERR, data))));
                }

                @Override
                public boolean writable() {
                    return channel.isWritable();
                }

                @Override
                public void exit(int code) {
                    channel.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(ExecFraming.exitStatus(code))));
                    channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            });
            process.start();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame) {
                if (process != null) {
                    process.abandon();
                }
                handshaker.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
                return;
            }
            if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
                return;
            }
            if (!(frame instanceof BinaryWebSocketFrame) || process == null || process.finished()) {
                return;
            }
            ExecFraming.Frame decoded;
            try {
                decoded = ExecFraming.decode(ByteBufUtil.getBytes(frame.content()));
            } catch (IllegalArgumentException e) {
                return;
            }
            switch (decoded.channel()) {
                case ExecFraming.STDIN -> {
                    process.stdin(decoded.payload());
                    if (!ctx.channel().isWritable()) {
                        // Like a process blocked on a full stdout pipe: no more stdin is read until it drains.
                        ctx.channel().config().setAutoRead(false);
                    }
                }
                case ExecFraming.RESIZE -> {
                    try {
                        process.resize(ExecFraming.parseResize(decoded.payload()));
                    } catch (IllegalArgumentException e) {
                        LOG.debug("ignoring a malformed resize message: {}", e.getMessage());
                    }
                }
                case ExecFraming.CLOSE -> {
                    byte[] payload = decoded.payload();
                    if (v5 && payload.length == 1 && payload[0] == ExecFraming.STDIN) {
                        process.closeStdin();
                    }
                }
                default -> LOG.debug("ignoring a message on channel {}", decoded.channel());
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
                if (process != null) {
                    process.outputDrained();
                }
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (process != null) {
                process.abandon();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("exec session failed containerGroupId={}: {}", target.containerGroupId(), cause.toString());
            ctx.close();
        }
    }
}
