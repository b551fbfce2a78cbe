package io.ecivk.eci.provider;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/**
 * ACK's {@code k8s.aliyun.com/eci-fail-strategy}: what happens to a pod whose container group cannot be created
 * for lack of stock. {@code fail-back} (the default) and {@code fail-over} leave the pod Pending while ECI keeps
 * trying (across the configured zones and specs); {@code fail-fast} fails the pod with reason
 * {@code ProviderFailed} as soon as ECI reports a stock-out ({@code NoStock}) or gives up ({@code ScheduleFailed}),
 * and deletes the group so that it cannot start later.
 */
public enum FailStrategy {
  FAIL_BACK("fail-back"),
  FAIL_OVER("fail-over"),
  FAIL_FAST("fail-fast");

  public static final String ANNOTATION = "k8s.aliyun.com/eci-fail-strategy";

  private final String value;

  FailStrategy(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /**
   * The pod's strategy; {@code fail-back} when the annotation is absent.
   *
   * @throws ProviderException {@code INVALID_REQUEST} naming the annotation when its value is not one of the three
   */
  public static FailStrategy of(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String raw = annotations == null ? null : annotations.get(ANNOTATION);
    if (raw == null) {
      return FAIL_BACK;
    }
    for (FailStrategy strategy : values()) {
      if (strategy.value.equals(raw.trim())) {
        return strategy;
      }
    }
    throw new ProviderException(ErrorCategory.INVALID_REQUEST, "InvalidAnnotation",
        "metadata.annotations[" + ANNOTATION + "]: \"" + raw + "\" is not one of fail-back, fail-over, fail-fast");
  }
}
