package io.ecivk.eci.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.UnusedEciClient;
import io.ecivk.eci.client.model.ExecContainerCommandRequest;
import io.ecivk.eci.client.model.ExecContainerCommandResponse;
import io.ecivk.spi.ContainerExec.ExecExit;
import io.ecivk.spi.ContainerExec.ExecOutput;
import io.ecivk.spi.ContainerExec.ExecRequest;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The wss:// path: a server whose certificate the JVM's trust store does not vouch for is refused, and plain ws://
 * to a non-loopback host is never dialled. Loopback only.
 */
class EciContainerExecTlsIT {

  /** Answers ExecContainerCommand with a fixed URI and counts the calls; nothing else is used. */
  private static final class FixedUriClient extends UnusedEciClient {
    private final String uri;
    final AtomicInteger calls = new AtomicInteger();

    FixedUriClient(String uri) {
      this.uri = uri;
    }

    @Override
    public ExecContainerCommandResponse execContainerCommand(ExecContainerCommandRequest request) {
      calls.incrementAndGet();
      return new ExecContainerCommandResponse("req-1", uri, null, null);
    }
  }

  private static final ExecOutput IGNORED = new ExecOutput() {
    @Override
    public void stdout(byte[] data) {}

    @Override
    public void stderr(byte[] data) {}

    @Override
    public void exited(ExecExit exit) {}
  };

  private static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u").endMetadata()
        .build();
  }

  private static ExecRequest echo() {
    return new ExecRequest(List.of("echo"), false, true, true, false, Optional.empty());
  }

  @Test
  void untrustedCertificateIsRefused() throws Exception {
    SelfSignedCertificate certificate = new SelfSignedCertificate("localhost");
    SslContext serverTls = SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              channel.pipeline().addLast(serverTls.newHandler(channel.alloc()));
            }
          })
          .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      FixedUriClient client = new FixedUriClient("wss://localhost:" + port + "/exec/?s=token");
      try (EciContainerExec exec = new EciContainerExec(client, p -> Optional.of("eci-1"), Duration.ofSeconds(5))) {
        assertThat(exec.exec(pod(), "app", echo(), IGNORED))
            .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class).havingCause()
            .isInstanceOfSatisfying(ProviderException.class, e -> {
              assertThat(e.category()).isEqualTo(ErrorCategory.TRANSIENT);
              assertThat(e.code()).isEqualTo("ExecConnectFailed");
              assertThat(e.getMessage()).doesNotContain("token");
            });
      }
      assertThat(client.calls.get()).isEqualTo(1);
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
      certificate.delete();
    }
  }

  @Test
  void plainWsToARemoteHostIsNeverDialled() {
    FixedUriClient client = new FixedUriClient("ws://192.0.2.10:80/exec/?s=token");
    try (EciContainerExec exec = new EciContainerExec(client, p -> Optional.of("eci-1"))) {
      assertThat(exec.exec(pod(), "app", echo(), IGNORED))
          .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class).havingCause()
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
            assertThat(e.code()).isEqualTo(EciContainerExec.INSECURE_URI);
          });
    }
  }
}
