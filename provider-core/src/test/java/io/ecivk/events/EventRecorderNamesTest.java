package io.ecivk.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Names of observed events' Event objects: deterministic per key, within Kubernetes' 253 characters. */
class EventRecorderNamesTest {

  @ParameterizedTest
  @CsvSource({
    "web, uid-1|WARNING|NoStock|out of stock, web.d977a0c0f1e4897d",
    "web, uid-2|WARNING|NoStock|out of stock, web.81538bc9743fc84d",
  })
  void nameIsTheObjectNameAndADigestOfTheKey(String object, String key, String expected) {
    assertThat(EventRecorder.observedName(object, key)).isEqualTo(expected);
  }

  @Test
  void differentKeysGiveDifferentNamesAndLongObjectNamesAreShortened() {
    assertThat(EventRecorder.observedName("web", "uid-1|WARNING|NoStock|a"))
        .isNotEqualTo(EventRecorder.observedName("web", "uid-1|WARNING|NoStock|b"));
    String longName = "p".repeat(253);
    String name = EventRecorder.observedName(longName, "k");
    assertThat(name).hasSize(253).startsWith("p".repeat(236) + ".");
  }
}
