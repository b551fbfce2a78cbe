package io.ecivk.kubeletapi;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA for tests: issues client certificates and builds client SSL contexts. */
public final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  public record Issued(KeyPair keys, X509Certificate cert) {}

  private final Issued ca;

  public TestPki(String name) {
    this.ca = issue("CN=" + name, null, true, null);
  }

  public X509Certificate caCertificate() {
    return ca.cert();
  }

  /** A client certificate signed by this CA, e.g. subject {@code CN=alice,O=devs}. */
  public Issued client(String subject) {
    return issue(subject, ca, false, KeyPurposeId.id_kp_clientAuth);
  }

  /** A client certificate with only server-auth usage (must not authenticate a client). */
  public Issued serverOnly(String subject) {
    return issue(subject, ca, false, KeyPurposeId.id_kp_serverAuth);
  }

  static Issued issue(String subject, Issued issuer, boolean isCa, KeyPurposeId usage) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair keys = gen.generateKeyPair();
      Instant now = Instant.now();
      X500Name subj = new X500Name(subject);
      X500Name iss = issuer == null ? subj : X500Name.getInstance(
          issuer.cert().getSubjectX500Principal().getEncoded());
      var b = new JcaX509v3CertificateBuilder(iss, new BigInteger(63, RANDOM), Date.from(now.minusSeconds(60)),
          Date.from(now.plus(Duration.ofDays(1))), subj, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
      } else {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
      }
      var signer = new JcaContentSignerBuilder("SHA256withECDSA")
          .build(issuer == null ? keys.getPrivate() : issuer.keys().getPrivate());
      return new Issued(keys, new JcaX509CertificateConverter().getCertificate(b.build(signer)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An SSL context trusting exactly {@code serverCert}, presenting {@code client} when given. */
  public static SSLContext clientContext(X509Certificate serverCert, Issued client) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("server", serverCert);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (client != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", client.keys().getPrivate(), "pw".toCharArray(),
            new X509Certificate[] {client.cert()});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "pw".toCharArray());
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
