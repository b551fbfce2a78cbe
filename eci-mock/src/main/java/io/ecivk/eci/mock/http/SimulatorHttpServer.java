package io.ecivk.eci.mock.http;

import io.ecivk.eci.mock.api.ApiDispatcher;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty HTTP/1.1 server. The aggregator de-chunks the SDK's {@code Transfer-Encoding: chunked} empty body and
 * answers {@code Expect: 100-continue}; bodies above 1 MiB are refused with 413 (API parameters travel in the URL).
 * It only ever accepts connections; it never opens one.
 */
public final class SimulatorHttpServer implements AutoCloseable {

    private static final int MAX_BODY_BYTES = 1 << 20;
    /** URLs carry every API parameter; a 20-container group easily exceeds Netty's 4 KiB default line length. */
    private static final int MAX_INITIAL_LINE_BYTES = 1 << 20;
    private static final int MAX_HEADER_BYTES = 64 << 10;
    private static final int EVENT_LOOP_THREADS = 2;

    private final ApiHttpHandler handler;
    private EventLoopGroup group;
    private Channel serverChannel;

    public SimulatorHttpServer(ApiDispatcher dispatcher) {
        this.handler = new ApiHttpHandler(dispatcher);
    }

    /**
     * Binds and starts accepting.
     *
     * @param port 0 to let the OS choose a free port
     * @return the bound port
     * @throws IllegalStateException when already started, or the address cannot be bound
     */
    public synchronized int start(String bindAddress, int port) {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, NioIoHandler.newFactory());
        try {
            serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                    .addLast(new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES,
                                            MAX_BODY_BYTES))
                                    .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                                    .addLast(handler);
                        }
                    })
                    .bind(new InetSocketAddress(bindAddress, port)).sync().channel();
        } catch (InterruptedException e) {
            shutdownGroup();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + bindAddress + ":" + port, e);
        } catch (Exception e) {
            // Netty rethrows bind failures (java.net.BindException) without declaring them.
            shutdownGroup();
            throw new IllegalStateException("cannot listen on " + bindAddress + ":" + port + ": " + e, e);
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting, closes open connections and releases the event loop threads. Idempotent. */
    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        shutdownGroup();
    }

    private void shutdownGroup() {
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }
}
