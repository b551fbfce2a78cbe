package io.ecivk.agent.burst;

import java.util.Objects;

/**
 * The outcome of {@link FitCheck}: the pod fits the virtual node, or it does not, with a short stable
 * {@code code} (one Event per distinct code per pod; the message may carry numbers that change) and a message
 * for people.
 */
public record Fit(String code, String message) {
  private static final Fit FITS = new Fit(null, null);

  public static Fit fits() {
    return FITS;
  }

  public static Fit refused(String code, String message) {
    return new Fit(Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message"));
  }

  public boolean ok() {
    return code == null;
  }

  @Override
  public String toString() {
    return ok() ? "Fit[fits]" : "Fit[" + code + ": " + message + "]";
  }
}
