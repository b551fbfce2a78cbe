package io.ecivk.eci.mock;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs the simulator as a standalone process until it is terminated (SIGTERM or Ctrl-C). */
@Command(name = "eci-mock", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Simulates the Alibaba Cloud ECI 2018-08-08 API for local development and tests.")
public final class EciSimulatorMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "18080", description = "TCP port to listen on; 0 picks a free one "
            + "(default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bindAddress;

    @Option(names = "--region", defaultValue = "cn-hangzhou",
            description = "The region served; requests for others fail (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--access-key-id", required = true, description = "AccessKeyId clients sign with.")
    String accessKeyId;

    @Option(names = "--access-key-secret", required = true, description = "The matching AccessKey secret.")
    String accessKeySecret;

    @Option(names = "--security-token", description = "Makes the key an STS key: every request must carry this "
            + "token in x-acs-security-token.")
    String securityToken;

    @Option(names = "--vswitch", required = true, paramLabel = "ID=ZONE:CIDR",
            description = "A vSwitch, e.g. vsw-a=cn-hangzhou-i:10.224.0.0/16. Repeatable; group IPs come from "
                    + "its CIDR block.")
    List<String> vSwitches = new ArrayList<>();

    @Option(names = "--security-group", paramLabel = "ID", description = "A security group that exists. "
            + "Repeatable; with none given any sg-* id is accepted.")
    Set<String> securityGroups = new LinkedHashSet<>();

    @Option(names = "--scheduling-seconds", defaultValue = "1",
            description = "Seconds a new group stays Scheduling (default: ${DEFAULT-VALUE}).")
    double schedulingSeconds;

    @Option(names = "--pending-seconds", defaultValue = "2",
            description = "Seconds a group stays Pending before Running (default: ${DEFAULT-VALUE}).")
    double pendingSeconds;

    @Option(names = "--terminating-seconds", defaultValue = "1",
            description = "Seconds a deleted group stays Terminating (default: ${DEFAULT-VALUE}).")
    double terminatingSeconds;

    @Option(names = "--updating-seconds", defaultValue = "1",
            description = "Seconds an updated group stays Updating (default: ${DEFAULT-VALUE}).")
    double updatingSeconds;

    @Option(names = "--admin-port", description = "Enables the test-bench admin endpoint (plain HTTP JSON, "
            + "127.0.0.1 only, no signatures) on this port; 0 picks a free one. Off by default.")
    Integer adminPort;

    @Option(names = "--exec-port", defaultValue = "0", description = "Port of the exec WebSocket endpoint behind "
            + "ExecContainerCommand's WebSocketUri; 0 (default) picks a free one.")
    int execPort;

    @Option(names = "--published-rate-limits", description = "Throttle with the published ECI rate limits "
            + "(Throttling.User when a bucket is empty).")
    boolean publishedRateLimits;

    public static void main(String[] args) {
        // The simulator is also a library embedded in tests and the agent, so its logging configuration is not
        // called logback.xml (that would override the embedding application's); the standalone jar points at it.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "eci-mock-logback.xml");
        }
        int exitCode = new CommandLine(new EciSimulatorMain()).execute(args);
        // A served simulator only returns once the JVM is already shutting down (SIGTERM/Ctrl-C), where calling
        // System.exit would block; only usage errors and --help/--version get here with the JVM still running.
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        EciSimulator simulator;
        try {
            simulator = toSimulator();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        int bound = simulator.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "eci-mock-shutdown"));
        PrintWriter out = new PrintWriter(System.out, true);
        out.println(startupLine(bound));
        if (adminPort != null) {
            out.println("ECI simulator admin endpoint on http://127.0.0.1:" + simulator.adminPort());
        }
        out.println("ECI simulator exec endpoint on ws://" + bindAddress + ":" + simulator.execPort() + "/exec/");
        stopped.await();
        return 0;
    }

    /** The simulator the options describe, not yet started. */
    EciSimulator toSimulator() {
        EciSimulator.Builder builder = EciSimulator.builder()
                .port(port)
                .bindAddress(bindAddress)
                .region(region)
                .schedulingDuration(seconds("--scheduling-seconds", schedulingSeconds))
                .pendingDuration(seconds("--pending-seconds", pendingSeconds))
                .terminatingDuration(seconds("--terminating-seconds", terminatingSeconds))
                .updatingDuration(seconds("--updating-seconds", updatingSeconds))
                .execPort(execPort);
        if (securityToken == null) {
            builder.accessKey(accessKeyId, accessKeySecret);
        } else {
            builder.stsAccessKey(accessKeyId, accessKeySecret, securityToken);
        }
        for (String vSwitch : vSwitches) {
            VSwitchOption parsed = VSwitchOption.parse(vSwitch);
            builder.vswitch(parsed.id(), parsed.zone(), parsed.cidr());
        }
        securityGroups.forEach(builder::securityGroup);
        if (adminPort != null) {
            builder.adminPort(adminPort);
        }
        if (publishedRateLimits) {
            builder.publishedRateLimits();
        }
        return builder.build();
    }

    String startupLine(int boundPort) {
        Set<String> zones = new LinkedHashSet<>();
        vSwitches.forEach(vSwitch -> zones.add(VSwitchOption.parse(vSwitch).zone()));
        return "ECI simulator listening on http://" + bindAddress + ":" + boundPort + " (region " + region
                + ", zones " + String.join(",", zones) + ")";
    }

    private static Duration seconds(String option, double seconds) {
        if (seconds < 0 || Double.isNaN(seconds)) {
            throw new IllegalArgumentException(option + " must not be negative");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** {@code vsw-a=cn-hangzhou-i:10.224.0.0/16}. */
    record VSwitchOption(String id, String zone, String cidr) {

        static VSwitchOption parse(String value) {
            int eq = value.indexOf('=');
            int colon = value.indexOf(':', eq + 1);
            if (eq <= 0 || colon <= eq + 1 || colon == value.length() - 1) {
                throw new IllegalArgumentException("--vswitch wants ID=ZONE:CIDR, got " + value);
            }
            return new VSwitchOption(value.substring(0, eq), value.substring(eq + 1, colon),
                    value.substring(colon + 1));
        }
    }
}
