package io.ecivk.eci.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A pod's QoS class, computed as Kubernetes does ({@code ComputePodQOS} in {@code
 * pkg/apis/core/helper/qos/qos.go}): only cpu and memory count, only positive quantities count, app and init
 * containers alike. BestEffort when no container sets any; Guaranteed when every container has cpu and memory
 * limits and the pod's summed requests equal its summed limits; Burstable otherwise.
 *
 * <p>A request that is absent while the limit is set counts as the limit, as the API server defaults it; so a
 * pod built without the API server's defaulting gets the class the API server would give it.
 */
public final class QosClasses {

  public static final String GUARANTEED = "Guaranteed";
  public static final String BURSTABLE = "Burstable";
  public static final String BEST_EFFORT = "BestEffort";

  private static final List<String> QOS_RESOURCES = List.of("cpu", "memory");

  private QosClasses() {}

  /** The QoS class of {@code pod}. Quantities that cannot be read count as absent. */
  public static String of(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    List<Container> containers = new ArrayList<>();
    if (pod.getSpec() != null) {
      if (pod.getSpec().getContainers() != null) {
        containers.addAll(pod.getSpec().getContainers());
      }
      if (pod.getSpec().getInitContainers() != null) {
        containers.addAll(pod.getSpec().getInitContainers());
      }
    }
    Map<String, BigDecimal> requests = new HashMap<>();
    Map<String, BigDecimal> limits = new HashMap<>();
    boolean guaranteed = true;
    for (Container container : containers) {
      ResourceRequirements resources = container.getResources();
      Map<String, Quantity> containerLimits = resources == null ? null : resources.getLimits();
      Map<String, Quantity> containerRequests = resources == null ? null : resources.getRequests();
      Set<String> limitsFound = new HashSet<>();
      for (String resource : QOS_RESOURCES) {
        BigDecimal limit = positive(containerLimits, resource);
        BigDecimal request = positive(containerRequests, resource);
        if (request == null && !present(containerRequests, resource)) {
          request = limit;
        }
        if (request != null) {
          requests.merge(resource, request, BigDecimal::add);
        }
        if (limit != null) {
          limits.merge(resource, limit, BigDecimal::add);
          limitsFound.add(resource);
        }
      }
      if (!limitsFound.containsAll(QOS_RESOURCES)) {
        guaranteed = false;
      }
    }
    if (requests.isEmpty() && limits.isEmpty()) {
      return BEST_EFFORT;
    }
    if (guaranteed) {
      for (Map.Entry<String, BigDecimal> request : requests.entrySet()) {
        BigDecimal limit = limits.get(request.getKey());
        if (limit == null || limit.compareTo(request.getValue()) != 0) {
          guaranteed = false;
          break;
        }
      }
    }
    return guaranteed && requests.size() == limits.size() ? GUARANTEED : BURSTABLE;
  }

  private static boolean present(Map<String, Quantity> quantities, String resource) {
    return quantities != null && quantities.get(resource) != null;
  }

  private static BigDecimal positive(Map<String, Quantity> quantities, String resource) {
    if (!present(quantities, resource)) {
      return null;
    }
    try {
      BigDecimal amount = Quantity.getAmountInBytes(quantities.get(resource));
      return amount.signum() > 0 ? amount : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
