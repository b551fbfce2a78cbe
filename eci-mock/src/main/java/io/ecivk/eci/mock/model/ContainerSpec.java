package io.ecivk.eci.mock.model;

import java.math.BigDecimal;
import java.util.List;

/**
 * A container (or init container) as requested. {@code cpu}/{@code memory} are zero when not declared;
 * {@code workingDir} may be null.
 */
public record ContainerSpec(String name, String image, BigDecimal cpu, BigDecimal memory, String imagePullPolicy,
        String workingDir, List<String> commands, List<String> args, List<EnvVar> environmentVars,
        List<PortSpec> ports, List<VolumeMountSpec> volumeMounts) {

    public ContainerSpec {
        commands = List.copyOf(commands);
        args = List.copyOf(args);
        environmentVars = List.copyOf(environmentVars);
        ports = List.copyOf(ports);
        volumeMounts = List.copyOf(volumeMounts);
    }
}
