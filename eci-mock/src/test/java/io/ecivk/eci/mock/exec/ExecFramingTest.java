package io.ecivk.eci.mock.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExecFramingTest {

    @Test
    void encodesTheChannelAsTheFirstByte() {
        assertThat(ExecFraming.encode(1, new byte[] {'h', 'i'})).containsExactly(0x01, 'h', 'i');
        assertThat(ExecFraming.encode(2, new byte[0])).containsExactly(0x02);
        assertThat(ExecFraming.encode(255, new byte[] {0})).containsExactly(0xff, 0x00);
        assertThatThrownBy(() -> ExecFraming.encode(256, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodesChannelAndPayload() {
        ExecFraming.Frame stdin = ExecFraming.decode(new byte[] {0x00, 'l', 's', '\n'});
        assertThat(stdin.channel()).isEqualTo(0);
        assertThat(stdin.payload()).containsExactly('l', 's', '\n');
        ExecFraming.Frame close = ExecFraming.decode(new byte[] {(byte) 0xff, 0x00});
        assertThat(close.channel()).isEqualTo(255);
        assertThat(close.payload()).containsExactly(0x00);
        assertThatThrownBy(() -> ExecFraming.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exitStatusIsAKubernetesStatusOnTheErrorChannel() {
        assertThat(new String(ExecFraming.exitStatus(0), StandardCharsets.UTF_8))
                .isEqualTo("\u0003{\"metadata\":{},\"status\":\"Success\"}");
        assertThat(new String(ExecFraming.exitStatus(3), StandardCharsets.UTF_8))
                .isEqualTo("\u0003{\"metadata\":{},\"status\":\"Failure\","
                        + "\"message\":\"command terminated with non-zero exit code: exit status 3\","
                        + "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\","
                        + "\"message\":\"3\"}]}}");
    }

    @Test
    void parsesResizeMessages() {
        assertThat(ExecFraming.parseResize("{\"Width\":120,\"Height\":40}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new ExecFraming.TerminalSize(120, 40));
        assertThatThrownBy(() -> ExecFraming.parseResize("{\"Width\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExecFraming.parseResize("80x24".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExecFraming.parseResize("{\"Width\":-1,\"Height\":2}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
    }
}
