package io.ecivk.eci.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of an {@link EciClient}.
 *
 * @param endpoint the ECI endpoint, e.g. {@code https://eci.cn-hangzhou.aliyuncs.com} or, for the simulator,
 *     {@code http://127.0.0.1:18080}; the scheme picks the protocol
 * @param regionId the region every request is sent for, e.g. {@code cn-hangzhou}
 * @param credentials how requests are signed
 * @param connectTimeout TCP connect timeout
 * @param readTimeout how long to wait for a response once connected
 */
public record EciClientConfig(
    URI endpoint, String regionId, EciCredentials credentials, Duration connectTimeout, Duration readTimeout) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);

  public EciClientConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException("ECI endpoint must be http:// or https://, got " + endpoint);
    }
    if (endpoint.getHost() == null) {
      throw new IllegalArgumentException("ECI endpoint has no host: " + endpoint);
    }
    if (endpoint.getPath() != null && !endpoint.getPath().isEmpty() && !"/".equals(endpoint.getPath())) {
      throw new IllegalArgumentException("ECI endpoint must not have a path: " + endpoint);
    }
    if (regionId == null || regionId.isBlank()) {
      throw new IllegalArgumentException("regionId must not be blank");
    }
    Objects.requireNonNull(credentials, "credentials");
    connectTimeout = positive(connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout, "connectTimeout");
    readTimeout = positive(readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout, "readTimeout");
  }

  /** The public endpoint of a region, as Alibaba Cloud names it. */
  public static URI publicEndpoint(String regionId) {
    return URI.create("https://eci." + regionId + ".aliyuncs.com");
  }

  public static EciClientConfig of(URI endpoint, String regionId, EciCredentials credentials) {
    return new EciClientConfig(endpoint, regionId, credentials, null, null);
  }

  /** {@code host} or {@code host:port}, the form the signing library expects (and signs as the Host header). */
  String hostAndPort() {
    return endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
  }

  private static Duration positive(Duration d, String name) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }
}
