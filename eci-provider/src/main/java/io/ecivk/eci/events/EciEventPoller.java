package io.ecivk.eci.events;

import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsResponse;
import io.ecivk.eci.client.model.Tag;
import io.ecivk.spi.ObservedEvent;
import io.ecivk.spi.PodEventSource;
import io.ecivk.spi.PodRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls DescribeContainerGroupEvents for the groups with this node's tags, 200 groups a page, and relays each new
 * or grown event to the listener once.
 *
 * <p><b>Incremental.</b> Each poll asks only for the events whose last occurrence is within {@code SinceSecond}:
 * the time since the previous successful poll began (at least twice the interval) plus {@link #SLACK}, the same
 * widening window as the status poll, so a skipped or failed poll loses nothing. The first poll of a process looks
 * back {@link #INITIAL_WINDOW}: events older than that were relayed by the process before (the Event objects are
 * named so that a repeat updates them, never duplicates them).
 *
 * <p><b>De-duplicated.</b> ECI answers an event in every poll whose window holds its last occurrence. An event is
 * keyed by (group, reason, message, first timestamp) and relayed only when new or when its count grew; the
 * highest count is kept.
 *
 * <p><b>Bounded.</b> A key whose last occurrence is older than the current window plus twice the slack can never
 * be answered again (every later window starts after it), so it is forgotten; the keys of deleted groups go the
 * same way. Memory is proportional to the events of the last few windows.
 *
 * <p>Events of groups the provider cannot tie to a pod (yet) are not keyed, so they are relayed once it can,
 * while they are still in the window. Polls are serialized.
 */
public final class EciEventPoller {
  private static final Logger LOG = LoggerFactory.getLogger(EciEventPoller.class);
  /** Clock skew between this host and ECI, and the time a poll itself takes. */
  public static final Duration SLACK = Duration.ofSeconds(5);
  /** How far back the first poll of a process looks. */
  public static final Duration INITIAL_WINDOW = Duration.ofMinutes(5);

  private final EciClient client;
  private final List<Tag> selector;
  private final Clock clock;
  private final Duration interval;
  private final Function<String, PodRef> podOfGroup;
  private volatile PodEventSource.EventListener listener = (pod, event) -> {};
  private final Map<Key, Seen> seen = new ConcurrentHashMap<>();
  private Instant lastPollStart;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong relayed = new AtomicLong();

  /**
   * @param selector the tags of this node's groups
   * @param interval how often {@link #poll} runs, for the minimum window
   * @param podOfGroup the pod incarnation of a container group id, or null when unknown (not ours, or gone)
   */
  public EciEventPoller(EciClient client, List<Tag> selector, Clock clock, Duration interval,
      Function<String, PodRef> podOfGroup) {
    this.client = Objects.requireNonNull(client, "client");
    this.selector = List.copyOf(selector);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.podOfGroup = Objects.requireNonNull(podOfGroup, "podOfGroup");
  }

  public void setListener(PodEventSource.EventListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * One poll: every page of the window, then relays what is new, then forgets what fell out of reach. Throws the
   * client's {@code ProviderException} when a page fails; nothing is relayed then, and the next poll's window
   * covers this one's.
   */
  public synchronized void poll() {
    Instant start = clock.instant();
    int since = lastPollStart == null
        ? (int) INITIAL_WINDOW.getSeconds()
        : sinceSecond(interval, Duration.between(lastPollStart, start));
    var request = DescribeContainerGroupEventsRequest.builder().tags(selector).sinceSecond(since)
        .limit(DescribeContainerGroupEventsRequest.MAX_LIMIT).build();
    List<DescribeContainerGroupEventsResponse.GroupEvents> groups = new java.util.ArrayList<>();
    while (true) {
      calls.incrementAndGet();
      var page = client.describeContainerGroupEvents(request);
      groups.addAll(page.data());
      if (!page.hasNextPage()) {
        break;
      }
      request = request.withNextToken(page.nextToken());
    }
    for (var group : groups) {
      PodRef pod = podOfGroup.apply(group.containerGroupId());
      if (pod == null) {
        continue;
      }
      for (var event : group.events()) {
        Optional<ObservedEvent> observed = EciEvents.toObserved(event, start);
        if (observed.isEmpty()) {
          continue;
        }
        ObservedEvent e = observed.get();
        Key key = new Key(group.containerGroupId(), e.event().reason(), e.event().message(), e.firstTimestamp());
        Seen before = seen.get(key);
        if (before != null && e.count() <= before.count()) {
          continue;
        }
        seen.put(key, new Seen(e.count(), e.lastTimestamp()));
        relayed.incrementAndGet();
        LOG.debug("eci event pod={} containerGroupId={} reason={} count={}", pod, group.containerGroupId(),
            e.event().reason(), e.count());
        listener.podEvent(pod, e);
      }
    }
    Instant horizon = start.minusSeconds(since).minus(SLACK.multipliedBy(2));
    seen.values().removeIf(s -> s.last().isBefore(horizon));
    lastPollStart = start;
  }

  /**
   * The {@code SinceSecond} of an incremental poll: the time since the previous poll began, at least twice the
   * interval, plus {@link #SLACK}, in whole seconds rounded up.
   */
  static int sinceSecond(Duration interval, Duration sinceLastPoll) {
    Duration window = interval.multipliedBy(2);
    if (sinceLastPoll.compareTo(window) > 0) {
      window = sinceLastPoll;
    }
    window = window.plus(SLACK);
    long seconds = window.getSeconds() + (window.getNano() > 0 ? 1 : 0);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds));
  }

  /** De-duplication keys held; for metrics and tests. */
  public int trackedEvents() {
    return seen.size();
  }

  /** DescribeContainerGroupEvents calls made, every page counted. */
  public long calls() {
    return calls.get();
  }

  /** Events relayed to the listener. */
  public long relayed() {
    return relayed.get();
  }

  private record Key(String groupId, String reason, String message, Instant first) {}

  private record Seen(int count, Instant last) {}
}
