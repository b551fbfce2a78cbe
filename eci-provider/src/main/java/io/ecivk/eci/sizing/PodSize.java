package io.ecivk.eci.sizing;

import java.util.Objects;

/**
 * How big a pod is and which ECI spec it gets.
 *
 * @param requestedCpu vCPUs the pod's containers ask for (ECI's default 2.0 when the pod asks for nothing)
 * @param requestedMemoryGiB GiB the pod's containers ask for (ECI's default 4.0 when the pod asks for nothing)
 * @param spec the smallest ECI spec that holds the request; the instance is created and billed at this size
 * @param adjusted whether {@code spec} differs from the requested pair, i.e. ECI rounded the pod up
 */
public record PodSize(float requestedCpu, float requestedMemoryGiB, EciSpec spec, boolean adjusted) {
  public PodSize {
    Objects.requireNonNull(spec, "spec");
  }
}
