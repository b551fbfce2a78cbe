package io.ecivk.eci.mock.model;

import java.math.BigDecimal;
import java.util.List;

/**
 * A container (or init container) as requested. {@code cpu}/{@code memory} are zero when not declared;
 * {@code workingDir}, the probes, the hooks and the termination message settings may be null. Init containers never
 * carry probes, hooks or stdin/tty settings.
 */
public record ContainerSpec(String name, String image, BigDecimal cpu, BigDecimal memory, String imagePullPolicy,
        String workingDir, List<String> commands, List<String> args, List<EnvVar> environmentVars,
        List<PortSpec> ports, List<VolumeMountSpec> volumeMounts, int gpu, boolean stdin, boolean stdinOnce,
        boolean tty, ProbeSpec readinessProbe, ProbeSpec livenessProbe, ContainerSecurityContext securityContext,
        LifecycleHandler postStart, LifecycleHandler preStop, String terminationMessagePath,
        String terminationMessagePolicy) {

    public ContainerSpec {
        commands = List.copyOf(commands);
        args = List.copyOf(args);
        environmentVars = List.copyOf(environmentVars);
        ports = List.copyOf(ports);
        volumeMounts = List.copyOf(volumeMounts);
        securityContext = securityContext == null ? ContainerSecurityContext.NONE : securityContext;
    }

    /** The fields the simulator modelled first; everything added later takes its default. */
    public ContainerSpec(String name, String image, BigDecimal cpu, BigDecimal memory, String imagePullPolicy,
            String workingDir, List<String> commands, List<String> args, List<EnvVar> environmentVars,
            List<PortSpec> ports, List<VolumeMountSpec> volumeMounts) {
        this(name, image, cpu, memory, imagePullPolicy, workingDir, commands, args, environmentVars, ports,
                volumeMounts, 0, false, false, false, null, null, null, null, null, null, null);
    }
}
