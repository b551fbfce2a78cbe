package io.ecivk.pod.resolve;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of downward API {@code fieldRef}s and {@code resourceFieldRef}s, formatted as the kubelet formats
 * them (its {@code fieldpath} and {@code resource} helpers). Pure.
 */
public final class DownwardApi {
  /** fieldRefs only the backend can know (the pod's and host's addresses): kept for the provider. */
  public static final Set<String> BACKEND_FIELDS =
      Set.of("status.podIP", "status.podIPs", "status.hostIP", "status.hostIPs");
  private static final Pattern SUBSCRIPT = Pattern.compile("^(metadata\\.(?:labels|annotations))\\['(.*)'\\]$");

  private DownwardApi() {}

  /**
   * The value of a fieldRef path of the pod; empty when the path names a subscripted label or annotation that is
   * absent (the kubelet gives the empty string then, as this method's callers do).
   *
   * @throws IllegalArgumentException for a path the kubelet does not support, and for the
   *     {@link #BACKEND_FIELDS}, which the caller must handle
   */
  public static String fieldValue(Pod pod, String path) {
    Matcher m = SUBSCRIPT.matcher(path);
    if (m.matches()) {
      Map<String, String> map = "metadata.labels".equals(m.group(1))
          ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
      return map == null ? "" : map.getOrDefault(m.group(2), "");
    }
    return switch (path) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> pod.getMetadata().getNamespace();
      case "metadata.uid" -> pod.getMetadata().getUid();
      case "metadata.labels" -> formatMap(pod.getMetadata().getLabels());
      case "metadata.annotations" -> formatMap(pod.getMetadata().getAnnotations());
      case "spec.nodeName" -> nullToEmpty(pod.getSpec().getNodeName());
      case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
      default -> throw new IllegalArgumentException("unsupported fieldRef fieldPath: " + path);
    };
  }

  /**
   * The value of a resourceFieldRef for a container, in units of the divisor (default 1), rounded up: CPU from
   * millicores, the others from bytes. A limit the container does not set is the node's allocatable amount, as
   * the kubelet does; a request it does not set is 0.
   *
   * @param allocatable the node's allocatable resources ({@code cpu}, {@code memory}, {@code ephemeral-storage})
   * @throws IllegalArgumentException for a resource the kubelet does not support here, or a zero divisor
   */
  public static String resourceValue(
      Container container, ResourceFieldSelector selector, Map<String, Quantity> allocatable) {
    String resource = selector.getResource();
    int dot = resource == null ? -1 : resource.indexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("unsupported resourceFieldRef resource: " + resource);
    }
    String kind = resource.substring(0, dot);
    String name = resource.substring(dot + 1);
    if (!Set.of("cpu", "memory", "ephemeral-storage").contains(name)
        || !("limits".equals(kind) || "requests".equals(kind))) {
      throw new IllegalArgumentException("unsupported resourceFieldRef resource: " + resource);
    }
    Map<String, Quantity> set = container.getResources() == null ? null
        : "limits".equals(kind) ? container.getResources().getLimits() : container.getResources().getRequests();
    Quantity amount = set == null ? null : set.get(name);
    if (amount == null && "limits".equals(kind)) {
      amount = allocatable.get(name);
    }
    BigDecimal value = amount == null ? BigDecimal.ZERO : amount.getNumericalAmount();
    BigDecimal divisor = selector.getDivisor() == null || selector.getDivisor().getAmount() == null
        || selector.getDivisor().getNumericalAmount().signum() == 0
        ? BigDecimal.ONE : selector.getDivisor().getNumericalAmount();
    if ("cpu".equals(name)) {
      // Kubernetes compares millicores: both rounded up to whole millis first.
      BigDecimal milli = value.movePointRight(3).setScale(0, RoundingMode.CEILING);
      BigDecimal divisorMilli = divisor.movePointRight(3).setScale(0, RoundingMode.CEILING);
      if (divisorMilli.signum() == 0) {
        throw new IllegalArgumentException("resourceFieldRef divisor rounds to 0 millicores: " + selector.getDivisor());
      }
      return milli.divide(divisorMilli, 0, RoundingMode.CEILING).toPlainString();
    }
    BigDecimal units = value.setScale(0, RoundingMode.CEILING);
    BigDecimal divisorUnits = divisor.setScale(0, RoundingMode.CEILING);
    return units.divide(divisorUnits, 0, RoundingMode.CEILING).toPlainString();
  }

  /** Whether a fieldRef is one only the backend can fill in. */
  public static boolean isBackendField(String path) {
    return BACKEND_FIELDS.contains(path);
  }

  /**
   * Labels or annotations as a downward API file: {@code key="value"} lines sorted by key, values quoted as Go's
   * {@code %q} quotes them, no trailing newline.
   */
  public static String formatMap(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      sb.append(e.getKey()).append('=').append(goQuote(e.getValue()));
    }
    return sb.toString();
  }

  /** Go's {@code strconv.Quote}: printable characters kept, the others escaped. */
  static String goQuote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(cp -> {
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case 0x07 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 0x0b -> sb.append("\\v");
        default -> {
          if (isPrintable(cp)) {
            sb.appendCodePoint(cp);
          } else if (cp < 0x80) {
            sb.append(String.format("\\x%02x", cp));
          } else if (cp < 0x10000) {
            sb.append(String.format("\\u%04x", cp));
          } else {
            sb.append(String.format("\\U%08x", cp));
          }
        }
      }
    });
    return sb.append('"').toString();
  }

  private static boolean isPrintable(int cp) {
    if (cp < 0x20 || cp == 0x7f) {
      return false;
    }
    if (cp < 0x7f) {
      return true;
    }
    int type = Character.getType(cp);
    return Character.isDefined(cp)
        && type != Character.CONTROL
        && type != Character.FORMAT
        && type != Character.SURROGATE
        && type != Character.PRIVATE_USE
        && type != Character.UNASSIGNED
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && (type != Character.SPACE_SEPARATOR || cp == ' ');
  }

  private static String nullToEmpty(String s) {
    return Optional.ofNullable(s).orElse("");
  }
}
