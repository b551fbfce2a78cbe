package io.ecivk.eci.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.model.DescribeContainerGroupEventsResponse.Event;
import io.ecivk.spi.ObservedEvent;
import io.ecivk.spi.ProviderEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** ECI events to observed pod events: types, reasons kept, counts and timestamps defaulted. */
class EciEventsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:10:00Z");
  private static final Instant T1 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-23T10:05:00Z");

  private static Event eci(Integer count, String type, String reason, String message, Instant first, Instant last) {
    return new Event(count, type, reason, message, first, last, "eci", "", null, null, null);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(eci(1, "Normal", "AutoInstanceTypeMatch", "The most-matched instanceType for current eci "
                + "instance is ecs.c6.large", T1, T1),
            new ObservedEvent(ProviderEvent.normal("AutoInstanceTypeMatch", "The most-matched instanceType for "
                + "current eci instance is ecs.c6.large"), 1, T1, T1)),
        Arguments.of(eci(4, "Warning", "NoStock", "Create ECI failed because the specified instance is out of "
                + "stock. zone cn-hangzhou-i", T1, T2),
            new ObservedEvent(ProviderEvent.warning("NoStock", "Create ECI failed because the specified instance "
                + "is out of stock. zone cn-hangzhou-i"), 4, T1, T2)),
        Arguments.of(eci(2, "warning", "OOMKilled", "container app was killed", T1, T2),
            new ObservedEvent(ProviderEvent.warning("OOMKilled", "container app was killed"), 2, T1, T2)),
        Arguments.of(eci(1, "Warning", "SpotToBeReleased", "The spot instance is being reclaimed", T2, T2),
            new ObservedEvent(ProviderEvent.warning("SpotToBeReleased", "The spot instance is being reclaimed"),
                1, T2, T2)),
        Arguments.of(eci(1, "Normal", "MultiZoneRecommendations", "use more zones", T1, T1),
            new ObservedEvent(ProviderEvent.normal("MultiZoneRecommendations", "use more zones"), 1, T1, T1)),
        // Defaults: no count, no type, no message, one or no timestamp, timestamps out of order.
        Arguments.of(eci(null, null, "Started", null, T1, null),
            new ObservedEvent(ProviderEvent.normal("Started", ""), 1, T1, T1)),
        Arguments.of(eci(0, "", "Pulled", "m", null, T2),
            new ObservedEvent(ProviderEvent.normal("Pulled", "m"), 1, T2, T2)),
        Arguments.of(eci(3, "Normal", "Pulling", "m", null, null),
            new ObservedEvent(ProviderEvent.normal("Pulling", "m"), 3, NOW, NOW)),
        Arguments.of(eci(2, "Normal", "Updated", "m", T2, T1),
            new ObservedEvent(ProviderEvent.normal("Updated", "m"), 2, T2, T2)));
  }

  @ParameterizedTest
  @MethodSource("table")
  void mapsEciEvents(Event eci, ObservedEvent expected) {
    assertThat(EciEvents.toObserved(eci, NOW)).contains(expected);
  }

  @Test
  void anEventWithoutReasonIsDropped() {
    assertThat(EciEvents.toObserved(eci(1, "Warning", null, "m", T1, T1), NOW)).isEmpty();
    assertThat(EciEvents.toObserved(eci(1, "Warning", " ", "m", T1, T1), NOW)).isEmpty();
  }

  @Test
  void multiZoneRecommendationOnlyWithASingleVSwitch() {
    assertThat(EciEvents.multiZoneRecommendation(List.of("vsw-a"))).contains(ProviderEvent.normal(
        "MultiZoneRecommendations", "Only one vSwitch (vsw-a) is configured; configure vSwitches in several zones"
            + " so that ECI can create the pod in another zone when this one is out of stock"));
    assertThat(EciEvents.multiZoneRecommendation(List.of("vsw-a", "vsw-b"))).isEqualTo(Optional.empty());
  }

  @Test
  void sinceSecondWidensWithTheGapLikeTheStatusWindow() {
    assertThat(EciEventPoller.sinceSecond(java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(3)))
        .isEqualTo(11);
    assertThat(EciEventPoller.sinceSecond(java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(40)))
        .isEqualTo(45);
    assertThat(EciEventPoller.sinceSecond(java.time.Duration.ofMillis(1500), java.time.Duration.ofMillis(1500)))
        .isEqualTo(8);
  }
}
