package io.ecivk.kubeletapi.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The kubelet API's serving certificate and key: read from PEM files, or made self-signed in memory at start
 * (what a kubelet without {@code --tls-cert-file} does), with the node's IPs and names as subject alternative
 * names so clients that verify (the API server with {@code --kubelet-certificate-authority}) can at least pin it.
 *
 * @param chain leaf first
 */
public record ServingCertificate(PrivateKey key, List<X509Certificate> chain) {
  public ServingCertificate {
    Objects.requireNonNull(key, "key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs at least one certificate");
    }
  }

  /**
   * Reads a certificate chain (one or more {@code CERTIFICATE} blocks, leaf first) and its private key
   * (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}).
   *
   * @throws IllegalArgumentException naming the file when either is missing or unreadable
   */
  public static ServingCertificate fromPem(Path certFile, Path keyFile) {
    return new ServingCertificate(readPrivateKey(keyFile), readCertificates(certFile));
  }

  /**
   * A self-signed ECDSA P-256 certificate valid from one hour before now (clock skew) for a year, CN = the first
   * name, SANs = every name (DNS) and address (IP).
   */
  public static ServingCertificate selfSigned(List<String> dnsNames, List<InetAddress> addresses, Clock clock) {
    if (dnsNames.isEmpty() && addresses.isEmpty()) {
      throw new IllegalArgumentException("a self-signed serving certificate needs a name or an address");
    }
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = gen.generateKeyPair();
      String cn = !dnsNames.isEmpty() ? dnsNames.get(0) : addresses.get(0).getHostAddress();
      X500Name subject = new X500Name("CN=" + cn.replace(",", "\\,") + "@" + clock.instant().getEpochSecond());
      Instant now = clock.instant();
      List<GeneralName> sans = new ArrayList<>();
      dnsNames.forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
      addresses.forEach(a -> sans.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress())));
      var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(63, new SecureRandom()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
          pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(sans.toArray(GeneralName[]::new)));
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new ServingCertificate(pair.getPrivate(), List.of(cert));
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
        | org.bouncycastle.cert.CertIOException e) {
      throw new IllegalStateException("cannot make a self-signed serving certificate", e);
    }
  }

  /** Every {@code CERTIFICATE} block of a PEM file (a CA bundle or a chain). */
  public static List<X509Certificate> readCertificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certs = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certs.add((X509Certificate) c);
      }
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + file);
      }
      return certs;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read certificates from " + file + ": " + e.getMessage(), e);
    }
  }

  static PrivateKey readPrivateKey(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair kp) {
          return converter.getPrivateKey(kp.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
      throw new IllegalArgumentException("no unencrypted private key in " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read a private key from " + file + ": " + e.getMessage(), e);
    }
  }
}
