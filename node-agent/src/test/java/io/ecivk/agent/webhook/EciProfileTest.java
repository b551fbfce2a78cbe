package io.ecivk.agent.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EciProfileTest {

  @Test
  void parsesAckFormatInOrder() {
    EciProfile profile = EciProfile.parse("""
        [{"name":"a","namespaceSelector":{"matchLabels":{"team":"web"}},
          "effect":{"annotations":{"k8s.aliyun.com/eci-use-specs":"2-4Gi"},"labels":{"eci":"true"}}},
         {"name":"b","objectSelector":{"matchExpressions":[{"key":"tier","operator":"Exists"}]}}]""");

    assertThat(profile.selectors()).extracting(EciProfile.Selector::name).containsExactly("a", "b");
    assertThat(profile.selectors().get(0).annotations()).containsExactly(
        Map.entry("k8s.aliyun.com/eci-use-specs", "2-4Gi"));
    assertThat(profile.selectors().get(0).labels()).containsExactly(Map.entry("eci", "true"));
    assertThat(profile.selectors().get(1).annotations()).isEmpty();
  }

  @Test
  void blankMeansNoSelectors() {
    assertThat(EciProfile.parse("").selectors()).isEmpty();
    assertThat(EciProfile.parse(null).selectors()).isEmpty();
    assertThat(EciProfile.parse("[]").selectors()).isEmpty();
  }

  @Test
  void firstMatchWins() {
    EciProfile profile = EciProfile.parse("""
        [{"name":"specific","objectSelector":{"matchLabels":{"app":"web"}}},{"name":"broad"}]""");

    assertThat(profile.firstMatch(Map.of(), Map.of("app", "web"))).map(EciProfile.Selector::name).hasValue("specific");
    assertThat(profile.firstMatch(Map.of(), Map.of("app", "db"))).map(EciProfile.Selector::name).hasValue("broad");
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      {"matchLabels":{"a":"1"}}                                           | a=1     | true
      {"matchLabels":{"a":"1"}}                                           | a=2     | false
      {"matchLabels":{"a":"1"}}                                           | ''      | false
      {"matchExpressions":[{"key":"a","operator":"In","values":["1","2"]}]}     | a=2 | true
      {"matchExpressions":[{"key":"a","operator":"In","values":["1","2"]}]}     | ''  | false
      {"matchExpressions":[{"key":"a","operator":"NotIn","values":["1"]}]}      | a=1 | false
      {"matchExpressions":[{"key":"a","operator":"NotIn","values":["1"]}]}      | ''  | true
      {"matchExpressions":[{"key":"a","operator":"Exists"}]}              | a=      | true
      {"matchExpressions":[{"key":"a","operator":"Exists"}]}              | b=1     | false
      {"matchExpressions":[{"key":"a","operator":"DoesNotExist"}]}        | b=1     | true
      {"matchExpressions":[{"key":"a","operator":"DoesNotExist"}]}        | a=1     | false
      {"matchLabels":{"a":"1"},"matchExpressions":[{"key":"b","operator":"Exists"}]} | a=1 | false
      {}                                                                  | ''      | true
      """)
  void labelSelectorSemantics(String selector, String label, boolean expected) {
    EciProfile profile = EciProfile.parse("[{\"name\":\"s\",\"objectSelector\":" + selector + "}]");
    Map<String, String> labels = label.isEmpty() ? Map.of()
        : Map.of(label.substring(0, label.indexOf('=')), label.substring(label.indexOf('=') + 1));

    assertThat(profile.firstMatch(Map.of(), labels).isPresent()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"name":"x"}                                                        | selectors must be a JSON list, got OBJECT
      [{"name":"x"                                                        | selectors is not valid JSON
      [{"effect":{}}]                                                     | selectors[0].name is missing
      [{"name":"x"},{"name":"x"}]                                         | selectors[1] (x): duplicate name
      [{"name":"x","objectSelector":{"matchExpressions":[{"key":"a","operator":"Equals","values":["1"]}]}}] | selectors[0] (x).objectSelector.matchExpressions[key=a]: unknown operator 'Equals'
      [{"name":"x","objectSelector":{"matchExpressions":[{"key":"a","operator":"In"}]}}] | operator In needs at least one value
      [{"name":"x","namespaceSelector":{"matchExpressions":[{"key":"a","operator":"Exists","values":["1"]}]}}] | selectors[0] (x).namespaceSelector.matchExpressions[key=a]: operator Exists takes no values
      [{"name":"x","objectSelector":{"matchLabel":{"a":"1"}}}]            | selectors[0] (x).objectSelector: unknown field 'matchLabel'
      [{"name":"x","effect":{"labels":{"eci":true}}}]                     | selectors[0] (x).effect.labels.eci must be a string
      [{"name":"x","effect":[]}]                                          | selectors[0] (x).effect must be an object
      """)
  void malformedIsRejectedWithWhere(String json, String message) {
    assertThatThrownBy(() -> EciProfile.parse(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
