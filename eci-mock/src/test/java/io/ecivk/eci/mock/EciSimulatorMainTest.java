package io.ecivk.eci.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EciSimulatorMainTest {

    private static final String[] ARGS = {"--port", "0", "--access-key-id", "ID", "--access-key-secret", "SECRET",
        "--region", "cn-hangzhou", "--vswitch", "vsw-a=cn-hangzhou-i:10.224.0.0/16",
        "--vswitch", "vsw-b=cn-hangzhou-j:10.225.0.0/16", "--scheduling-seconds", "0.5"};

    @Test
    void buildsAWorkingSimulatorFromTheOptions() {
        EciSimulatorMain main = new EciSimulatorMain();
        new CommandLine(main).parseArgs(ARGS);

        try (EciSimulator simulator = main.toSimulator()) {
            int port = simulator.start();
            assertThat(port).isPositive();
            assertThat(main.startupLine(port)).isEqualTo("ECI simulator listening on http://127.0.0.1:" + port
                    + " (region cn-hangzhou, zones cn-hangzhou-i,cn-hangzhou-j)");
            assertThat(simulator.containerGroupCount()).isZero();
        }
    }

    @Test
    void helpDocumentsEveryFlag() {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new EciSimulatorMain()).setOut(new PrintWriter(out)).execute("--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("--port", "--bind", "--region", "--access-key-id", "--access-key-secret",
                "--security-token", "--vswitch", "--security-group", "--scheduling-seconds", "--pending-seconds",
                "--terminating-seconds");
    }

    @Test
    void badVSwitchSyntaxIsAUsageError() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new EciSimulatorMain()).setErr(new PrintWriter(err)).execute("--port", "0",
                "--access-key-id", "ID", "--access-key-secret", "SECRET", "--vswitch", "vsw-a");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("ID=ZONE:CIDR").doesNotContain("SECRET");
    }
}
