package io.ecivk.events;

import io.ecivk.spi.ObservedEvent;
import io.ecivk.spi.ProviderEvent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about objects, the way the kubelet does: {@code source.component} and
 * {@code reportingComponent} name this agent, {@code source.host} the node. The same reason and message about
 * the same object incarnation are aggregated into one Event whose {@code count} and {@code lastTimestamp} grow,
 * so a retried failure never floods the namespace.
 *
 * <p>Events the backend observed and aggregated itself ({@link #recordObserved}) carry the backend's count and
 * first/last timestamps instead of this recorder's. Their Event is named after the pod incarnation, type, reason
 * and message alone, so a restarted agent, or a second report of the same event, finds and updates the same Event
 * rather than creating a duplicate. An observed event the provider already reported through {@link #record} (the
 * same reason and message) updates that Event too.
 *
 * <p>Recording is best effort: a failure to write an Event is logged and swallowed, never failing the caller.
 * Thread-safe; blocking (an API call), so call it from worker threads.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_TRACKED = 4096;

  private final KubernetesClient client;
  private final String component;
  private final String host;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();
  /** Events written recently, by object uid + type + reason + message, for aggregation. Bounded, LRU. */
  private final Map<String, Recorded> recent =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
          return size() > MAX_TRACKED;
        }
      };

  /** Observed events written recently, by the same key as {@link #recent}. Bounded, LRU. */
  private final Map<String, Observed> observed =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Observed> eldest) {
          return size() > MAX_TRACKED;
        }
      };

  public EventRecorder(KubernetesClient client, String component, String host, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.component = Objects.requireNonNull(component, "component");
    this.host = Objects.requireNonNull(host, "host");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Records an event about {@code object}; aggregates with an identical earlier one. */
  public void record(HasMetadata object, ProviderEvent event) {
    String key = object.getMetadata().getUid() + "|" + event.type() + "|" + event.reason() + "|" + event.message();
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    String namespace = object.getMetadata().getNamespace();
    Recorded previous;
    synchronized (recent) {
      previous = recent.get(key);
    }
    try {
      Recorded written;
      if (previous != null) {
        Event updated =
            client.v1().events().inNamespace(namespace).withName(previous.name())
                .edit(e -> new EventBuilder(e).withCount(previous.count() + 1).withLastTimestamp(now).build());
        written = new Recorded(previous.name(), updated.getCount() == null ? previous.count() + 1 : updated.getCount());
      } else {
        // Named like the kubelet's events: <object>.<hex timestamp in ns>; the sequence keeps names unique when
        // several events are recorded within one millisecond (or under a fixed test clock).
        String name = object.getMetadata().getName() + "."
            + Long.toHexString(clock.millis() * 1_000_000L + sequence.incrementAndGet() % 1_000_000L);
        Event created = client.v1().events().inNamespace(namespace)
            .resource(newEvent(object, event, name, 1, now, now))
            .create();
        written = new Recorded(created.getMetadata().getName(), 1);
      }
      synchronized (recent) {
        recent.put(key, written);
      }
    } catch (KubernetesClientException e) {
      if (previous != null && e.getCode() == 404) {
        // The aggregated Event expired (the API server keeps them an hour): start a new one next time.
        synchronized (recent) {
          recent.remove(key);
        }
      }
      LOG.warn("could not record event reason={} on {}/{}: {}", event.reason(), namespace,
          object.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * Records an event the backend observed, with the backend's count and first/last timestamps. The first report
   * creates the Event; a later report of the same pod, type, reason and message updates that same Event when it
   * says more (a higher count or a later last timestamp): count the highest seen, firstTimestamp the earliest,
   * lastTimestamp the latest. A report that says nothing new makes no API call.
   */
  public void recordObserved(HasMetadata object, ObservedEvent report) {
    ProviderEvent event = report.event();
    String uid = object.getMetadata().getUid();
    String key = uid + "|" + event.type() + "|" + event.reason() + "|" + event.message();
    String namespace = object.getMetadata().getNamespace();
    Observed previous;
    synchronized (observed) {
      previous = observed.get(key);
    }
    Instant first = report.firstTimestamp().truncatedTo(ChronoUnit.SECONDS);
    Instant last = report.lastTimestamp().truncatedTo(ChronoUnit.SECONDS);
    if (previous != null && report.count() <= previous.count() && !last.isAfter(previous.last())) {
      return;
    }
    // The provider may have reported the same event itself (at create) before its backend did: same Event.
    Recorded own;
    synchronized (recent) {
      own = previous == null ? recent.get(key) : null;
    }
    String name = previous != null ? previous.name()
        : own != null ? own.name() : observedName(object.getMetadata().getName(), key);
    try {
      Event written = null;
      if (previous == null && own == null) {
        try {
          written = client.v1().events().inNamespace(namespace).resource(
                  newEvent(object, event, name, report.count(), format(first), format(last)))
              .create();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          // Already written, by this agent before a restart: merge into it below.
        }
      }
      if (written == null) {
        written = client.v1().events().inNamespace(namespace).withName(name).edit(e -> merge(e, report, first, last));
      }
      Observed now = new Observed(name, written.getCount() == null ? report.count() : written.getCount(),
          parse(written.getLastTimestamp(), last));
      synchronized (observed) {
        observed.put(key, now);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        synchronized (observed) {
          observed.remove(key); // the Event expired meanwhile: the next report creates it again
        }
      }
      LOG.warn("could not record observed event reason={} count={} on {}/{}: {}", event.reason(), report.count(),
          namespace, object.getMetadata().getName(), e.getMessage());
    }
  }

  private static Event merge(Event existing, ObservedEvent report, Instant first, Instant last) {
    int count = Math.max(existing.getCount() == null ? 0 : existing.getCount(), report.count());
    Instant existingFirst = parse(existing.getFirstTimestamp(), first);
    Instant existingLast = parse(existing.getLastTimestamp(), last);
    return new EventBuilder(existing)
        .withCount(count)
        .withFirstTimestamp(format(existingFirst.isBefore(first) ? existingFirst : first))
        .withLastTimestamp(format(existingLast.isAfter(last) ? existingLast : last))
        .build();
  }

  private Event newEvent(HasMetadata object, ProviderEvent event, String name, int count, String first,
      String last) {
    String namespace = object.getMetadata().getNamespace();
    return new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withInvolvedObject(
            new ObjectReferenceBuilder()
                .withApiVersion(object.getApiVersion() == null ? "v1" : object.getApiVersion())
                .withKind(object.getKind() == null ? "Pod" : object.getKind())
                .withNamespace(namespace)
                .withName(object.getMetadata().getName())
                .withUid(object.getMetadata().getUid())
                .withResourceVersion(object.getMetadata().getResourceVersion())
                .build())
        .withType(event.type().kubernetesName())
        .withReason(event.reason())
        .withMessage(event.message())
        .withCount(count)
        .withFirstTimestamp(first)
        .withLastTimestamp(last)
        .withNewSource().withComponent(component).withHost(host).endSource()
        .withReportingComponent(component)
        .withReportingInstance(host)
        .build();
  }

  /**
   * The name of an observed event's Event: {@code <object>.<16 hex digits of SHA-256 of uid, type, reason and
   * message>}, the object's name shortened so that the whole stays within the 253 characters of a name.
   */
  static String observedName(String objectName, String key) {
    String digest;
    try {
      digest = HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    String prefix = objectName.length() > 253 - 17 ? objectName.substring(0, 253 - 17) : objectName;
    return prefix + "." + digest;
  }

  private static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  private static Instant parse(String timestamp, Instant fallback) {
    if (timestamp == null || timestamp.isEmpty()) {
      return fallback;
    }
    try {
      return Instant.parse(timestamp);
    } catch (java.time.format.DateTimeParseException e) {
      return fallback;
    }
  }

  private record Recorded(String name, int count) {}

  private record Observed(String name, int count, Instant last) {}
}
