package io.ecivk.eci.mock.model;

import java.util.List;

/**
 * A container's security settings: {@code SecurityContext.Capability.Add.N}, {@code .ReadOnlyRootFilesystem},
 * {@code .RunAsUser} and the flat {@code SecurityContextRunAsGroup}, {@code SecurityContextRunAsNonRoot},
 * {@code SecurityContextPrivileged}. Every scalar is null when not sent.
 */
public record ContainerSecurityContext(List<String> capabilityAdds, Boolean readOnlyRootFilesystem, Long runAsUser,
        Long runAsGroup, Boolean runAsNonRoot, Boolean privileged) {

    public static final ContainerSecurityContext NONE =
            new ContainerSecurityContext(List.of(), null, null, null, null, null);

    public ContainerSecurityContext {
        capabilityAdds = List.copyOf(capabilityAdds);
    }

    /** Whether the container-level {@code SecurityContext} object of the response has anything to show. */
    public boolean hasEchoedFields() {
        return !capabilityAdds.isEmpty() || readOnlyRootFilesystem != null || runAsUser != null;
    }
}
