package io.ecivk.pod.resolve;

import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.ResolvedPod;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PodResolver#resolve} found: everything ({@link Resolved}), dependencies the pod waits for
 * ({@link Waiting}), or a reason the pod can never run as written ({@link Invalid}). Failures that a retry may
 * cure (the API server unreachable, throttling, a refused permission) are not outcomes: they are thrown as
 * {@link io.ecivk.spi.errors.ProviderException}.
 *
 * <p>Every outcome carries the Warning events the kubelet would record while resolving (skipped invalid
 * {@code envFrom} keys, image-pull secrets that could not be read), for the caller to record once.
 */
public sealed interface Resolution {
  List<ProviderEvent> events();

  /** The pod with all it needs; ready for {@code createPod}. */
  record Resolved(ResolvedPod pod, List<ProviderEvent> events) implements Resolution {
    public Resolved {
      Objects.requireNonNull(pod, "pod");
      events = List.copyOf(events);
    }
  }

  /** The pod waits for these (never empty): at most one per container and one per volume, as the kubelet stops at
   * the first error of each. */
  record Waiting(List<MissingDependency> missing, List<ProviderEvent> events) implements Resolution {
    public Waiting {
      missing = List.copyOf(missing);
      if (missing.isEmpty()) {
        throw new IllegalArgumentException("a waiting pod waits for something");
      }
      events = List.copyOf(events);
    }
  }

  /** The pod can never run as written; {@code reason} says why, naming the field. */
  record Invalid(String reason, List<ProviderEvent> events) implements Resolution {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      events = List.copyOf(events);
    }
  }
}
