package io.ecivk.events;

import io.ecivk.spi.ProviderEvent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
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
        Event created =
            client.v1().events().inNamespace(namespace).resource(
                new EventBuilder()
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
                    .withCount(1)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withNewSource().withComponent(component).withHost(host).endSource()
                    .withReportingComponent(component)
                    .withReportingInstance(host)
                    .build())
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

  private record Recorded(String name, int count) {}
}
