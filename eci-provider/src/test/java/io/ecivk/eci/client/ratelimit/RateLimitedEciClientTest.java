package io.ecivk.eci.client.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.client.UnusedEciClient;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.CreateContainerGroupResponse;
import io.ecivk.eci.client.model.DeleteContainerGroupRequest;
import io.ecivk.eci.client.model.DeleteContainerGroupResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse;
import io.ecivk.eci.client.model.DescribeRegionsRequest;
import io.ecivk.eci.client.model.DescribeRegionsResponse;
import io.ecivk.eci.client.model.UpdateContainerGroupRequest;
import io.ecivk.eci.client.model.UpdateContainerGroupResponse;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The client-side limiter on a stepped clock: literal sequences of allowed and denied calls. */
class RateLimitedEciClientTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final CountingClient delegate = new CountingClient();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  private RateLimitedEciClient limited(RateLimits limits, Duration maxWait) {
    return new RateLimitedEciClient(delegate, limits, clock, maxWait, sleeps::add);
  }

  @Test
  void publishedDefaults() {
    RateLimits d = RateLimits.defaults();
    assertThat(d.forAction("CreateContainerGroup")).isEqualTo(new RateLimit(100, Duration.ofMillis(50)));
    assertThat(d.forAction("DeleteContainerGroup")).isEqualTo(new RateLimit(100, Duration.ofMillis(50)));
    // 2000 a minute: 200 at once, 1800 more spread over the minute
    assertThat(d.forAction("DescribeContainerGroupStatus")).isEqualTo(new RateLimit(200, Duration.ofNanos(33_333_333)));
    assertThat(d.forAction("DescribeContainerGroups")).isEqualTo(new RateLimit(200, Duration.ofNanos(33_333_333)));
    assertThat(d.forAction("DescribeRegions")).isEqualTo(new RateLimit(200, Duration.ofNanos(33_333_333)));
    // 500 a minute: 50 at once, 450 more spread over the minute (one every 133 ms)
    assertThat(d.forAction("UpdateContainerGroup")).isEqualTo(new RateLimit(50, Duration.ofNanos(133_333_333)));
    assertThat(d.forAction("RestartContainerGroup")).isEqualTo(new RateLimit(50, Duration.ofNanos(133_333_333)));
  }

  @Test
  void exactNameWinsOverPrefixAndLongerPrefixOverShorter() {
    RateLimit a = RateLimit.of(1, 1);
    RateLimit b = RateLimit.of(2, 1);
    RateLimit c = RateLimit.of(3, 1);
    RateLimits limits = new RateLimits(Map.of("Describe*", a, "DescribeContainer*", b, "DescribeRegions", c),
        RateLimit.of(4, 1));
    assertThat(limits.forAction("DescribeRegions")).isEqualTo(c);
    assertThat(limits.forAction("DescribeContainerGroups")).isEqualTo(b);
    assertThat(limits.forAction("DescribeImageCaches")).isEqualTo(a);
    assertThat(limits.forAction("CreateContainerGroup")).isEqualTo(RateLimit.of(4, 1));
  }

  @Test
  void createBurstOf100ThenOneEvery50Milliseconds() {
    RateLimitedEciClient client = limited(RateLimits.defaults(), Duration.ZERO);
    for (int i = 0; i < 100; i++) {
      client.createContainerGroup(create());
    }
    assertThat(delegate.calls.get()).isEqualTo(100);

    assertThat(throttled(() -> client.createContainerGroup(create()))).isEqualTo(Duration.ofMillis(50));
    clock.advance(Duration.ofMillis(49));
    assertThat(throttled(() -> client.createContainerGroup(create()))).isEqualTo(Duration.ofMillis(1));
    clock.advance(Duration.ofMillis(1));
    client.createContainerGroup(create());
    assertThat(throttled(() -> client.createContainerGroup(create()))).isEqualTo(Duration.ofMillis(50));
    clock.advance(Duration.ofMillis(120));
    client.createContainerGroup(create());
    client.createContainerGroup(create());
    assertThat(throttled(() -> client.createContainerGroup(create()))).isEqualTo(Duration.ofMillis(30));
    assertThat(delegate.calls.get()).isEqualTo(103); // denied calls never reach ECI

    // After 5 quiet seconds the whole burst is back, and no more.
    clock.advance(Duration.ofSeconds(5));
    for (int i = 0; i < 100; i++) {
      client.createContainerGroup(create());
    }
    assertThat(throttled(() -> client.createContainerGroup(create()))).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void everyActionHasItsOwnBucket() {
    RateLimitedEciClient client = limited(RateLimits.defaults(), Duration.ZERO);
    for (int i = 0; i < 100; i++) {
      client.createContainerGroup(create());
    }
    throttled(() -> client.createContainerGroup(create()));

    for (int i = 0; i < 100; i++) {
      client.deleteContainerGroup(DeleteContainerGroupRequest.of("eci-" + i));
    }
    assertThat(throttled(() -> client.deleteContainerGroup(DeleteContainerGroupRequest.of("eci-x"))))
        .isEqualTo(Duration.ofMillis(50));
    client.describeRegions(new DescribeRegionsRequest());
  }

  @Test
  void describeAllows200AtOnceThenOneEvery33Milliseconds() {
    RateLimitedEciClient client = limited(RateLimits.defaults(), Duration.ZERO);
    for (int i = 0; i < 200; i++) {
      client.describeContainerGroupStatus(status());
    }
    assertThat(throttled(() -> client.describeContainerGroupStatus(status()))).isEqualTo(Duration.ofNanos(33_333_333));
    // Calls as fast as allowed: 1800 more, the last one 59.9999994 s after the first; no 60-second window
    // holds more than the published 2000.
    for (int i = 0; i < 1800; i++) {
      clock.advance(Duration.ofNanos(33_333_333));
      client.describeContainerGroupStatus(status());
    }
    assertThat(delegate.calls.get()).isEqualTo(2000);
    assertThat(throttled(() -> client.describeContainerGroupStatus(status()))).isEqualTo(Duration.ofNanos(33_333_333));
  }

  @Test
  void updateAllows50AtOnceThenOneEvery133Milliseconds() {
    RateLimitedEciClient client = limited(RateLimits.defaults(), Duration.ZERO);
    for (int i = 0; i < 50; i++) {
      client.updateContainerGroup(update());
    }
    assertThat(throttled(() -> client.updateContainerGroup(update()))).isEqualTo(Duration.ofNanos(133_333_333));
  }

  @Test
  void theThrottledExceptionSaysWhoWhyAndWhen() {
    RateLimitedEciClient client = limited(RateLimits.defaults().with("CreateContainerGroup", RateLimit.of(2, 4)),
        Duration.ZERO);
    client.createContainerGroup(create());
    client.createContainerGroup(create());

    assertThatThrownBy(() -> client.createContainerGroup(create())).isInstanceOfSatisfying(ProviderException.class,
        e -> {
          assertThat(e.category()).isEqualTo(ErrorCategory.THROTTLED);
          assertThat(e.code()).isEqualTo("ClientRateLimit");
          assertThat(e.retryAfter()).contains(Duration.ofMillis(250));
          assertThat(e.requestId()).isEmpty();
          assertThat(e.getMessage()).isEqualTo("client-side rate limit of CreateContainerGroup reached (burst 2, "
              + "one more every 250 ms); retry after 250 ms");
        });
  }

  @Test
  void waitsUpToMaxWaitForAReservedTokenThenThrows() {
    RateLimitedEciClient client = limited(RateLimits.defaults(), Duration.ofMillis(50));
    for (int i = 0; i < 100; i++) {
      client.createContainerGroup(create());
    }
    assertThat(sleeps).isEmpty();

    client.createContainerGroup(create()); // token due in 50 ms: reserved, waited for
    assertThat(sleeps).containsExactly(Duration.ofMillis(50));
    // the next is due 100 ms from now (the sleeper did not move this clock): beyond the bound
    assertThat(throttled(() -> client.createContainerGroup(create()))).isEqualTo(Duration.ofMillis(100));
    assertThat(delegate.calls.get()).isEqualTo(101);
  }

  @Test
  void sharedByEveryCallerOfOneClient() throws Exception {
    RateLimitedEciClient client = limited(RateLimits.defaults(), Duration.ZERO);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger denied = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            try {
              client.createContainerGroup(create());
            } catch (ProviderException e) {
              denied.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(delegate.calls.get()).isEqualTo(100);
    assertThat(denied.get()).isEqualTo(300);
  }

  @Test
  void wrapDoesNotLimitTwice() {
    RateLimitedEciClient once = RateLimitedEciClient.wrap(delegate, RateLimits.defaults(), clock);
    assertThat(RateLimitedEciClient.wrap(once, RateLimits.defaults(), clock)).isSameAs(once);
    assertThat(once.delegate()).isSameAs(delegate);
    assertThatThrownBy(() -> new RateLimitedEciClient(once, RateLimits.defaults(), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> new RateLimit(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimit(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThat(RateLimit.perMinute(500)).isEqualTo(new RateLimit(50, Duration.ofNanos(133_333_333)));
  }

  private static Duration throttled(Runnable call) {
    try {
      call.run();
    } catch (ProviderException e) {
      assertThat(e.category()).isEqualTo(ErrorCategory.THROTTLED);
      assertThat(e.code()).isEqualTo(RateLimitedEciClient.CODE);
      return e.retryAfter().orElseThrow();
    }
    throw new AssertionError("the call was not throttled");
  }

  private static CreateContainerGroupRequest create() {
    return CreateContainerGroupRequest.builder("g").build();
  }

  private static DescribeContainerGroupStatusRequest status() {
    return DescribeContainerGroupStatusRequest.byTags(List.of(), null, 200);
  }

  private static UpdateContainerGroupRequest update() {
    return UpdateContainerGroupRequest.builder("eci-1").build();
  }

  /** Counts the calls that got through. */
  private static final class CountingClient extends UnusedEciClient {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public CreateContainerGroupResponse createContainerGroup(CreateContainerGroupRequest request) {
      calls.incrementAndGet();
      return new CreateContainerGroupResponse("r", "eci-1");
    }

    @Override
    public DescribeContainerGroupsResponse describeContainerGroups(DescribeContainerGroupsRequest request) {
      calls.incrementAndGet();
      return new DescribeContainerGroupsResponse("r", 0, null, List.of());
    }

    @Override
    public DescribeContainerGroupEventsResponse describeContainerGroupEvents(
        DescribeContainerGroupEventsRequest request) {
      calls.incrementAndGet();
      return new DescribeContainerGroupEventsResponse("r", 0, null, List.of());
    }

    @Override
    public DescribeContainerGroupStatusResponse describeContainerGroupStatus(
        DescribeContainerGroupStatusRequest request) {
      calls.incrementAndGet();
      return new DescribeContainerGroupStatusResponse("r", 0, null, List.of());
    }

    @Override
    public DeleteContainerGroupResponse deleteContainerGroup(DeleteContainerGroupRequest request) {
      calls.incrementAndGet();
      return new DeleteContainerGroupResponse("r");
    }

    @Override
    public DescribeRegionsResponse describeRegions(DescribeRegionsRequest request) {
      calls.incrementAndGet();
      return new DescribeRegionsResponse("r", List.of());
    }

    @Override
    public UpdateContainerGroupResponse updateContainerGroup(UpdateContainerGroupRequest request) {
      calls.incrementAndGet();
      return new UpdateContainerGroupResponse("r");
    }
  }
}
