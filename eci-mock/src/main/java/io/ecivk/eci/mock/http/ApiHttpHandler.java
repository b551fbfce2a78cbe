package io.ecivk.eci.mock.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.ecivk.eci.mock.api.ApiCall;
import io.ecivk.eci.mock.api.ApiDispatcher;
import io.ecivk.eci.mock.api.ApiResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts aggregated HTTP requests to the {@link ApiDispatcher} and writes its JSON answers, honouring keep-alive.
 * The dispatcher only touches memory, so it runs directly on the event loop. Stateless and shared by all channels.
 */
@ChannelHandler.Sharable
final class ApiHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHttpHandler.class);
    /** HTML escaping off: answers are read by SDKs, not browsers, and should look like the service's. */
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final ApiDispatcher dispatcher;

    ApiHttpHandler(ApiDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            ApiResponse malformed = dispatcher.error(UUID.randomUUID().toString().toUpperCase(Locale.ROOT), 400,
                    "InvalidParameter", "The HTTP request is malformed.");
            write(ctx, malformed, false);
            return;
        }
        String uri = request.uri();
        int question = uri.indexOf('?');
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(header ->
                headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
        ApiCall call = new ApiCall(request.method().name(), question < 0 ? uri : uri.substring(0, question),
                question < 0 ? "" : uri.substring(question + 1), headers, ByteBufUtil.getBytes(request.content()));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        ApiDispatcher.Outcome outcome = dispatcher.handle(call);
        Runnable answer = outcome.reset() ? () -> reset(ctx) : () -> write(ctx, outcome.response(), keepAlive);
        long delayNanos = outcome.delay().toNanos();
        if (delayNanos > 0) {
            // Injected latency: the write is scheduled on the channel's own event loop, which stays free meanwhile.
            ctx.executor().schedule(answer, delayNanos, TimeUnit.NANOSECONDS);
        } else {
            answer.run();
        }
    }

    /** Closes the connection without answering; SO_LINGER 0 makes the close an RST rather than a FIN. */
    private static void reset(ChannelHandlerContext ctx) {
        try {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            LOG.debug("cannot set SO_LINGER 0 before the injected reset: {}", e.toString());
        }
        ctx.close();
    }

    private static void write(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
        byte[] body = GSON.toJson(answer.body()).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json;charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set("x-acs-request-id", answer.requestId());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing connection from {} after an I/O error: {}", ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
