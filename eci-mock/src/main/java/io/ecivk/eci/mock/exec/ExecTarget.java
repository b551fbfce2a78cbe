package io.ecivk.eci.mock.exec;

import io.ecivk.eci.mock.model.ContainerSpec;
import io.ecivk.eci.mock.model.VolumeSpec;
import java.util.List;

/**
 * What an exec session runs: the command and the container it runs in, as stored when ExecContainerCommand was
 * answered.
 *
 * @param hostname what {@code hostname} prints: the group's HostName, else its name
 * @param volumes  the group's volumes, for {@code cat} of files in mounted ConfigFile volumes
 */
public record ExecTarget(String containerGroupId, String hostname, ContainerSpec container, List<VolumeSpec> volumes,
        List<String> command, boolean tty, boolean stdin) {

    public ExecTarget {
        volumes = List.copyOf(volumes);
        command = List.copyOf(command);
    }
}
