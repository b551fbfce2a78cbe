package io.ecivk.eci.client.ratelimit;

import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.CreateContainerGroupResponse;
import io.ecivk.eci.client.model.DeleteContainerGroupRequest;
import io.ecivk.eci.client.model.DeleteContainerGroupResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupMetricRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupMetricResponse;
import io.ecivk.eci.client.model.DescribeContainerLogRequest;
import io.ecivk.eci.client.model.DescribeContainerLogResponse;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricRequest;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse;
import io.ecivk.eci.client.model.DescribeRegionsRequest;
import io.ecivk.eci.client.model.DescribeRegionsResponse;
import io.ecivk.eci.client.model.ExecContainerCommandRequest;
import io.ecivk.eci.client.model.ExecContainerCommandResponse;
import io.ecivk.eci.client.model.UpdateContainerGroupRequest;
import io.ecivk.eci.client.model.UpdateContainerGroupResponse;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An {@link EciClient} that keeps every caller of one client within ECI's published per-action rate limits
 * ({@link RateLimits#defaults()}), so that the account's own flow control ({@code Throttling.User}), which would
 * also hit every other user of the account, is never reached.
 *
 * <p>It never blocks a worker for long: when a token is available within {@code maxWait} (50 ms by default) the
 * call waits for it and goes ahead; otherwise it throws, without calling ECI, a {@code THROTTLED}
 * {@link ProviderException} with code {@value #CODE} and {@code retryAfter} the time until a token is
 * available, so the work queue delays that pod's key and the worker serves other keys meanwhile.
 */
public final class RateLimitedEciClient implements EciClient {
  public static final String CODE = "ClientRateLimit";
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(50);

  /** How the client waits for a token it has reserved; {@link Thread#sleep} unless a test says otherwise. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final EciClient delegate;
  private final RateLimits limits;
  private final Clock clock;
  private final Duration maxWait;
  private final Sleeper sleeper;
  private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public RateLimitedEciClient(EciClient delegate, RateLimits limits, Clock clock) {
    this(delegate, limits, clock, DEFAULT_MAX_WAIT, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
  }

  public RateLimitedEciClient(EciClient delegate, RateLimits limits, Clock clock, Duration maxWait, Sleeper sleeper) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (delegate instanceof RateLimitedEciClient) {
      throw new IllegalArgumentException("the client is already rate limited");
    }
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
    }
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** {@code client} itself when it is already rate limited, otherwise {@code client} limited by {@code limits}. */
  public static RateLimitedEciClient wrap(EciClient client, RateLimits limits, Clock clock) {
    return client instanceof RateLimitedEciClient limited ? limited : new RateLimitedEciClient(client, limits, clock);
  }

  public EciClient delegate() {
    return delegate;
  }

  public RateLimits limits() {
    return limits;
  }

  /**
   * Takes a token for {@code action}, waiting at most {@code maxWait}.
   *
   * @throws ProviderException {@code THROTTLED}, code {@value #CODE}, when none is available within it
   */
  public void acquire(String action) {
    TokenBucket bucket = buckets.computeIfAbsent(action, a -> new TokenBucket(limits.forAction(a), clock));
    TokenBucket.Decision decision = bucket.acquire(maxWait);
    if (!decision.granted()) {
      RateLimit limit = bucket.limit();
      throw new ProviderException(ErrorCategory.THROTTLED, CODE,
          "client-side rate limit of " + action + " reached (burst " + limit.burst() + ", one more every "
              + limit.interval().toMillis() + " ms); retry after " + decision.delay().toMillis() + " ms",
          null, decision.delay(), null);
    }
    if (!decision.delay().isZero()) {
      try {
        sleeper.sleep(decision.delay());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProviderException(ErrorCategory.THROTTLED, CODE,
            "interrupted while waiting for the client-side rate limit of " + action, null, decision.delay(), e);
      }
    }
  }

  @Override
  public CreateContainerGroupResponse createContainerGroup(CreateContainerGroupRequest request) {
    acquire(request.action());
    return delegate.createContainerGroup(request);
  }

  @Override
  public DescribeContainerGroupsResponse describeContainerGroups(DescribeContainerGroupsRequest request) {
    acquire(request.action());
    return delegate.describeContainerGroups(request);
  }

  @Override
  public DescribeContainerGroupStatusResponse describeContainerGroupStatus(
      DescribeContainerGroupStatusRequest request) {
    acquire(request.action());
    return delegate.describeContainerGroupStatus(request);
  }

  @Override
  public DescribeContainerGroupEventsResponse describeContainerGroupEvents(
      DescribeContainerGroupEventsRequest request) {
    acquire(request.action());
    return delegate.describeContainerGroupEvents(request);
  }

  @Override
  public DeleteContainerGroupResponse deleteContainerGroup(DeleteContainerGroupRequest request) {
    acquire(request.action());
    return delegate.deleteContainerGroup(request);
  }

  @Override
  public DescribeRegionsResponse describeRegions(DescribeRegionsRequest request) {
    acquire(request.action());
    return delegate.describeRegions(request);
  }

  @Override
  public UpdateContainerGroupResponse updateContainerGroup(UpdateContainerGroupRequest request) {
    acquire(request.action());
    return delegate.updateContainerGroup(request);
  }

  @Override
  public ExecContainerCommandResponse execContainerCommand(ExecContainerCommandRequest request) {
    acquire(request.action());
    return delegate.execContainerCommand(request);
  }

  @Override
  public DescribeContainerLogResponse describeContainerLog(DescribeContainerLogRequest request) {
    acquire(request.action());
    return delegate.describeContainerLog(request);
  }

  @Override
  public DescribeContainerGroupMetricResponse describeContainerGroupMetric(
      DescribeContainerGroupMetricRequest request) {
    acquire(request.action());
    return delegate.describeContainerGroupMetric(request);
  }

  @Override
  public DescribeMultiContainerGroupMetricResponse describeMultiContainerGroupMetric(
      DescribeMultiContainerGroupMetricRequest request) {
    acquire(request.action());
    return delegate.describeMultiContainerGroupMetric(request);
  }
}
