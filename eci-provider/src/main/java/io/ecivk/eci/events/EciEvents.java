package io.ecivk.eci.events;

import io.ecivk.eci.client.model.DescribeContainerGroupEventsResponse;
import io.ecivk.spi.ObservedEvent;
import io.ecivk.spi.ProviderEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Maps ECI events to observed pod events, keeping ECI's reasons ({@code AutoInstanceTypeMatch},
 * {@code MultiZoneRecommendations}, {@code NoStock}, {@code SpotToBeReleased}, {@code OOMKilled}...) as they are.
 */
public final class EciEvents {
  /** The reason of the event saying a pod could use vSwitches in more zones. */
  public static final String MULTI_ZONE_RECOMMENDATIONS = "MultiZoneRecommendations";

  private EciEvents() {}

  /**
   * The observed event for one ECI event, or empty when it has no reason (nothing Kubernetes could show). Type
   * {@code Warning} (any case) is a warning, anything else normal. A missing count is 1; a missing timestamp
   * takes the other one, or {@code now} when both are missing; a last timestamp before the first is taken as the
   * first.
   */
  public static Optional<ObservedEvent> toObserved(DescribeContainerGroupEventsResponse.Event event, Instant now) {
    if (event.reason() == null || event.reason().isBlank()) {
      return Optional.empty();
    }
    ProviderEvent.Type type = "Warning".equalsIgnoreCase(event.type())
        ? ProviderEvent.Type.WARNING : ProviderEvent.Type.NORMAL;
    String message = event.message() == null ? "" : event.message();
    int count = event.count() == null || event.count() < 1 ? 1 : event.count();
    Instant first = event.firstTimestamp() != null ? event.firstTimestamp()
        : event.lastTimestamp() != null ? event.lastTimestamp() : now;
    Instant last = event.lastTimestamp() != null ? event.lastTimestamp() : first;
    if (last.isBefore(first)) {
      last = first;
    }
    return Optional.of(new ObservedEvent(new ProviderEvent(type, event.reason(), message), count, first, last));
  }

  /**
   * The event recorded on a pod at create when only one vSwitch (so one zone) is configured: ECI cannot move the
   * pod to another zone when that one is out of stock. Empty with two or more.
   */
  public static Optional<ProviderEvent> multiZoneRecommendation(List<String> vSwitchIds) {
    if (vSwitchIds.size() != 1) {
      return Optional.empty();
    }
    return Optional.of(ProviderEvent.normal(MULTI_ZONE_RECOMMENDATIONS,
        "Only one vSwitch (" + vSwitchIds.get(0) + ") is configured; configure vSwitches in several zones so that"
            + " ECI can create the pod in another zone when this one is out of stock"));
  }
}
