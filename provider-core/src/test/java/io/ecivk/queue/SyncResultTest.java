package io.ecivk.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyncResultTest {

  @Test
  void doneAsksForNoRequeue() {
    assertThat(SyncResult.done().requeueDelay()).isEmpty();
  }

  @Test
  void requeueAfterCarriesItsDelay() {
    assertThat(SyncResult.requeueAfter(Duration.ofSeconds(30)).requeueDelay()).contains(Duration.ofSeconds(30));
    assertThat(SyncResult.requeueAfter(Duration.ofSeconds(30)))
        .isEqualTo(SyncResult.requeueAfter(Duration.ofSeconds(30)));
    assertThat(SyncResult.requeueAfter(Duration.ZERO)).isNotEqualTo(SyncResult.done());
  }

  @Test
  void aNegativeOrMissingDelayIsRejected() {
    assertThatThrownBy(() -> SyncResult.requeueAfter(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SyncResult.requeueAfter(null)).isInstanceOf(NullPointerException.class);
  }
}
