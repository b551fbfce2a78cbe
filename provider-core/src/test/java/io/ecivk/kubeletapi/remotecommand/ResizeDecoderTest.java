package io.ecivk.kubeletapi.remotecommand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.spi.ContainerExec.TerminalSize;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ResizeDecoderTest {

  static List<Arguments> objects() {
    return List.of(
        Arguments.of("{\"Width\":80,\"Height\":24}", Optional.of(new TerminalSize(80, 24))),
        Arguments.of("{\"width\": 120 , \"height\" : 40}", Optional.of(new TerminalSize(120, 40))),
        Arguments.of("{\"Height\":1,\"Other\":\"x}\",\"Width\":65535,\"z\":null}",
            Optional.of(new TerminalSize(65535, 1))),
        Arguments.of("{\"Width\":80}", Optional.empty()),
        Arguments.of("{\"Width\":-1,\"Height\":24}", Optional.empty()),
        Arguments.of("{\"Width\":65536,\"Height\":24}", Optional.empty()),
        Arguments.of("{\"Width\":80.5,\"Height\":24}", Optional.empty()),
        Arguments.of("{\"Width\":\"80\",\"Height\":24}", Optional.empty()),
        Arguments.of("{\"Width\":80,\"Height\":24,}x", Optional.empty()));
  }

  @ParameterizedTest
  @MethodSource("objects")
  void parsesOneObject(String json, Optional<TerminalSize> expected) {
    assertThat(ResizeDecoder.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
  }

  @Test
  void readsObjectsSplitAndJoinedAcrossFeeds() {
    ResizeDecoder decoder = new ResizeDecoder();
    assertThat(decoder.feed(bytes("{\"Width\":10,"))).isEmpty();
    assertThat(decoder.feed(bytes("\"Height\":5}\n{\"Width\":20,\"Height\":6}{\"Wid")))
        .containsExactly(new TerminalSize(10, 5), new TerminalSize(20, 6));
    assertThat(decoder.feed(bytes("th\":30,\"Height\":7}"))).containsExactly(new TerminalSize(30, 7));
  }

  @Test
  void skipsBadObjectsAndKeepsGoing() {
    ResizeDecoder decoder = new ResizeDecoder();
    assertThat(decoder.feed(bytes("{\"Width\":\"wide\"}{\"Width\":1,\"Height\":2}")))
        .containsExactly(new TerminalSize(1, 2));
  }

  @Test
  void dropsAnOversizedObjectWithoutKeepingIt() {
    ResizeDecoder decoder = new ResizeDecoder();
    String huge = "{\"pad\":\"" + "x".repeat(ResizeDecoder.MAX_OBJECT_BYTES) + "\",\"Width\":1,\"Height\":1}";
    assertThat(decoder.feed(bytes(huge + "{\"Width\":3,\"Height\":4}")))
        .containsExactly(new TerminalSize(3, 4));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
