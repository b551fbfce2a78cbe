package io.ecivk.kubeletapi.remotecommand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.kubeletapi.StreamTarget.Kind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StreamOptionsTest {

  static List<Arguments> valid() {
    return List.of(
        // What the API server sends the kubelet.
        Arguments.of(Kind.EXEC, "/exec/ns/p/c?command=ls&input=1&output=1&error=1",
            new StreamOptions(true, true, true, false, List.of("ls"))),
        Arguments.of(Kind.EXEC, "/exec/ns/p/c?command=sh&command=-c&command=echo%20hi&output=1",
            new StreamOptions(false, true, false, false, List.of("sh", "-c", "echo hi"))),
        // The pod API's names and values, for clients that talk to the node directly.
        Arguments.of(Kind.EXEC, "/exec/ns/p/c?command=ls&stdin=true&stdout=true&stderr=TRUE",
            new StreamOptions(true, true, true, false, List.of("ls"))),
        // A TTY merges stderr into stdout, so stderr is dropped, as the kubelet does.
        Arguments.of(Kind.EXEC, "/exec/ns/p/c?command=bash&input=1&output=1&error=1&tty=1",
            new StreamOptions(true, true, false, true, List.of("bash"))),
        // Only "1" and "true" switch a stream on; the first value decides; the kubelet name wins.
        Arguments.of(Kind.EXEC, "/exec/ns/p/c?command=ls&output=1&error=0&input=yes&tty=false",
            new StreamOptions(false, true, false, false, List.of("ls"))),
        Arguments.of(Kind.EXEC, "/exec/ns/p/c?command=ls&output=0&output=1&stdout=1&stdin=1",
            new StreamOptions(true, false, false, false, List.of("ls"))),
        // Attach ignores any command.
        Arguments.of(Kind.ATTACH, "/attach/ns/p/c?input=1&output=1&tty=1&command=ignored",
            new StreamOptions(true, true, false, true, List.of())),
        Arguments.of(Kind.ATTACH, "/attach/ns/p/c?error=1",
            new StreamOptions(false, false, true, false, List.of())));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parsesLikeTheKubelet(Kind kind, String uri, StreamOptions expected) {
    assertThat(StreamOptions.parse(uri, kind)).isEqualTo(expected);
  }

  static List<Arguments> invalid() {
    return List.of(
        Arguments.of(Kind.EXEC, "/exec/ns/p/c?command=ls", "you must specify at least 1 of stdin, stdout, stderr"),
        Arguments.of(Kind.EXEC, "/exec/ns/p/c?command=ls&input=0&output=false",
            "you must specify at least 1 of stdin, stdout, stderr"),
        // With a TTY, stderr alone is no stream at all.
        Arguments.of(Kind.ATTACH, "/attach/ns/p/c?error=1&tty=1",
            "you must specify at least 1 of stdin, stdout, stderr"),
        Arguments.of(Kind.EXEC, "/exec/ns/p/c?output=1",
            "you must specify at least one command for the container"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void refusesWithTheKubeletMessage(Kind kind, String uri, String message) {
    assertThatThrownBy(() -> StreamOptions.parse(uri, kind))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
