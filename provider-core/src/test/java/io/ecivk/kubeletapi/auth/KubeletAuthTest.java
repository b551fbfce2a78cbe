package io.ecivk.kubeletapi.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.kubeletapi.auth.KubeletAuth.Decision;
import io.ecivk.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KubeletAuthTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final List<String> reviewedTokens = new ArrayList<>();
  private final List<String> reviewedAccess = new ArrayList<>();
  private final AtomicBoolean allow = new AtomicBoolean(true);
  private final AtomicBoolean failReviews = new AtomicBoolean(false);

  private final TokenReviewer tokens = token -> {
    reviewedTokens.add(token);
    if (failReviews.get()) {
      throw new IllegalStateException("api server down");
    }
    return token.equals("good") ? Optional.of(new UserInfo("bob", "u-1", List.of("g1"), Map.of()))
        : Optional.empty();
  };
  private final AccessReviewer access = (user, attrs) -> {
    reviewedAccess.add(user.name() + " " + attrs.verb() + " " + attrs.subresource());
    if (failReviews.get()) {
      throw new IllegalStateException("api server down");
    }
    return allow.get();
  };

  private KubeletAuth auth(boolean anonymous) {
    var s = KubeletAuth.Settings.kubeletDefaults(List.of(), Optional.of(tokens), Optional.of(access));
    s = new KubeletAuth.Settings(s.clientCa(), s.tokenReviewer(), s.accessReviewer(), anonymous,
        s.tokenCacheTtl(), s.allowedCacheTtl(), s.deniedCacheTtl());
    return new KubeletAuth(s, clock, Runnable::run);
  }

  private static Optional<UserInfo> join(java.util.concurrent.CompletableFuture<Optional<UserInfo>> f) {
    return f.join();
  }

  @Test
  void kubeletDefaults() {
    var s = KubeletAuth.Settings.kubeletDefaults(List.of(), Optional.empty(), Optional.empty());
    assertThat(s.anonymousEnabled()).isFalse();
    assertThat(s.tokenCacheTtl()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.allowedCacheTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.deniedCacheTtl()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void noCredentialsIsUnauthenticatedUnlessAnonymousIsEnabled() {
    assertThat(join(auth(false).authenticate(List.of(), Optional.empty()))).isEmpty();
    assertThat(join(auth(true).authenticate(List.of(), Optional.empty()))).contains(UserInfo.ANONYMOUS);
    assertThat(UserInfo.ANONYMOUS.name()).isEqualTo("system:anonymous");
    assertThat(UserInfo.ANONYMOUS.groups()).containsExactly("system:unauthenticated");
  }

  @Test
  void bearerTokenIsReviewedOnceAndCachedForTwoMinutes() {
    KubeletAuth auth = auth(false);
    assertThat(join(auth.authenticate(List.of(), Optional.of("Bearer good")))).map(UserInfo::name).contains("bob");
    clock.advance(Duration.ofSeconds(119));
    assertThat(join(auth.authenticate(List.of(), Optional.of("bearer good")))).map(UserInfo::name).contains("bob");
    assertThat(reviewedTokens).containsExactly("good");
    clock.advance(Duration.ofSeconds(1));
    assertThat(join(auth.authenticate(List.of(), Optional.of("Bearer good")))).isPresent();
    assertThat(reviewedTokens).containsExactly("good", "good");
  }

  @Test
  void aRefusedTokenIsCachedTooAndFallsThroughToAnonymousWhenEnabled() {
    KubeletAuth auth = auth(false);
    assertThat(join(auth.authenticate(List.of(), Optional.of("Bearer bad")))).isEmpty();
    assertThat(join(auth.authenticate(List.of(), Optional.of("Bearer bad")))).isEmpty();
    assertThat(reviewedTokens).containsExactly("bad");
    assertThat(join(auth(true).authenticate(List.of(), Optional.of("Bearer bad")))).contains(UserInfo.ANONYMOUS);
  }

  @Test
  void aFailedTokenReviewIsNotCached() {
    KubeletAuth auth = auth(false);
    failReviews.set(true);
    assertThat(join(auth.authenticate(List.of(), Optional.of("Bearer good")))).isEmpty();
    failReviews.set(false);
    assertThat(join(auth.authenticate(List.of(), Optional.of("Bearer good")))).isPresent();
    assertThat(reviewedTokens).containsExactly("good", "good");
  }

  @Test
  void nonBearerSchemesAreIgnored() {
    assertThat(KubeletAuth.bearerToken("Basic Ym9iOnB3")).isEmpty();
    assertThat(KubeletAuth.bearerToken("Bearer ")).isEmpty();
    assertThat(KubeletAuth.bearerToken("Bearer  abc ")).contains("abc");
    assertThat(KubeletAuth.sha256("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void allowedDecisionsAreCachedFiveMinutes() {
    KubeletAuth auth = auth(false);
    UserInfo bob = UserInfo.of("bob", List.of());
    RequestAttributes stats = RequestAttributes.of("GET", "/stats/summary", "n");
    assertThat(auth.authorize(bob, stats).join()).isEqualTo(Decision.ALLOW);
    allow.set(false);
    clock.advance(Duration.ofMinutes(5).minusSeconds(1));
    assertThat(auth.authorize(bob, RequestAttributes.of("GET", "/stats/other", "n")).join())
        .isEqualTo(Decision.ALLOW);
    assertThat(reviewedAccess).containsExactly("bob get stats");
    clock.advance(Duration.ofSeconds(1));
    assertThat(auth.authorize(bob, stats).join()).isEqualTo(Decision.DENY);
    assertThat(reviewedAccess).hasSize(2);
  }

  @Test
  void deniedDecisionsAreCachedThirtySecondsAndKeyedOnVerbAndSubresource() {
    KubeletAuth auth = auth(false);
    allow.set(false);
    UserInfo bob = UserInfo.of("bob", List.of());
    assertThat(auth.authorize(bob, RequestAttributes.of("GET", "/pods", "n")).join()).isEqualTo(Decision.DENY);
    allow.set(true);
    clock.advance(Duration.ofSeconds(29));
    assertThat(auth.authorize(bob, RequestAttributes.of("GET", "/pods", "n")).join()).isEqualTo(Decision.DENY);
    assertThat(auth.authorize(bob, RequestAttributes.of("POST", "/exec/a/b/c", "n")).join())
        .isEqualTo(Decision.ALLOW);
    assertThat(auth.authorize(UserInfo.of("bob", List.of("admins")), RequestAttributes.of("GET", "/pods", "n"))
        .join()).isEqualTo(Decision.ALLOW);
    clock.advance(Duration.ofSeconds(1));
    assertThat(auth.authorize(bob, RequestAttributes.of("GET", "/pods", "n")).join()).isEqualTo(Decision.ALLOW);
    assertThat(reviewedAccess).containsExactly("bob get proxy", "bob create proxy", "bob get proxy",
        "bob get proxy");
  }

  @Test
  void aFailedAccessReviewIsAnErrorAndNotCached() {
    KubeletAuth auth = auth(false);
    failReviews.set(true);
    UserInfo bob = UserInfo.of("bob", List.of());
    assertThat(auth.authorize(bob, RequestAttributes.of("GET", "/pods", "n")).join()).isEqualTo(Decision.ERROR);
    failReviews.set(false);
    assertThat(auth.authorize(bob, RequestAttributes.of("GET", "/pods", "n")).join()).isEqualTo(Decision.ALLOW);
  }

  @Test
  void withoutAnAccessReviewerEverythingIsAllowed() {
    var s = KubeletAuth.Settings.kubeletDefaults(List.of(), Optional.empty(), Optional.empty());
    assertThat(new KubeletAuth(s, clock, Runnable::run).authorize(UserInfo.ANONYMOUS,
        RequestAttributes.of("POST", "/exec/a/b/c", "n")).join()).isEqualTo(Decision.ALLOW);
  }
}
