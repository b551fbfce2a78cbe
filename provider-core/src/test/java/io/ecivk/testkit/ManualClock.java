package io.ecivk.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** A UTC clock that moves only when a test says so. Thread-safe. */
public final class ManualClock extends Clock {
  private final AtomicReference<Instant> now;

  public ManualClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /** Moves the clock forward (or back, for a negative duration) and returns the new time. */
  public Instant advance(Duration by) {
    return now.updateAndGet(t -> t.plus(by));
  }

  public void set(Instant t) {
    now.set(Objects.requireNonNull(t, "t"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (!ZoneOffset.UTC.equals(zone)) {
      throw new UnsupportedOperationException("ManualClock is UTC only");
    }
    return this;
  }
}
