package io.ecivk.eci.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerGroupNamesTest {

  /** ECI's rule: 2 to 128 characters, lowercase letters, digits and '-', no '-' at either end. */
  private static final Pattern VALID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,126}[a-z0-9])?");

  private static final String UID_1 = "6f1c2a9e-0c47-4b8e-9d3a-1f0e8c7b5a21"; // sha256 starts 3f920e5bb3
  private static final String UID_2 = "0b6a1f52-3c9d-4e7a-8b21-5f4d3c2b1a09"; // sha256 starts d1cf18bbf4

  static Stream<Arguments> names() {
    return Stream.of(
        Arguments.of("plain", "shop", "web-7d4b9c6f5-x2k8p", UID_1, "shop-web-7d4b9c6f5-x2k8p-3f920e5bb3"),
        Arguments.of("same namespace and name, other incarnation", "shop", "web-7d4b9c6f5-x2k8p", UID_2,
            "shop-web-7d4b9c6f5-x2k8p-d1cf18bbf4"),
        Arguments.of("dots become dashes", "default", "db.primary.0", UID_1, "default-db-primary-0-3f920e5bb3"),
        Arguments.of("uppercase and odd characters are lowered and collapsed", "Team_A", "My..Pod__X", UID_1,
            "team-a-my-pod-x-3f920e5bb3"),
        Arguments.of("no dash at the ends", "-ns-", "..pod..", UID_1, "ns-pod-3f920e5bb3"),
        Arguments.of("long names are cut to 117 characters before the hash", "n".repeat(63), "p".repeat(253), UID_1,
            "n".repeat(63) + "-" + "p".repeat(53) + "-3f920e5bb3"),
        Arguments.of("a cut that ends in a dash drops it", "n".repeat(63), "p".repeat(52) + "-q".repeat(60), UID_1,
            "n".repeat(63) + "-" + "p".repeat(52) + "-3f920e5bb3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void name(String name, String namespace, String podName, String uid, String expected) {
    String groupName = ContainerGroupNames.of(pod(namespace, podName, uid));

    assertThat(groupName).isEqualTo(expected);
    assertThat(groupName).matches(VALID).hasSizeLessThanOrEqualTo(128);
  }

  @Test
  void samePodAlwaysGetsTheSameName() {
    assertThat(ContainerGroupNames.of(pod("shop", "web", UID_1)))
        .isEqualTo(ContainerGroupNames.of(pod("shop", "web", UID_1)));
  }

  @Test
  void namesAreValidAndDistinctPerUidWhateverTheInput() {
    String[] namespaces = {"a", "default", "kube-system", "X", "-", "n".repeat(63), "ü-ñ", "a.b.c"};
    String[] podNames = {"b", "web-1", "Web.1", "-x-", "p".repeat(253), "日本", "a--b", "0"};
    Set<String> seen = new HashSet<>();
    int count = 0;
    for (String namespace : namespaces) {
      for (String podName : podNames) {
        String uid = "uid-" + count++;
        String groupName = ContainerGroupNames.of(pod(namespace, podName, uid));
        assertThat(groupName).as("%s/%s", namespace, podName).matches(VALID).hasSizeGreaterThanOrEqualTo(2);
        assertThat(seen.add(groupName)).as("unique: %s", groupName).isTrue();
      }
    }
  }

  @Test
  void podWithoutUidIsRefused() {
    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> ContainerGroupNames.of(pod("shop", "web", null)));

    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
    assertThat(e.code()).isEqualTo("InvalidPodField");
    assertThat(e.getMessage()).isEqualTo("metadata.uid: missing, the pod has no UID");
  }

  static Pod pod(String namespace, String name, String uid) {
    return new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withUid(uid).endMetadata()
        .build();
  }
}
