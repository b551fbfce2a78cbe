package io.ecivk.queue;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

  /** A jitter source that always draws {@code value} from [0, 1). */
  private static RandomGenerator fixed(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("the policy draws doubles");
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  private static BackoffPolicy productionShape(double jitter, RandomGenerator random) {
    return BackoffPolicy.exponential(ofMillis(100), ofSeconds(30), 12, ofMinutes(5), jitter, random);
  }

  @Test
  void withoutJitterTheSequenceIsExact() {
    BackoffPolicy policy = productionShape(0, fixed(0.999));

    assertThat(IntStream.rangeClosed(1, 14).mapToObj(policy::delay))
        .containsExactly(
            ofMillis(100),
            ofMillis(200),
            ofMillis(400),
            ofMillis(800),
            ofMillis(1600),
            ofMillis(3200),
            ofMillis(6400),
            ofMillis(12800),
            ofMillis(25600),
            ofSeconds(30),
            ofSeconds(30),
            ofSeconds(30),
            ofMinutes(5),
            ofMinutes(5));
    assertThat(policy.delay(Integer.MAX_VALUE)).isEqualTo(ofMinutes(5));
    assertThat(policy.fastAttempts()).isEqualTo(12);
  }

  @Test
  void jitterScalesEveryDelayByUpToTwentyPercentEitherWay() {
    assertThat(productionShape(0.2, fixed(0.0)).delay(1)).isEqualTo(ofMillis(80));
    assertThat(productionShape(0.2, fixed(0.5)).delay(1)).isEqualTo(ofMillis(100));
    assertThat(productionShape(0.2, fixed(0.75)).delay(2)).isEqualTo(ofMillis(220));
    assertThat(productionShape(0.2, fixed(0.75)).delay(12)).isEqualTo(ofSeconds(33));
    assertThat(productionShape(0.2, fixed(0.0)).delay(13)).isEqualTo(ofMinutes(4));
  }

  @Test
  void theDefaultsHaveTheProductionShapeWithTwentyPercentJitter() {
    BackoffPolicy defaults = BackoffPolicy.defaults();

    for (int round = 0; round < 50; round++) {
      assertThat(defaults.delay(1)).isBetween(ofMillis(80), ofMillis(120));
      assertThat(defaults.delay(4)).isBetween(ofMillis(640), ofMillis(960));
      assertThat(defaults.delay(12)).isBetween(ofSeconds(24), ofSeconds(36));
      assertThat(defaults.delay(13)).isBetween(ofMinutes(4), ofMinutes(6));
    }
    assertThat(defaults.fastAttempts()).isEqualTo(12);
  }

  @Test
  void doublingNeverOverflowsHoweverManyFastAttempts() {
    BackoffPolicy policy =
        BackoffPolicy.exponential(ofMillis(1), ofMinutes(10), 1000, ofMinutes(10), 0, new Random(0));

    assertThat(policy.delay(63)).isEqualTo(ofMinutes(10));
    assertThat(policy.delay(64)).isEqualTo(ofMinutes(10));
    assertThat(policy.delay(999)).isEqualTo(ofMinutes(10));
  }

  @Test
  void zeroFastAttemptsMeansSlowRetriesOnly() {
    BackoffPolicy policy =
        BackoffPolicy.exponential(ofMillis(100), ofSeconds(1), 0, ofMinutes(1), 0, new Random(0));

    assertThat(policy.delay(1)).isEqualTo(ofMinutes(1));
  }

  @Test
  void invalidParametersAreRejected() {
    Random random = new Random(0);
    assertThatThrownBy(() -> BackoffPolicy.exponential(Duration.ZERO, ofSeconds(1), 1, ofSeconds(1), 0, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackoffPolicy.exponential(ofSeconds(2), ofSeconds(1), 1, ofSeconds(1), 0, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackoffPolicy.exponential(ofSeconds(1), ofSeconds(1), -1, ofSeconds(1), 0, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackoffPolicy.exponential(ofSeconds(1), ofSeconds(1), 1, Duration.ZERO, 0, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackoffPolicy.exponential(ofSeconds(1), ofSeconds(1), 1, ofSeconds(1), 1.0, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> BackoffPolicy.exponential(ofSeconds(1), ofSeconds(1), 1, ofSeconds(1), Double.NaN, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackoffPolicy.defaults().delay(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLambdaPolicyCountsEveryFailureAsFast() {
    BackoffPolicy lambda = failures -> Duration.ZERO;

    assertThat(lambda.fastAttempts()).isEqualTo(Integer.MAX_VALUE);
  }
}
