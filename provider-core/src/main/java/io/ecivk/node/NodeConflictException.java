package io.ecivk.node;

import java.util.Objects;

/**
 * The node name is taken: another agent holds its Lease, or the Node carries another agent's marks. Nothing was
 * written. The message says what was found and what to do; see {@link NodeController#start()} for the rules.
 */
public final class NodeConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String nodeName;

  public NodeConflictException(String nodeName, String reason) {
    super("Refusing to register virtual node " + Objects.requireNonNull(nodeName, "nodeName") + ": "
        + Objects.requireNonNull(reason, "reason") + ". If that agent is gone for good, delete the stale objects ("
        + "kubectl delete node " + nodeName + "; kubectl -n kube-node-lease delete lease " + nodeName
        + "), or configure another node name.");
    this.nodeName = nodeName;
  }

  public String nodeName() {
    return nodeName;
  }
}
