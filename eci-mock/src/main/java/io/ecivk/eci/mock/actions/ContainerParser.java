package io.ecivk.eci.mock.actions;

import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.Params;
import io.ecivk.eci.mock.model.ContainerSecurityContext;
import io.ecivk.eci.mock.model.ContainerSpec;
import io.ecivk.eci.mock.model.EnvVar;
import io.ecivk.eci.mock.model.HttpGetAction;
import io.ecivk.eci.mock.model.LifecycleHandler;
import io.ecivk.eci.mock.model.NameValue;
import io.ecivk.eci.mock.model.PortSpec;
import io.ecivk.eci.mock.model.ProbeSpec;
import io.ecivk.eci.mock.model.TcpSocketAction;
import io.ecivk.eci.mock.model.VolumeMountSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates the {@code Container.N.*} and {@code InitContainer.N.*} parameters (eci-openapi.md §3.1). Init containers
 * have no probes, hooks or stdin/tty settings in the SDK model, so those keys are not read for them.
 */
final class ContainerParser {

    /** The FieldRef paths ECI fills in; the docs name only the pod IP. */
    static final List<String> FIELD_PATHS = List.of("status.podIP");


    /** §3.1: {@code Arg.N} (≤10). */
    static final int MAX_ARGS = 10;

    /** A DNS label, as Kubernetes requires of container names: 1-63 characters. */
    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP");
    private static final Set<String> MOUNT_PROPAGATIONS = Set.of("None", "HostToContainer", "Bidirectional");
    private static final Set<String> SCHEMES = Set.of("HTTP", "HTTPS");
    private static final Set<String> TERMINATION_MESSAGE_POLICIES = Set.of("File", "FallbackToLogsOnError");
    private static final int MAX_SECONDS = Integer.MAX_VALUE;

    private ContainerParser() {
    }

    static List<ContainerSpec> containers(List<Params> items, Set<String> volumeNames, Set<String> seenNames,
            boolean init) {
        List<ContainerSpec> containers = new ArrayList<>();
        for (Params item : items) {
            String name = item.required("Name");
            if (!CONTAINER_NAME.matcher(name).matches()) {
                throw ApiException.invalidParameter(item.child("Name").path(), "container names are DNS labels: "
                        + "1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen.");
            }
            if (!seenNames.add(name)) {
                throw ApiException.invalidParameter(item.child("Name").path(),
                        "container name \"" + name + "\" is used twice.");
            }
            String image = item.required("Image");
            List<String> args = item.strings("Arg");
            if (args.size() > MAX_ARGS) {
                throw ApiException.invalidParameter(item.child("Arg").path(),
                        "at most " + MAX_ARGS + " items may be given, got " + args.size() + ".");
            }
            containers.add(new ContainerSpec(name, image,
                    item.decimal("Cpu").orElse(BigDecimal.ZERO),
                    item.decimal("Memory").orElse(BigDecimal.ZERO),
                    item.oneOf("ImagePullPolicy", defaultPullPolicy(image), PULL_POLICIES),
                    item.string("WorkingDir").orElse(null),
                    item.strings("Command"),
                    args,
                    environment(item),
                    ports(item),
                    volumeMounts(item, volumeNames),
                    item.integer("Gpu", 0, Integer.MAX_VALUE).orElse(0),
                    !init && item.bool("Stdin").orElse(false),
                    !init && item.bool("StdinOnce").orElse(false),
                    !init && item.bool("Tty").orElse(false),
                    init ? null : probe(item.child("ReadinessProbe")),
                    init ? null : probe(item.child("LivenessProbe")),
                    securityContext(item),
                    init ? null : hook(item, "LifecyclePostStartHandler"),
                    init ? null : hook(item, "LifecyclePreStopHandler"),
                    item.string("TerminationMessagePath").orElse(null),
                    item.oneOf("TerminationMessagePolicy", null, TERMINATION_MESSAGE_POLICIES)));
        }
        return containers;
    }

    /** Kubernetes' default: Always for an untagged or {@code :latest} image, otherwise IfNotPresent. */
    static String defaultPullPolicy(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int colon = image.lastIndexOf(':');
        boolean tagged = colon > image.lastIndexOf('/');
        return !tagged || image.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
    }

    private static List<EnvVar> environment(Params container) {
        List<EnvVar> environment = new ArrayList<>();
        for (Params item : container.list("EnvironmentVar")) {
            String fieldPath = item.child("FieldRef").string("FieldPath").orElse(null);
            if (fieldPath != null && !FIELD_PATHS.contains(fieldPath)) {
                throw ApiException.invalidParameter(item.child("FieldRef").child("FieldPath").path(),
                        "\"" + fieldPath + "\" is not supported, only " + String.join(", ", FIELD_PATHS) + ".");
            }
            if (fieldPath != null && item.string("Value").filter(v -> !v.isEmpty()).isPresent()) {
                throw ApiException.invalidParameter(item.child("Value").path(),
                        "a variable takes a Value or a FieldRef, not both.");
            }
            environment.add(new EnvVar(item.required("Key"), item.string("Value").orElse(null), fieldPath));
        }
        return environment;
    }

    private static List<PortSpec> ports(Params container) {
        List<PortSpec> ports = new ArrayList<>();
        for (Params item : container.list("Port")) {
            ports.add(new PortSpec(port(item, "Port"), item.oneOf("Protocol", "TCP", PROTOCOLS)));
        }
        return ports;
    }

    /** A mandatory port number, 1..65535. */
    private static int port(Params parent, String name) {
        return parent.integer(name, 1, 65535)
                .orElseThrow(() -> ApiException.missingParameter(parent.child(name).path()));
    }

