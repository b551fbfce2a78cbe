package io.ecivk.kubeletapi.stats;

import java.math.BigDecimal;

/**
 * Formats a double as Go's {@code strconv.FormatFloat(f, 'g', -1, 64)}, which is how the Prometheus Go client
 * writes sample values: the shortest digits that read back to the same double, in exponent form
 * ({@code 1.2345678e+07}, two-digit exponent at least) when the decimal exponent is below -4 or at least 6 ({@code process_max_fds 1.048576e+06}),
 * else plain ({@code 0.5}, {@code 123456}); {@code +Inf}, {@code -Inf}, {@code NaN}.
 */
final class GoFloat {
  private GoFloat() {}

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v) < 0 ? "-0" : "0";
    }
    String digits;
    int exp;
    if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
      // Integral and exact as a long (byte counts): no decimal conversion needed, only the trailing zeros.
      String whole = Long.toString(Math.abs((long) v));
      int end = whole.length();
      while (end > 1 && whole.charAt(end - 1) == '0') {
        end--;
      }
      digits = whole.substring(0, end);
      exp = whole.length() - 1;
    } else {
      BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
      digits = d.unscaledValue().abs().toString();
      exp = digits.length() - 1 - d.scale();
    }
    StringBuilder b = new StringBuilder(24);
    if (v < 0) {
      b.append('-');
    }
    if (exp < -4 || exp >= 6) {
      b.append(digits.charAt(0));
      if (digits.length() > 1) {
        b.append('.').append(digits, 1, digits.length());
      }
      b.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        b.append('0');
      }
      b.append(a);
    } else if (exp < 0) {
      b.append("0.");
      for (int i = -1; i > exp; i--) {
        b.append('0');
      }
      b.append(digits);
    } else if (digits.length() <= exp + 1) {
      b.append(digits);
      for (int i = digits.length(); i <= exp; i++) {
        b.append('0');
      }
    } else {
      b.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
    }
    return b.toString();
  }
}
