package io.ecivk.eci.mock.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.mock.model.ContainerSpec;
import io.ecivk.eci.mock.model.EnvVar;
import io.ecivk.eci.mock.model.VolumeMountSpec;
import io.ecivk.eci.mock.model.VolumeSpec;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecProcessTest {

    private static final ContainerSpec APP = new ContainerSpec("app", "nginx", BigDecimal.ZERO, BigDecimal.ZERO,
            null, null, List.of(), List.of(),
            List.of(new EnvVar("GREETING", "hello", null), new EnvVar("POD_IP", null, "status.podIP"),
                    new EnvVar("MODE", "prod", null)),
            List.of(), List.of(new VolumeMountSpec("config", "/etc/app", true, null, null),
                    new VolumeMountSpec("single", "/opt/one.txt", true, "one.txt", null)));
    private static final List<VolumeSpec> VOLUMES = List.of(
            new VolumeSpec("config", "ConfigFileVolume", null, null, new VolumeSpec.ConfigFile(null, List.of(
                    new VolumeSpec.ConfigFileToPath("app.conf", b64("port=8080\n"), null),
                    new VolumeSpec.ConfigFileToPath("sub/dir.conf", b64("nested\n"), null))), null, null),
            new VolumeSpec("single", "ConfigFileVolume", null, null, new VolumeSpec.ConfigFile(null, List.of(
                    new VolumeSpec.ConfigFileToPath("one.txt", b64("one\n"), null))), null, null));

    /** Records output; exit code -1 until the process exits. */
    private static final class Recorder implements ExecProcess.Sink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = -1;
        int exits;
        boolean writable = true;
        /** When set, the sink fills up after each write (a client that reads one chunk at a time). */
        boolean fillsAfterEachWrite;
        int writes;

        @Override
        public void stdout(byte[] data) {
            out.writeBytes(data);
            writes++;
            if (fillsAfterEachWrite) {
                writable = false;
            }
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public void stderr(byte[] data) {
            err.writeBytes(data);
        }

        @Override
        public void exit(int code) {
            exit = code;
            exits++;
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Recorder run(boolean tty, boolean stdin, String... command) {
        Recorder recorder = new Recorder();
        new ExecProcess(new ExecTarget("eci-1", "web-0", APP, VOLUMES, List.of(command), tty, stdin), recorder)
                .start();
        return recorder;
    }

    private static ExecProcess start(Recorder recorder, boolean tty, String... command) {
        ExecProcess process = new ExecProcess(
                new ExecTarget("eci-1", "web-0", APP, VOLUMES, List.of(command), tty, true), recorder);
        process.start();
        return process;
    }

    @Test
    void builtInCommands() {
        Recorder echo = run(false, false, "echo", "hello", "world");
        assertThat(echo.out()).isEqualTo("hello world\n");
        assertThat(echo.exit).isZero();
        assertThat(run(false, false, "/usr/bin/env").out()).isEqualTo("GREETING=hello\nMODE=prod\n");
        assertThat(run(false, false, "hostname").out()).isEqualTo("web-0\n");
        assertThat(run(false, false, "false").exit).isEqualTo(1);
        assertThat(run(false, false, "exit", "3").exit).isEqualTo(3);
        assertThat(run(false, false, "exit", "257").exit).isEqualTo(1);
    }

    @Test
    void catReadsConfigFilesOfMountedVolumes() {
        Recorder cat = run(false, false, "cat", "/etc/app/app.conf", "/etc/app//sub/dir.conf", "/opt/one.txt");
        assertThat(cat.out()).isEqualTo("port=8080\nnested\none\n");
        assertThat(cat.exit).isZero();
        Recorder missing = run(false, false, "cat", "/etc/app/missing", "/etc/app/app.conf");
        assertThat(missing.out()).isEqualTo("port=8080\n");
        assertThat(missing.err()).isEqualTo("cat: /etc/app/missing: No such file or directory\n");
        assertThat(missing.exit).isEqualTo(1);
    }

    @Test
    void seqPrintsItsRange() {
        assertThat(run(false, false, "seq", "3").out()).isEqualTo("1\n2\n3\n");
        assertThat(run(false, false, "seq", "9", "11").out()).isEqualTo("9\n10\n11\n");
        assertThat(run(false, false, "seq", "0").out()).isEmpty();
        assertThat(run(true, false, "seq", "2").out()).isEqualTo("1\r\n2\r\n");
        Recorder bad = run(false, false, "seq", "x");
        assertThat(bad.err()).isEqualTo("seq: invalid floating point argument: 'x'\n");
        assertThat(bad.exit).isEqualTo(1);
        Recorder none = run(false, false, "seq");
        assertThat(none.err()).isEqualTo("seq: missing operand\n");
        assertThat(none.exit).isEqualTo(1);
    }

    @Test
    void seqWritesOnlyWhileTheSinkTakesOutputAndTheScriptGoesOnAfterIt() {
        Recorder recorder = new Recorder();
        recorder.fillsAfterEachWrite = true;
        ExecProcess process = new ExecProcess(new ExecTarget("eci-1", "web-0", APP, VOLUMES,
                List.of("sh", "-c", "seq 100000; echo done"), false, false), recorder);
        process.start();
        assertThat(recorder.writes).isEqualTo(1);
        assertThat(recorder.out.size()).isBetween(ExecProcess.SEQ_CHUNK, ExecProcess.SEQ_CHUNK + 24);
        assertThat(recorder.exit).isEqualTo(-1);
        process.outputDrained(); // still full: nothing more
        assertThat(recorder.writes).isEqualTo(1);

        int drains = 0;
        while (recorder.exit == -1 && drains++ < 1000) {
            recorder.writable = true;
            process.outputDrained();
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 100000; i++) {
            expected.append(i).append('\n');
        }
        assertThat(recorder.out()).isEqualTo(expected + "done\n");
        assertThat(recorder.exit).isZero();
        assertThat(recorder.writes).isGreaterThan(10);
    }

    @Test
    void unknownCommandExits127() {
        Recorder unknown = run(false, false, "kubectl", "version");
        assertThat(unknown.err()).isEqualTo("kubectl: command not found\n");
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.exit).isEqualTo(127);
    }

    @Test
    void shellScriptsRunInOrderAndStopAtExit() {
        Recorder script = run(false, false, "/bin/sh", "-c", "echo 'a; b' ; echo \"c  d\"; nope; exit 4; echo never");
        assertThat(script.out()).isEqualTo("a; b\nc  d\n");
        assertThat(script.err()).isEqualTo("nope: command not found\n");
        assertThat(script.exit).isEqualTo(4);
        assertThat(run(false, false, "sh", "-c", "false; true").exit).isZero();
        assertThat(run(false, false, "sh", "-c", "echo 'open").exit).isEqualTo(2);
    }

    @Test
    void catWithoutArgumentsCopiesStdinUntilEndOfInput() {
        Recorder recorder = new Recorder();
        ExecProcess process = start(recorder, false, "cat");
        process.stdin(bytes("line 1\n"));
        process.stdin(bytes("line 2"));
        assertThat(recorder.exit).isEqualTo(-1);
        process.closeStdin();
        assertThat(recorder.out()).isEqualTo("line 1\nline 2");
        assertThat(recorder.exit).isZero();
        assertThat(recorder.exits).isEqualTo(1);
    }

    @Test
    void catWithoutStdinEndsAtOnce() {
        Recorder recorder = run(false, false, "sh", "-c", "cat; echo done");
        assertThat(recorder.out()).isEqualTo("done\n");
        assertThat(recorder.exit).isZero();
    }

    @Test
    void interactiveShellWithoutTtyReadsCommandLines() {
        Recorder recorder = new Recorder();
        ExecProcess process = start(recorder, false, "sh");
        process.stdin(bytes("echo one\nhostname; ex"));
        process.stdin(bytes("it 5\necho never\n"));
        assertThat(recorder.out()).isEqualTo("one\nweb-0\n");
        assertThat(recorder.exit).isEqualTo(5);
    }

    @Test
    void ttyEchoesInputPromptsAndUsesCrlf() {
        Recorder recorder = new Recorder();
        ExecProcess process = start(recorder, true, "/bin/sh");
        process.stdin(bytes("echo hi\r"));
        process.stdin(bytes("nope\r"));
        assertThat(recorder.out()).isEqualTo("# echo hi\r\nhi\r\n# nope\r\nnope: command not found\r\n# ");
        assertThat(recorder.err()).isEmpty();
        process.stdin(new byte[] {0x04});
        assertThat(recorder.out()).endsWith("# exit\r\n");
        assertThat(recorder.exit).isEqualTo(127);
    }

    @Test
    void sttySizeAnswersTheLatestResize() {
        Recorder recorder = new Recorder();
        ExecProcess process = start(recorder, true, "sh");
        process.resize(new ExecFraming.TerminalSize(80, 24));
        process.resize(new ExecFraming.TerminalSize(132, 43));
        process.stdin(bytes("stty size\r"));
        assertThat(recorder.out()).isEqualTo("# stty size\r\n43 132\r\n# ");
        assertThat(process.resizes()).containsExactly(new ExecFraming.TerminalSize(80, 24),
                new ExecFraming.TerminalSize(132, 43));
        Recorder noTty = run(false, false, "stty", "size");
        assertThat(noTty.err()).isEqualTo("stty: 'standard input': Inappropriate ioctl for device\n");
        assertThat(noTty.exit).isEqualTo(1);
    }

    @Test
    void ttyLineEditingAndInterrupt() {
        Recorder recorder = new Recorder();
        ExecProcess process = start(recorder, true, "cat");
        process.stdin(bytes("ab"));
        process.stdin(new byte[] {0x7f});
        process.stdin(bytes("c\r\n"));
        assertThat(recorder.out()).isEqualTo("ab\b \bc\r\nac\r\n");
        process.stdin(new byte[] {0x03});
        assertThat(recorder.exit).isEqualTo(130);
        assertThat(recorder.out()).endsWith("^C\r\n");
    }

    @Test
    void abandonedProcessesStayQuiet() {
        Recorder recorder = new Recorder();
        ExecProcess process = start(recorder, false, "cat");
        process.abandon();
        process.stdin(bytes("ignored"));
        process.closeStdin();
        assertThat(recorder.out()).isEmpty();
        assertThat(recorder.exits).isZero();
    }
}
