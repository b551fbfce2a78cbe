package io.ecivk.kubeletapi.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints. */
class GoFloatTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "0,                    0",
      "1,                    1",
      "-1,                   -1",
      "0.5,                  0.5",
      "100,                  100",
      "123456,               123456",
      "999999,               999999",
      "1000000,              1e+06",
      "1048576,              1.048576e+06",
      "12345678,             1.2345678e+07",
      "123456789,            1.23456789e+08",
      "1.6000000001234567E9, 1.6000000001234567e+09",
      "0.0001,               0.0001",
      "0.00001,              1e-05",
      "0.000012345,          1.2345e-05",
      "12.345,               12.345",
      "0.123456789,          0.123456789",
      "1.5E21,               1.5e+21",
      "1.0E100,              1e+100",
      "-2.5E-7,              -2.5e-07",
  })
  void formatsLikeGo(double value, String expected) {
    assertThat(GoFloat.format(value)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void specialValues() {
    assertThat(GoFloat.format(Double.NaN)).isEqualTo("NaN");
    assertThat(GoFloat.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(GoFloat.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }
}
