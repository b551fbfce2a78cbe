package io.ecivk.kubeletapi.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;

/**
 * The kubelet API's TLS settings: TLS 1.2 and 1.3, the serving certificate, and client certificates
 * <em>requested</em> but not verified by the handshake ({@link ClientAuth#OPTIONAL} with a trust manager that
 * accepts any chain), as Go's {@code tls.RequestClientCert} does for the kubelet: a client with a bad certificate
 * still gets an HTTP answer (401, or anonymous access when enabled), and the request handler verifies the chain
 * against the client CA bundle itself. The CA bundle's subjects are announced as acceptable issuers, so clients
 * holding several certificates pick the right one.
 */
public final class ServerTls {
  private ServerTls() {}

  public static SslContext serverContext(ServingCertificate serving, List<X509Certificate> clientCa) {
    X509Certificate[] issuers = clientCa.toArray(X509Certificate[]::new);
    X509TrustManager requestOnly = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // Verified per request against the client CA bundle (ClientCertificates), not in the handshake.
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
        throw new UnsupportedOperationException("server-side trust manager");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return issuers.clone();
      }
    };
    try {
      return SslContextBuilder.forServer(serving.key(), serving.chain())
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2")
          .clientAuth(ClientAuth.OPTIONAL)
          .trustManager(requestOnly)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the kubelet API's TLS context: " + e.getMessage(), e);
    }
  }
}
