package io.ecivk.node.lease;

import java.time.Instant;
import java.util.Objects;

/** The node's Lease is held by someone else and has not expired: we must not take it over. */
public final class LeaseHeldException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String holder;
  private final transient Instant validUntil;

  public LeaseHeldException(String leaseName, String holder, Instant validUntil) {
    super("Lease " + NodeLeases.NAMESPACE + "/" + leaseName + " is held by '" + holder + "' until " + validUntil);
    this.holder = Objects.requireNonNull(holder, "holder");
    this.validUntil = Objects.requireNonNull(validUntil, "validUntil");
  }

  /** The other holder's identity. */
  public String holder() {
    return holder;
  }

  /** When the other holder's claim expires unless renewed. */
  public Instant validUntil() {
    return validUntil;
  }
}
