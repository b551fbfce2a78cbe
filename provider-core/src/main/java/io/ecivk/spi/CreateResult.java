package io.ecivk.spi;

import java.util.List;
import java.util.Map;

/**
 * What a successful {@link PodLifecycleHandler#createPod} reports back: events to record on the pod and
 * annotations to write onto it (for example the backend's id for the workload).
 */
public record CreateResult(List<ProviderEvent> events, Map<String, String> annotations) {
  public CreateResult {
    events = List.copyOf(events);
    annotations = Map.copyOf(annotations);
  }

  public static CreateResult empty() {
    return new CreateResult(List.of(), Map.of());
  }
}
