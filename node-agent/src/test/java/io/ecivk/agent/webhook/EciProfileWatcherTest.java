package io.ecivk.agent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The watcher's reload rules, fed ConfigMap versions directly (the informer wiring is in PodMutatingWebhookIT). */
class EciProfileWatcherTest {
  private final List<String> warnings = new ArrayList<>();
  private final EciProfileWatcher watcher = new EciProfileWatcher((cm, error) ->
      warnings.add(cm.getMetadata().getResourceVersion() + ": " + error));

  private static ConfigMap version(String rv, String selectors) {
    return new ConfigMapBuilder().withNewMetadata().withName("eci-profile").withNamespace("kube-system")
        .withResourceVersion(rv).endMetadata().withData(selectors == null ? Map.of() : Map.of("selectors", selectors))
        .build();
  }

  @Test
  void goodVersionsReplaceTheProfile() {
    watcher.apply(version("1", "[{\"name\":\"a\"}]"));
    assertThat(watcher.get().selectors()).extracting(EciProfile.Selector::name).containsExactly("a");

    watcher.apply(version("2", "[{\"name\":\"b\"}]"));
    assertThat(watcher.get().selectors()).extracting(EciProfile.Selector::name).containsExactly("b");

    watcher.apply(version("3", null));
    assertThat(watcher.get().selectors()).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void malformedVersionKeepsTheLastGoodProfileAndWarnsOnce() {
    watcher.apply(version("1", "[{\"name\":\"a\"}]"));

    watcher.apply(version("2", "[{\"name\":"));
    watcher.apply(version("2", "[{\"name\":")); // informer resync of the same version

    assertThat(watcher.get().selectors()).extracting(EciProfile.Selector::name).containsExactly("a");
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).startsWith("2: selectors is not valid JSON");
  }
}
