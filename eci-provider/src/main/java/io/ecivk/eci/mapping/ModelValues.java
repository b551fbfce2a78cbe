package io.ecivk.eci.mapping;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Generic questions about fabric8 model objects, answered through their JSON form so that fields added by later
 * Kubernetes versions are covered without listing every getter.
 */
final class ModelValues {

  /** Thread-safe once built (a configured Jackson mapper); only converts in memory. */
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ModelValues() {}

  /** Whether {@code value} carries nothing: null, or only nulls, empty strings, empty lists and empty objects. */
  /**
   * The pod's UID, which names, tokens and tags are derived from.
   *
   * @throws ProviderException {@code INVALID_REQUEST} when the pod has none
   */
  static String uid(Pod pod) {
    ObjectMeta meta = pod.getMetadata();
    String uid = meta == null ? null : meta.getUid();
    if (uid == null || uid.isEmpty()) {
      throw new ProviderException(
          ErrorCategory.INVALID_REQUEST, PodMapper.INVALID_POD_FIELD, "metadata.uid: missing, the pod has no UID");
    }
    return uid;
  }

  static boolean isEmpty(Object value) {
    if (value == null) {
      return true;
    }
    if (value instanceof String text) {
      return text.isEmpty();
    }
    if (value instanceof Collection<?> collection) {
      return collection.stream().allMatch(ModelValues::isEmpty);
    }
    if (value instanceof Map<?, ?> map) {
      return map.values().stream().allMatch(ModelValues::isEmpty);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return false;
    }
    return isEmpty(SERIALIZATION.convertValue(value, Map.class));
  }

  /** {@code value} as its JSON object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object value) {
    return SERIALIZATION.convertValue(value, Map.class);
  }

  /** The JSON names of the fields of {@code value} that are set (even to an empty object), in JSON order. */
  static List<String> setFields(Object value) {
    Map<?, ?> map = SERIALIZATION.convertValue(value, Map.class);
    return map.entrySet().stream().filter(e -> e.getValue() != null).map(e -> String.valueOf(e.getKey())).toList();
  }
}