    private static List<VolumeMountSpec> volumeMounts(Params container, Set<String> volumeNames) {
        List<VolumeMountSpec> mounts = new ArrayList<>();
        for (Params item : container.list("VolumeMount")) {
            String name = item.required("Name");
            if (!volumeNames.contains(name)) {
                throw ApiException.invalidParameter(item.child("Name").path(),
                        "no volume named \"" + name + "\" is declared.");
            }
            mounts.add(new VolumeMountSpec(name, item.required("MountPath"), item.bool("ReadOnly").orElse(false),
                    item.string("SubPath").orElse(null), item.oneOf("MountPropagation", null, MOUNT_PROPAGATIONS)));
        }
        return mounts;
    }

    /** Null when nothing was sent under the probe's name; otherwise exactly one handler is required. */
    static ProbeSpec probe(Params probe) {
        if (!probe.isPresent()) {
            return null;
        }
        Integer initialDelay = probe.integerOrNull("InitialDelaySeconds", 0, MAX_SECONDS);
        Integer period = probe.integerOrNull("PeriodSeconds", 1, MAX_SECONDS);
        Integer timeout = probe.integerOrNull("TimeoutSeconds", 1, MAX_SECONDS);
        Integer success = probe.integerOrNull("SuccessThreshold", 1, MAX_SECONDS);
        Integer failure = probe.integerOrNull("FailureThreshold", 1, MAX_SECONDS);
        List<String> exec = probe.child("Exec").strings("Command");
        Params http = probe.child("HttpGet");
        Params tcp = probe.child("TcpSocket");
        int handlers = (exec.isEmpty() ? 0 : 1) + (http.isPresent() ? 1 : 0) + (tcp.isPresent() ? 1 : 0);
        if (handlers != 1) {
            throw ApiException.invalidParameter(probe.path(),
                    "a probe needs exactly one of Exec, HttpGet and TcpSocket, got " + handlers + ".");
        }
        HttpGetAction httpGet = http.isPresent() ? new HttpGetAction(null, http.string("Path").orElse(null),
                port(http, "Port"), http.oneOf("Scheme", null, SCHEMES), List.of()) : null;
        TcpSocketAction tcpSocket = tcp.isPresent() ? new TcpSocketAction(null, port(tcp, "Port")) : null;
        return new ProbeSpec(initialDelay, period, timeout, success, failure, exec, httpGet, tcpSocket);
    }

    /**
     * A hook from the flat keys {@code <prefix>Exec.N}, {@code <prefix>HttpGet{Host,Path,Port,Scheme}},
     * {@code <prefix>HttpGetHttpHeader.N.{Name,Value}}, {@code <prefix>TcpSocket{Host,Port}}; null when none is
     * sent, and at most one handler. The official UpdateContainerGroup model spells the postStart header list
     * {@code HttpGetHttpHeaders} (plural), so both spellings are read.
     */
    static LifecycleHandler hook(Params container, String prefix) {
        List<String> exec = container.strings(prefix + "Exec");
        boolean http = false;
        for (String key : List.of("HttpGetHost", "HttpGetPath", "HttpGetPort", "HttpGetScheme", "HttpGetHttpHeader",
                "HttpGetHttpHeaders")) {
            http |= container.child(prefix + key).isPresent();
        }
        boolean tcp = container.child(prefix + "TcpSocketHost").isPresent()
                || container.child(prefix + "TcpSocketPort").isPresent();
        int handlers = (exec.isEmpty() ? 0 : 1) + (http ? 1 : 0) + (tcp ? 1 : 0);
        if (handlers == 0) {
            return null;
        }
        if (handlers > 1) {
            throw ApiException.invalidParameter(container.child(prefix).path(),
                    "a lifecycle hook needs exactly one of Exec, HttpGet and TcpSocket, got " + handlers + ".");
        }
        HttpGetAction httpGet = null;
        if (http) {
            List<NameValue> headers = new ArrayList<>();
            for (String list : List.of("HttpGetHttpHeader", "HttpGetHttpHeaders")) {
                for (Params header : container.list(prefix + list)) {
                    headers.add(new NameValue(header.required("Name"), header.string("Value").orElse(null)));
                }
            }
            httpGet = new HttpGetAction(container.string(prefix + "HttpGetHost").orElse(null),
                    container.string(prefix + "HttpGetPath").orElse(null), port(container, prefix + "HttpGetPort"),
                    container.oneOf(prefix + "HttpGetScheme", null, SCHEMES), headers);
        }
        TcpSocketAction tcpSocket = tcp ? new TcpSocketAction(container.string(prefix + "TcpSocketHost")
                .orElse(null), port(container, prefix + "TcpSocketPort")) : null;
        return new LifecycleHandler(exec, httpGet, tcpSocket);
    }

    /** Privileged containers are refused: ECI only allows them for whitelisted accounts (an assumption). */
    static ContainerSecurityContext securityContext(Params container) {
        Params context = container.child("SecurityContext");
        Boolean privileged = container.bool("SecurityContextPrivileged").orElse(null);
        if (Boolean.TRUE.equals(privileged)) {
            throw ApiException.invalidParameter(container.child("SecurityContextPrivileged").path(),
                    "privileged containers are only available to whitelisted users.");
        }
        return new ContainerSecurityContext(context.child("Capability").strings("Add"),
                context.bool("ReadOnlyRootFilesystem").orElse(null),
                context.longInteger("RunAsUser", 0, Long.MAX_VALUE).orElse(null),
                container.longInteger("SecurityContextRunAsGroup", 0, Long.MAX_VALUE).orElse(null),
                container.bool("SecurityContextRunAsNonRoot").orElse(null),
                privileged);
    }
}
