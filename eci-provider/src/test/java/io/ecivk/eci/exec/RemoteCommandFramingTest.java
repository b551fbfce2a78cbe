package io.ecivk.eci.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.spi.ContainerExec.ExecExit;
import io.ecivk.spi.ContainerExec.TerminalSize;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteCommandFramingTest {

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void outgoingMessages() {
    assertThat(RemoteCommandFraming.stdin(ascii("ls\n"))).containsExactly(0x00, 'l', 's', '\n');
    assertThat(RemoteCommandFraming.stdin(new byte[0])).containsExactly(0x00);
    assertThat(RemoteCommandFraming.resize(new TerminalSize(80, 24)))
        .containsExactly(concat(new byte[] {0x04}, ascii("{\"Width\":80,\"Height\":24}")));
    assertThat(RemoteCommandFraming.closeStdin()).containsExactly(0xff, 0x00);
  }

  @Test
  void incomingMessages() {
    RemoteCommandFraming.Frame stdout = RemoteCommandFraming.decode(new byte[] {0x01, 'h', 'i'});
    assertThat(stdout.channel()).isEqualTo(1);
    assertThat(stdout.payload()).containsExactly('h', 'i');
    RemoteCommandFraming.Frame stderr = RemoteCommandFraming.decode(new byte[] {0x02});
    assertThat(stderr.channel()).isEqualTo(2);
    assertThat(stderr.payload()).isEmpty();
    assertThat(RemoteCommandFraming.decode(new byte[] {(byte) 0xff, 0x00}).channel()).isEqualTo(255);
    assertThatThrownBy(() -> RemoteCommandFraming.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exitStatuses() {
    assertThat(RemoteCommandFraming.exitOf(ascii("{\"metadata\":{},\"status\":\"Success\"}")))
        .isEqualTo(ExecExit.code(0));
    assertThat(RemoteCommandFraming.exitOf(ascii("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command "
        + "terminated with non-zero exit code: exit status 3\",\"reason\":\"NonZeroExitCode\",\"details\":"
        + "{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}")))
        .isEqualTo(ExecExit.code(3));
    assertThat(RemoteCommandFraming.exitOf(ascii("{\"status\":\"Failure\",\"message\":\"container not found\"}")))
        .isEqualTo(ExecExit.failure("container not found"));
    assertThat(RemoteCommandFraming.exitOf(ascii("{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\","
        + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"x\"}]}}")))
        .isEqualTo(ExecExit.failure("the command failed in ECI"));
    assertThat(RemoteCommandFraming.exitOf(ascii("not json")).message())
        .isEqualTo(Optional.of("ECI ended the exec session with an unreadable status: not json"));
    assertThat(RemoteCommandFraming.exitOf(ascii("[1]")).exitCode()).isEmpty();
  }

  @Test
  void onlyV5CanCloseStdin() {
    assertThat(RemoteCommandFraming.SUBPROTOCOLS).containsExactly("v5.channel.k8s.io", "v4.channel.k8s.io");
    assertThat(RemoteCommandFraming.canCloseStdin("v5.channel.k8s.io")).isTrue();
    assertThat(RemoteCommandFraming.canCloseStdin("v4.channel.k8s.io")).isFalse();
    assertThat(RemoteCommandFraming.canCloseStdin(null)).isFalse();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
