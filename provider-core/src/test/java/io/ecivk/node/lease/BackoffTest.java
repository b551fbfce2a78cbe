package io.ecivk.node.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesUpToTheCapAndStartsOverAfterReset() {
    Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));

    assertThat(b.next()).isEqualTo(Duration.ofMillis(200));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(400));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(800));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(1000));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(1000));
    b.reset();
    assertThat(b.next()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
