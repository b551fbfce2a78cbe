package io.ecivk.eci.mapping;

import io.ecivk.eci.client.model.Tag;
import io.ecivk.eci.sizing.EciSpec;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pod annotations of Alibaba's virtual node that this provider honours (eci-openapi.md §6.1), read into the
 * request fields they set. Annotations are read in the order of the fields of {@link Options}; the first malformed
 * one fails the pod with code {@link #INVALID_ANNOTATION} and a message naming it, e.g. {@code
 * metadata.annotations[k8s.aliyun.com/eci-spot-price-limit]: "cheap" is not a decimal number}.
 *
 * <p>Other {@code k8s.aliyun.com/*} annotations are ignored, not rejected: ACK and its webhooks add many of them
 * (eci-instance-id, eci-request-id, ... written after scheduling, or ones for features this provider does not
 * implement), and failing every pod that carries one would make ACK-authored manifests unusable.
 */
final class EciAnnotations {

  /** The error code of a malformed annotation. */
  static final String INVALID_ANNOTATION = "InvalidAnnotation";

  static final String PREFIX = "k8s.aliyun.com/";
  static final String USE_SPECS = PREFIX + "eci-use-specs";
  static final String VSWITCH = PREFIX + "eci-vswitch";
  static final String SCHEDULE_STRATEGY = PREFIX + "eci-schedule-strategy";
  static final String SECURITY_GROUP = PREFIX + "eci-security-group";
  static final String SPOT_STRATEGY = PREFIX + "eci-spot-strategy";
  static final String SPOT_PRICE_LIMIT = PREFIX + "eci-spot-price-limit";
  static final String SPOT_DURATION = PREFIX + "eci-spot-duration";
  static final String AUTO_IMC = PREFIX + "eci-auto-imc";
  static final String IMAGE_CACHE = PREFIX + "eci-image-cache";
  static final String IMC_ID = PREFIX + "eci-imc-id";
  static final String IMAGE_SNAPSHOT_ID = PREFIX + "eci-image-snapshot-id";
  static final String WITH_EIP = PREFIX + "eci-with-eip";
  static final String EIP_INSTANCE_ID = PREFIX + "eci-eip-instanceid";
  static final String EIP_BANDWIDTH = PREFIX + "eip-bandwidth";
  static final String RAM_ROLE_NAME = PREFIX + "eci-ram-role-name";
  static final String EXTRA_EPHEMERAL_STORAGE = PREFIX + "eci-extra-ephemeral-storage";
  static final String CUSTOM_TAGS = PREFIX + "eci-custom-tags";
  static final String NTP_SERVER = PREFIX + "eci-ntp-server";
  static final String CORE_PATTERN = PREFIX + "eci-core-pattern";
  static final String COMPUTE_CATEGORY = PREFIX + "eci-compute-category";
  static final String MAX_PENDING_MINUTE = PREFIX + "eci-max-pending-minute";
  static final String GPU_DRIVER_VERSION = PREFIX + "eci-gpu-driver-version";
  static final String ENABLE_IPV6 = PREFIX + "eci-enable-ipv6";
  static final String INGRESS_BANDWIDTH = "kubernetes.io/ingress-bandwidth";
  static final String EGRESS_BANDWIDTH = "kubernetes.io/egress-bandwidth";

  /** ECI's limit on the entries of eci-use-specs. */
  static final int MAX_USE_SPECS = 5;

  /** ECI's limit on the tags of eci-custom-tags. */
  static final int MAX_CUSTOM_TAGS = 3;

  private static final Pattern CPU_MEM = Pattern.compile("(\\d+(?:\\.\\d+)?)-(\\d+(?:\\.\\d+)?)Gi");
  private static final Pattern ECS_TYPE = Pattern.compile("ecs\\.[a-z0-9]+(?:-[a-z0-9]+)*\\.[a-z0-9-]+");
  /** ECS GPU families: gn* (e.g. gn6i, gn7), bare metal ebmgn*, SCC sccgn*, virtualised vgn*. */
  private static final Pattern GPU_FAMILY = Pattern.compile("(ebm|scc|v)?gn[0-9a-z-]*");
  private static final Pattern DECIMAL = Pattern.compile("\\d+(?:\\.\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("\\d{1,9}");
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
  private static final BigDecimal BYTES_PER_GIB = BigDecimal.valueOf(1L << 30);

  private EciAnnotations() {}

  /**
   * What the annotations set; null or empty where the pod has no such annotation.
   *
   * @param instanceTypes eci-use-specs, as written, in order
   * @param firstSpec the first eci-use-specs entry when it is a cpu-mem spec: the group's Cpu/Memory
   * @param hasGpuInstanceType whether eci-use-specs names an ECS GPU type ({@code ecs.gn...}, {@code ecs.ebmgn...},
   *     {@code ecs.sccgn...}, {@code ecs.vgn...})
   */
  record Options(
      List<String> instanceTypes,
      Optional<EciSpec> firstSpec,
      boolean hasGpuInstanceType,
      List<String> vSwitchIds,
      String scheduleStrategy,
      String securityGroupId,
      String spotStrategy,
      Float spotPriceLimit,
      Long spotDuration,
      Boolean autoMatchImageCache,
      String imageSnapshotId,
      Boolean autoCreateEip,
      String eipInstanceId,
      Integer eipBandwidth,
      String ramRoleName,
      Integer ephemeralStorage,
      List<Tag> customTags,
      List<String> ntpServers,
      String corePattern,
      List<String> computeCategories,
      Integer maxPendingMinute,
      String gpuDriverVersion,
      Integer ipv6AddressCount,
      Long ingressBandwidth,
      Long egressBandwidth) {}

  static Options read(Map<String, String> annotations) {
    Map<String, String> a = annotations == null ? Map.of() : annotations;

    List<String> instanceTypes = List.of();
    Optional<EciSpec> firstSpec = Optional.empty();
    boolean gpuType = false;
    String useSpecs = a.get(USE_SPECS);
    if (useSpecs != null) {
      instanceTypes = list(USE_SPECS, useSpecs);
      if (instanceTypes.size() > MAX_USE_SPECS) {
        throw bad(USE_SPECS, useSpecs, "has " + instanceTypes.size() + " entries, at most " + MAX_USE_SPECS
            + " are allowed");
      }
      for (int i = 0; i < instanceTypes.size(); i++) {
        String entry = instanceTypes.get(i);
        Matcher cpuMem = CPU_MEM.matcher(entry);
        if (cpuMem.matches()) {
          float cpu = Float.parseFloat(cpuMem.group(1));
          float memory = Float.parseFloat(cpuMem.group(2));
          if (!(cpu > 0) || !(memory > 0)) {
            throw bad(USE_SPECS, useSpecs, "entry \"" + entry + "\" has no vCPUs or no memory");
          }
          if (i == 0) {
            firstSpec = Optional.of(new EciSpec(cpu, memory));
          }
        } else if (ECS_TYPE.matcher(entry).matches()) {
          gpuType |= GPU_FAMILY.matcher(entry.substring(4, entry.indexOf('.', 4))).matches();
        } else {
          throw bad(USE_SPECS, useSpecs, "entry \"" + entry
              + "\" is neither a ${cpu}-${mem}Gi spec such as 2-4Gi nor an ECS instance type such as ecs.c6.xlarge");
        }
      }
    }

    List<String> vSwitchIds = List.of();
    String vSwitch = a.get(VSWITCH);
    if (vSwitch != null) {
      vSwitchIds = list(VSWITCH, vSwitch);
      if (vSwitchIds.size() > MappingContext.MAX_VSWITCHES) {
        throw bad(VSWITCH, vSwitch, "has " + vSwitchIds.size() + " vSwitches, at most "
            + MappingContext.MAX_VSWITCHES + " are allowed");
      }
    }

    String scheduleStrategy = oneOf(a, SCHEDULE_STRATEGY, List.of("VSwitchOrdered", "VSwitchRandom"));

    String securityGroupId = null;
    String securityGroup = a.get(SECURITY_GROUP);
    if (securityGroup != null) {
      List<String> groups = list(SECURITY_GROUP, securityGroup);
      if (groups.size() != 1) {
        throw bad(SECURITY_GROUP, securityGroup,
            "names " + groups.size() + " security groups, ECI's API takes exactly one");
      }
      securityGroupId = groups.get(0);
    }

    String spotStrategy = oneOf(a, SPOT_STRATEGY, List.of("SpotAsPriceGo", "SpotWithPriceLimit"));
    Float spotPriceLimit = null;
    String priceLimit = a.get(SPOT_PRICE_LIMIT);
    if (priceLimit != null) {
      if (!DECIMAL.matcher(priceLimit).matches()) {
        throw bad(SPOT_PRICE_LIMIT, priceLimit, "is not a decimal number");
      }
      if (!"SpotWithPriceLimit".equals(spotStrategy)) {
        throw bad(SPOT_PRICE_LIMIT, priceLimit, "needs " + SPOT_STRATEGY + ": SpotWithPriceLimit");
      }
      spotPriceLimit = Float.parseFloat(priceLimit);
    } else if ("SpotWithPriceLimit".equals(spotStrategy)) {
      throw bad(SPOT_STRATEGY, spotStrategy, "needs a price limit in " + SPOT_PRICE_LIMIT);
    }
    String duration = oneOf(a, SPOT_DURATION, List.of("0", "1"));
    Long spotDuration = duration == null ? null : Long.parseLong(duration);

    Boolean autoMatchImageCache = bool(a, AUTO_IMC);
    if (autoMatchImageCache == null) {
      autoMatchImageCache = bool(a, IMAGE_CACHE);
    } else {
      bool(a, IMAGE_CACHE); // still validated
    }
    String imageSnapshotId = nonEmpty(a, IMC_ID);
    String olderSnapshotId = nonEmpty(a, IMAGE_SNAPSHOT_ID);
    if (imageSnapshotId == null) {
      imageSnapshotId = olderSnapshotId;
    }

    Boolean autoCreateEip = bool(a, WITH_EIP);
    String eipInstanceId = nonEmpty(a, EIP_INSTANCE_ID);
    Integer eipBandwidth = positiveInt(a, EIP_BANDWIDTH, "a whole number of Mbit/s");
    String ramRoleName = nonEmpty(a, RAM_ROLE_NAME);

    Integer ephemeralStorage = null;
    String storage = a.get(EXTRA_EPHEMERAL_STORAGE);
    if (storage != null) {
      BigDecimal bytes = quantity(EXTRA_EPHEMERAL_STORAGE, storage);
      try {
        ephemeralStorage = bytes.divide(BYTES_PER_GIB, 0, RoundingMode.CEILING).intValueExact();
      } catch (ArithmeticException e) {
        throw bad(EXTRA_EPHEMERAL_STORAGE, storage, "is too large");
      }
    }

    List<Tag> customTags = List.of();
    String tags = a.get(CUSTOM_TAGS);
    if (tags != null) {
      customTags = new ArrayList<>();
      Set<String> keys = new LinkedHashSet<>();
      for (String pair : list(CUSTOM_TAGS, tags)) {
        int colon = pair.indexOf(':');
        if (colon <= 0) {
          throw bad(CUSTOM_TAGS, tags, "entry \"" + pair + "\" is not key:value");
        }
        String key = pair.substring(0, colon).trim();
        String value = pair.substring(colon + 1).trim();
        if (key.startsWith("ecivk.io/")) {
          throw bad(CUSTOM_TAGS, tags, "tag key " + key + " is reserved for this provider's own tags");
        }
        if (!keys.add(key)) {
          throw bad(CUSTOM_TAGS, tags, "tag key " + key + " is given twice");
        }
        customTags.add(new Tag(key, value));
      }
      if (customTags.size() > MAX_CUSTOM_TAGS) {
        throw bad(CUSTOM_TAGS, tags, "has " + customTags.size() + " tags, at most " + MAX_CUSTOM_TAGS
            + " are allowed");
      }
    }

    List<String> ntpServers = List.of();
    String ntp = a.get(NTP_SERVER);
    if (ntp != null) {
      ntpServers = list(NTP_SERVER, ntp);
      for (String server : ntpServers) {
        if (!IPV4.matcher(server).matches() && !IPV6.matcher(server).matches()) {
          throw bad(NTP_SERVER, ntp, "entry \"" + server + "\" is not an IP address");
        }
      }
    }

    String corePattern = nonEmpty(a, CORE_PATTERN);

    List<String> computeCategories = List.of();
    String categories = a.get(COMPUTE_CATEGORY);
    if (categories != null) {
      computeCategories = list(COMPUTE_CATEGORY, categories);
      if (new LinkedHashSet<>(computeCategories).size() != computeCategories.size()) {
        throw bad(COMPUTE_CATEGORY, categories, "names a category twice");
      }
      for (String category : computeCategories) {
        if (!category.equals("economy") && !category.equals("general")) {
          throw bad(COMPUTE_CATEGORY, categories, "entry \"" + category + "\" is not economy or general");
        }
      }
    }

    Integer maxPendingMinute = null;
    String pending = a.get(MAX_PENDING_MINUTE);
    if (pending != null) {
      if (!INTEGER.matcher(pending).matches()
          || Integer.parseInt(pending) < 10 || Integer.parseInt(pending) > 1440) {
        throw bad(MAX_PENDING_MINUTE, pending, "is not a whole number of minutes from 10 to 1440");
      }
      maxPendingMinute = Integer.parseInt(pending);
    }

    String gpuDriverVersion = nonEmpty(a, GPU_DRIVER_VERSION);
    Boolean ipv6 = bool(a, ENABLE_IPV6);
    Integer ipv6AddressCount = Boolean.TRUE.equals(ipv6) ? 1 : null;
    Long ingress = bandwidth(a, INGRESS_BANDWIDTH);
    Long egress = bandwidth(a, EGRESS_BANDWIDTH);

    return new Options(
        instanceTypes, firstSpec, gpuType, vSwitchIds, scheduleStrategy, securityGroupId, spotStrategy,
        spotPriceLimit, spotDuration, autoMatchImageCache, imageSnapshotId, autoCreateEip, eipInstanceId,
        eipBandwidth, ramRoleName, ephemeralStorage, List.copyOf(customTags), ntpServers, corePattern,
        computeCategories, maxPendingMinute, gpuDriverVersion, ipv6AddressCount, ingress, egress);
  }

  /** The comma-separated entries of {@code value}, trimmed; an empty entry is malformed. */
  private static List<String> list(String annotation, String value) {
    List<String> entries = new ArrayList<>();
    for (String entry : value.split(",", -1)) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        throw bad(annotation, value, "has an empty entry");
      }
      entries.add(trimmed);
    }
    return List.copyOf(entries);
  }

  private static String oneOf(Map<String, String> a, String annotation, List<String> allowed) {
    String value = a.get(annotation);
    if (value == null) {
      return null;
    }
    if (!allowed.contains(value)) {
      throw bad(annotation, value, "is not " + String.join(" or ", allowed));
    }
    return value;
  }

  private static Boolean bool(Map<String, String> a, String annotation) {
    String value = a.get(annotation);
    if (value == null) {
      return null;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw bad(annotation, value, "is not true or false");
    }
    return Boolean.valueOf(value);
  }

  private static String nonEmpty(Map<String, String> a, String annotation) {
    String value = a.get(annotation);
    if (value != null && value.isBlank()) {
      throw bad(annotation, value, "is empty");
    }
    return value == null ? null : value.trim();
  }

  private static Integer positiveInt(Map<String, String> a, String annotation, String what) {
    String value = a.get(annotation);
    if (value == null) {
      return null;
    }
    if (!INTEGER.matcher(value).matches() || Integer.parseInt(value) == 0) {
      throw bad(annotation, value, "is not " + what);
    }
    return Integer.parseInt(value);
  }

  private static BigDecimal quantity(String annotation, String value) {
    BigDecimal amount;
    try {
      amount = Quantity.getAmountInBytes(new Quantity(value));
    } catch (RuntimeException e) {
      throw bad(annotation, value, "is not a quantity");
    }
    if (amount.signum() <= 0) {
      throw bad(annotation, value, "is not positive");
    }
    return amount;
  }

  /** A Kubernetes bandwidth quantity ({@code 40M} = 40,000,000 bit/s) as bit/s. */
  private static Long bandwidth(Map<String, String> a, String annotation) {
    String value = a.get(annotation);
    if (value == null) {
      return null;
    }
    BigDecimal bits = quantity(annotation, value);
    try {
      return bits.longValueExact();
    } catch (ArithmeticException e) {
      throw bad(annotation, value, "is not a whole number of bit/s");
    }
  }

  private static ProviderException bad(String annotation, String value, String why) {
    return new ProviderException(
        ErrorCategory.INVALID_REQUEST,
        INVALID_ANNOTATION,
        "metadata.annotations[" + annotation + "]: \"" + value + "\" " + why);
  }
}
