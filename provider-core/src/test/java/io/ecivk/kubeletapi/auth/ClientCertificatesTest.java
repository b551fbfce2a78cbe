package io.ecivk.kubeletapi.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.kubeletapi.TestPki;
import io.ecivk.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientCertificatesTest {
  private final TestPki pki = new TestPki("client-ca");
  private final ManualClock clock = new ManualClock(Instant.now());
  private final ClientCertificates certs = new ClientCertificates(List.of(pki.caCertificate()), clock);

  @Test
  void userIsTheCommonNameAndGroupsTheOrganizationsInOrder() {
    var alice = pki.client("CN=alice,O=devs,O=ops");
    assertThat(certs.verify(List.of(alice.cert()))).contains(UserInfo.of("alice", List.of("devs", "ops")));
    assertThat(certs.verify(List.of(alice.cert(), pki.caCertificate())))
        .as("a chain that includes the CA itself").contains(UserInfo.of("alice", List.of("devs", "ops")));
  }

  @Test
  void refusesOtherIssuersServerOnlyUsageExpiryAndMissingCommonName() {
    assertThat(certs.verify(List.of(new TestPki("other").client("CN=alice").cert()))).isEmpty();
    assertThat(certs.verify(List.of(pki.serverOnly("CN=alice").cert()))).isEmpty();
    assertThat(certs.verify(List.of(pki.client("O=devs").cert()))).isEmpty();
    var alice = pki.client("CN=alice");
    clock.advance(Duration.ofDays(2));
    assertThat(certs.verify(List.of(alice.cert()))).as("expired at the injected clock's time").isEmpty();
  }

  @Test
  void withoutAClientCaNoCertificateAuthenticates() {
    assertThat(new ClientCertificates(List.of(), clock).verify(List.of(pki.client("CN=alice").cert()))).isEmpty();
  }
}
