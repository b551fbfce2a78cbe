package io.ecivk.kubeletapi.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication and authorization of kubelet API requests, as the kubelet does them.
 *
 * <p>Authentication tries, in order: the TLS client certificate (verified against the client CA bundle; user =
 * subject CN, groups = subject O values), the bearer token (TokenReview, cached per SHA-256 of the token, never
 * the token itself, for {@link Settings#tokenCacheTtl}, authenticated and unauthenticated answers alike),
 * then anonymous ({@code system:anonymous} in {@code system:unauthenticated}) when enabled. A credential that
 * fails falls through to the next, as in the kubelet's union authenticator.
 *
 * <p>Authorization: SubjectAccessReview with {@link RequestAttributes}, allowed decisions cached for
 * {@link Settings#allowedCacheTtl}, denied ones for {@link Settings#deniedCacheTtl}; failed calls are not cached.
 *
 * <p>Threading: the futures complete on the auth executor (blocking review calls run there) or at once on the
 * caller's thread when a cache or the certificate answered; callers hop back to their event loop.
 */
public final class KubeletAuth {
  private static final Logger log = LoggerFactory.getLogger(KubeletAuth.class);
  private static final int MAX_CACHE_ENTRIES = 10_000;

  /**
   * @param clientCa the client CA bundle; empty disables x509 authentication
   * @param tokenReviewer empty disables bearer tokens
   * @param accessReviewer empty means always allow (the kubelet's {@code AlwaysAllow} mode; for tests and
   *     clusters that do not want delegated authorization)
   */
  public record Settings(
      List<X509Certificate> clientCa,
      Optional<TokenReviewer> tokenReviewer,
      Optional<AccessReviewer> accessReviewer,
      boolean anonymousEnabled,
      Duration tokenCacheTtl,
      Duration allowedCacheTtl,
      Duration deniedCacheTtl) {
    public Settings {
      clientCa = List.copyOf(clientCa);
      Objects.requireNonNull(tokenReviewer, "tokenReviewer");
      Objects.requireNonNull(accessReviewer, "accessReviewer");
      Objects.requireNonNull(tokenCacheTtl, "tokenCacheTtl");
      Objects.requireNonNull(allowedCacheTtl, "allowedCacheTtl");
      Objects.requireNonNull(deniedCacheTtl, "deniedCacheTtl");
    }

    /** The kubelet's defaults: no anonymous access, tokens cached 2 minutes, decisions 5 minutes / 30 seconds. */
    public static Settings kubeletDefaults(
        List<X509Certificate> clientCa, Optional<TokenReviewer> tokens, Optional<AccessReviewer> access) {
      return new Settings(clientCa, tokens, access, false, Duration.ofMinutes(2), Duration.ofMinutes(5),
          Duration.ofSeconds(30));
    }
  }

  /** Outcome of an authorization: allowed, denied, or the authorizer failed. */
  public enum Decision {
    ALLOW,
    DENY,
    ERROR
  }

  private record DecisionKey(UserInfo user, String verb, String subresource, String name) {}

  private final Settings settings;
  private final Executor executor;
  private final ClientCertificates certificates;
  private final TtlCache<String, Optional<UserInfo>> tokenCache;
  private final TtlCache<DecisionKey, Boolean> decisionCache;

  public KubeletAuth(Settings settings, Clock clock, Executor executor) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.certificates = new ClientCertificates(settings.clientCa(), clock);
    this.tokenCache = new TtlCache<>(clock, MAX_CACHE_ENTRIES);
    this.decisionCache = new TtlCache<>(clock, MAX_CACHE_ENTRIES);
  }

  /**
   * Who sent the request; empty means 401.
   *
   * @param peerChain the TLS client's certificate chain, leaf first; empty when it sent none
   * @param authorization the {@code Authorization} header, if any
   */
  public CompletableFuture<Optional<UserInfo>> authenticate(
      List<X509Certificate> peerChain, Optional<String> authorization) {
    if (!peerChain.isEmpty()) {
      Optional<UserInfo> user = certificates.verify(peerChain);
      if (user.isPresent()) {
        return CompletableFuture.completedFuture(user);
      }
    }
    Optional<String> token = authorization.flatMap(KubeletAuth::bearerToken);
    if (token.isPresent() && settings.tokenReviewer().isPresent()) {
      String key = sha256(token.get());
      Optional<Optional<UserInfo>> cached = tokenCache.get(key);
      if (cached.isPresent()) {
        return CompletableFuture.completedFuture(orAnonymous(cached.get()));
      }
      TokenReviewer reviewer = settings.tokenReviewer().get();
      String t = token.get();
      return CompletableFuture.supplyAsync(() -> {
        try {
          Optional<UserInfo> user = reviewer.review(t);
          tokenCache.put(key, user, settings.tokenCacheTtl());
          return orAnonymous(user);
        } catch (Exception e) {
          log.warn("event=token_review_failed error={}", e.toString());
          return orAnonymous(Optional.empty());
        }
      }, executor);
    }
    return CompletableFuture.completedFuture(orAnonymous(Optional.empty()));
  }

  private Optional<UserInfo> orAnonymous(Optional<UserInfo> user) {
    if (user.isPresent()) {
      return user;
    }
    return settings.anonymousEnabled() ? Optional.of(UserInfo.ANONYMOUS) : Optional.empty();
  }

  /** Whether {@code user} may do what {@code attrs} describe. */
  public CompletableFuture<Decision> authorize(UserInfo user, RequestAttributes attrs) {
    if (settings.accessReviewer().isEmpty()) {
      return CompletableFuture.completedFuture(Decision.ALLOW);
    }
    DecisionKey key = new DecisionKey(user, attrs.verb(), attrs.subresource(), attrs.nodeName());
    Optional<Boolean> cached = decisionCache.get(key);
    if (cached.isPresent()) {
      return CompletableFuture.completedFuture(cached.get() ? Decision.ALLOW : Decision.DENY);
    }
    AccessReviewer reviewer = settings.accessReviewer().get();
    return CompletableFuture.supplyAsync(() -> {
      try {
        boolean allowed = reviewer.allowed(user, attrs);
        decisionCache.put(key, allowed, allowed ? settings.allowedCacheTtl() : settings.deniedCacheTtl());
        return allowed ? Decision.ALLOW : Decision.DENY;
      } catch (Exception e) {
        log.warn("event=access_review_failed user={} verb={} subresource={} error={}", user.name(), attrs.verb(),
            attrs.subresource(), e.toString());
        return Decision.ERROR;
      }
    }, executor);
  }

  /** The token of a {@code Bearer} authorization header (scheme case-insensitive, as Go's kubelet accepts). */
  static Optional<String> bearerToken(String header) {
    String h = header.trim();
    if (h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = h.substring(7).trim();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
    return Optional.empty();
  }

  static String sha256(String token) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
