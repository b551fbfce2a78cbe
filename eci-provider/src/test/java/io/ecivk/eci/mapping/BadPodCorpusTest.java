package io.ecivk.eci.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pod of the {@link BadPodCorpus} fails to map as an invalid request, with its precise reason. */
class BadPodCorpusTest {

  static List<BadPodCorpus.Case> cases() {
    return BadPodCorpus.cases();
  }

  @Test
  void theCorpusHasAtLeast40PodsOfDistinctNames() {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(cases()).extracting(c -> c.pod().pod().getMetadata().getName()).doesNotHaveDuplicates();
    assertThat(cases()).extracting(BadPodCorpus.Case::name).doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsWithItsReason(BadPodCorpus.Case c) {
    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> PodMapper.map(c.pod(), PodMapperTest.CTX_DNS));

    assertThat(e).as("no exception").isNotNull();
    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
    assertThat(e.getMessage()).contains(c.reason());
  }

  @Test
  void theGoodPodOfTheSameShapeMaps() {
    assertThat(PodMapper.map(BadPodCorpus.good("good", "uid-good"), PodMapperTest.CTX_DNS).request()
        .containerGroupName()).startsWith("corpus-good-");
  }
}
