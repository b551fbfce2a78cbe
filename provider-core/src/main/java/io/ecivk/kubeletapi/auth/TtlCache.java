package io.ecivk.kubeletapi.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small thread-safe cache whose entries expire after a time-to-live chosen per entry, read from an injected
 * clock. Bounded: when full, expired entries are swept first and, if that frees nothing, the whole cache is
 * dropped (a cache of authentication decisions may forget, it must never grow without bound).
 */
public final class TtlCache<K, V> {
  private record Entry<V>(V value, Instant expires) {}

  private final Clock clock;
  private final int maxEntries;
  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

  public TtlCache(Clock clock, int maxEntries) {
    this.clock = clock;
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** The value, if present and not expired (an entry expires at exactly its deadline). */
  public Optional<V> get(K key) {
    Entry<V> e = entries.get(key);
    if (e == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(e.expires())) {
      entries.remove(key, e);
      return Optional.empty();
    }
    return Optional.of(e.value());
  }

  public void put(K key, V value, Duration ttl) {
    if (ttl.isZero() || ttl.isNegative()) {
      return;
    }
    if (entries.size() >= maxEntries) {
      Instant now = clock.instant();
      for (Iterator<Entry<V>> it = entries.values().iterator(); it.hasNext(); ) {
        if (!now.isBefore(it.next().expires())) {
          it.remove();
        }
      }
      if (entries.size() >= maxEntries) {
        entries.clear();
      }
    }
    entries.put(key, new Entry<>(value, clock.instant().plus(ttl)));
  }

  public int size() {
    return entries.size();
  }
}
