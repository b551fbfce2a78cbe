package io.ecivk.kubeletapi;

import io.ecivk.kubeletapi.auth.KubeletAuth;
import io.ecivk.kubeletapi.tls.ServerTls;
import io.ecivk.kubeletapi.tls.ServingCertificate;
import io.fabric8.kubernetes.api.model.Pod;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual node's kubelet API: HTTPS (HTTP/1.1) on {@code bindAddress:port}, authenticated and authorized like
 * a kubelet ({@link KubeletAuth}), serving {@code /healthz}, {@code /pods}, {@code /runningpods/},
 * {@code /containerLogs}, {@code /stats/summary}, {@code /metrics/resource}, {@code /exec}, {@code /attach} and
 * {@code /portForward} (answered 501: not supported by this provider). See {@link KubeletHandler} for each
 * endpoint's behaviour.
 *
 * <p>Usage: {@code KubeletServer.builder()...build()}, then {@link #start()} (binds, returns once listening),
 * {@link #port()}, {@link #close()}. Provider capabilities ({@link io.ecivk.spi.ContainerLogs},
 * {@link io.ecivk.spi.PodStatsSource}) are discovered on the provider object with {@code instanceof}; an endpoint
 * whose capability is missing answers 501.
 *
 * <p>Threading: requests are served on Netty event loops and never block them; blocking TokenReview and
 * SubjectAccessReview calls and the rendering of stats run on a small executor of the server's own (two
 * threads), responses are written on the loop.
 */
public final class KubeletServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubeletServer.class);

  /**
   * @param pods this node's pods (e.g. the pod controller's informer cache); called on event loops, so it must
   *     answer from memory
   * @param provider the provider object; its optional capabilities are found with {@code instanceof}
   * @param streaming takes over {@code /exec} and {@code /attach}; when empty they answer 501
   * @param idleTimeout how long a keep-alive connection may sit idle between requests
   */
  public record Config(
      InetAddress bindAddress,
      int port,
      String nodeName,
      ServingCertificate servingCertificate,
      KubeletAuth.Settings auth,
      Supplier<? extends Collection<Pod>> pods,
      Object provider,
      Optional<StreamingHandler> streaming,
      Clock clock,
      Duration idleTimeout,
      int eventLoopThreads) {
    public Config {
      Objects.requireNonNull(bindAddress, "bindAddress");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      Objects.requireNonNull(nodeName, "nodeName");
      Objects.requireNonNull(servingCertificate, "servingCertificate");
      Objects.requireNonNull(auth, "auth");
      Objects.requireNonNull(pods, "pods");
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(streaming, "streaming");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (eventLoopThreads < 1) {
        throw new IllegalArgumentException("eventLoopThreads must be positive: " + eventLoopThreads);
      }
    }
  }

  private final Config config;
  private final Instant startTime;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private ExecutorService workerExecutor;
  private KubeletAuth auth;
  private Channel serverChannel;

  public KubeletServer(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    this.startTime = config.clock().instant();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Config config() {
    return config;
  }

  /** Binds and starts serving; returns once the socket listens. */
  public synchronized KubeletServer start() {
    if (serverChannel != null) {
      throw new IllegalStateException("already started");
    }
    SslContext ssl = ServerTls.serverContext(config.servingCertificate(), config.auth().clientCa());
    AtomicInteger n = new AtomicInteger();
    workerExecutor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "kubelet-api-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    auth = new KubeletAuth(config.auth(), config.clock(), workerExecutor);
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(config.eventLoopThreads(), NioIoHandler.newFactory());
    KubeletHandler.Shared shared = new KubeletHandler.Shared(config, auth, startTime, workerExecutor);
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast("ssl", ssl.newHandler(ch.alloc()))
                .addLast(StreamingHandler.HTTP_CODEC, new HttpServerCodec())
                .addLast(StreamingHandler.IDLE,
                    new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast(StreamingHandler.KUBELET, new KubeletHandler(shared));
          }
        });
    try {
      serverChannel = b.bind(new InetSocketAddress(config.bindAddress(), config.port())).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while binding the kubelet API", e);
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("cannot bind the kubelet API on " + config.bindAddress().getHostAddress()
          + ":" + config.port() + ": " + e.getMessage(), e);
    }
    log.info("event=kubelet_api_listening address={} port={} node={}", config.bindAddress().getHostAddress(),
        port(), config.nodeName());
    return this;
  }

  /** The port the server listens on (the bound one when configured with 0). */
  public int port() {
    if (serverChannel == null) {
      throw new IllegalStateException("not started");
    }
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Stops listening, closes every connection and releases the threads. Idempotent. */
  @Override
  public synchronized void close() {
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly();
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
    if (workers != null) {
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
    if (workerExecutor != null) {
      workerExecutor.shutdownNow();
    }
  }

  /** Builds a {@link Config} with the kubelet's defaults where it has them. */
  public static final class Builder {
    private InetAddress bindAddress;
    private int port = 10250;
    private String nodeName;
    private ServingCertificate servingCertificate;
    private KubeletAuth.Settings auth;
    private Supplier<? extends Collection<Pod>> pods;
    private Object provider;
    private StreamingHandler streaming;
    private Clock clock = Clock.systemUTC();
    private Duration idleTimeout = Duration.ofMinutes(5);
    private int eventLoopThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

    public Builder bindAddress(InetAddress bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    /** Default 10250; 0 picks a free port (see {@link KubeletServer#port()}). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder nodeName(String nodeName) {
      this.nodeName = nodeName;
      return this;
    }

    public Builder servingCertificate(ServingCertificate servingCertificate) {
      this.servingCertificate = servingCertificate;
      return this;
    }

    public Builder auth(KubeletAuth.Settings auth) {
      this.auth = auth;
      return this;
    }

    public Builder pods(Supplier<? extends Collection<Pod>> pods) {
      this.pods = pods;
      return this;
    }

    public Builder provider(Object provider) {
      this.provider = provider;
      return this;
    }

    public Builder streamingHandler(StreamingHandler streaming) {
      this.streaming = streaming;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    public Builder eventLoopThreads(int eventLoopThreads) {
      this.eventLoopThreads = eventLoopThreads;
      return this;
    }

    public KubeletServer build() {
      return new KubeletServer(new Config(bindAddress, port, nodeName, servingCertificate, auth, pods, provider,
          Optional.ofNullable(streaming), clock, idleTimeout, eventLoopThreads));
    }
  }
}
