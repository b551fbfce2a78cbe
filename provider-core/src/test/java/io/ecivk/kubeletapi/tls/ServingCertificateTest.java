package io.ecivk.kubeletapi.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.testkit.ManualClock;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingCertificateTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));

  @Test
  void selfSignedCarriesTheNodesNamesAndAddressesAsSans() throws Exception {
    ServingCertificate c = ServingCertificate.selfSigned(List.of("vk-1", "vk-1.example"),
        List.of(InetAddress.getByName("10.0.0.7"), InetAddress.getByName("127.0.0.1")), clock);
    var cert = c.chain().get(0);
    assertThat(cert.getSubjectAlternativeNames()).extracting(l -> l.get(0) + "=" + l.get(1))
        .containsExactly("2=vk-1", "2=vk-1.example", "7=10.0.0.7", "7=127.0.0.1");
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=vk-1@" + clock.instant().getEpochSecond());
    assertThat(cert.getNotBefore().toInstant()).isEqualTo(Instant.parse("2026-11-23T09:00:00Z"));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(Instant.parse("2027-11-23T10:00:00Z"));
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    cert.verify(cert.getPublicKey());
  }

  @Test
  void readsPemCertificateWithPkcs8Pkcs1AndEcKeys(@TempDir Path dir) throws Exception {
    ServingCertificate made = ServingCertificate.selfSigned(List.of("vk"), List.of(), clock);
    Path cert = dir.resolve("tls.crt");
    Files.writeString(cert, pem(made.chain().get(0)));
    // SEC1 "EC PRIVATE KEY", as openssl writes it (openssl is part of the test environment's provisioning)
    Path ec = dir.resolve("ec.key");
    Process p = new ProcessBuilder("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
        ec.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor()).isZero();
    assertThat(Files.readString(ec)).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(ServingCertificate.fromPem(cert, ec).key().getAlgorithm()).isEqualTo("EC");
    // PKCS#8 "PRIVATE KEY"
    Path p8 = dir.resolve("p8.key");
    Files.writeString(p8, pem(new JcaPKCS8Generator(made.key(), null)));
    assertThat(ServingCertificate.fromPem(cert, p8).key().getEncoded()).isEqualTo(made.key().getEncoded());
    // PKCS#1 "RSA PRIVATE KEY"
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    PrivateKey rsaKey = rsa.generateKeyPair().getPrivate();
    Path p1 = dir.resolve("rsa.key");
    Files.writeString(p1, pem(rsaKey));
    assertThat(Files.readString(p1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(ServingCertificate.fromPem(cert, p1).key().getAlgorithm()).isEqualTo("RSA");
    assertThat(ServingCertificate.readCertificates(cert)).containsExactly(made.chain().get(0));
  }

  @Test
  void aMissingOrEmptyFileIsAClearError(@TempDir Path dir) throws Exception {
    Path empty = dir.resolve("empty.pem");
    Files.writeString(empty, "");
    assertThatThrownBy(() -> ServingCertificate.fromPem(dir.resolve("nope.crt"), empty))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no unencrypted private key in");
    assertThatThrownBy(() -> ServingCertificate.readCertificates(empty))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(empty.toString());
  }

  private static String pem(Object o) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    }
    return w.toString();
  }
}
