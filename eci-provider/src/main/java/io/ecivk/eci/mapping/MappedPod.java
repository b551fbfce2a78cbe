package io.ecivk.eci.mapping;

import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.sizing.EciSpec;
import io.ecivk.spi.ProviderEvent;
import java.util.List;
import java.util.Objects;

/**
 * A pod mapped to ECI.
 *
 * @param request the CreateContainerGroup request to send
 * @param spec the ECI spec the group is created (and billed) at
 * @param events what to record on the pod once the create succeeded, e.g. {@code AutoInstanceTypeMatch}
 */
public record MappedPod(CreateContainerGroupRequest request, EciSpec spec, List<ProviderEvent> events) {
  public MappedPod {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(spec, "spec");
    events = List.copyOf(events);
  }
}
