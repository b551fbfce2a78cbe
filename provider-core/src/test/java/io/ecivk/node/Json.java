package io.ecivk.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import tools.jackson.databind.json.JsonMapper;

/** Compares what we would send with literal JSON, as trees: key order and whitespace do not matter. */
final class Json {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  static void assertJson(Object actual, String expected) {
    assertThat(MAPPER.readTree(Serialization.asJson(actual))).isEqualTo(MAPPER.readTree(expected));
  }
}
