package io.ecivk.kubeletapi.auth;

import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * x509 client-certificate authentication as the API server and kubelet do it: the chain must verify against
 * the client CA bundle (PKIX, at the injected clock's time, no revocation checks), the leaf must allow client
 * authentication when it restricts its extended key usage; the user is the subject's CN, the groups its O
 * values. The TLS layer requests but does not verify client certificates, so this is the only check.
 */
final class ClientCertificates {
  private static final Logger log = LoggerFactory.getLogger(ClientCertificates.class);
  private static final String CLIENT_AUTH_EKU = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EKU = "2.5.29.37.0";

  private final Set<TrustAnchor> anchors = new HashSet<>();
  private final Clock clock;

  ClientCertificates(List<X509Certificate> bundle, Clock clock) {
    for (X509Certificate ca : bundle) {
      anchors.add(new TrustAnchor(ca, null));
    }
    this.clock = clock;
  }

  Optional<UserInfo> verify(List<X509Certificate> chain) {
    if (anchors.isEmpty() || chain.isEmpty()) {
      return Optional.empty();
    }
    X509Certificate leaf = chain.get(0);
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      if (eku != null && !eku.contains(CLIENT_AUTH_EKU) && !eku.contains(ANY_EKU)) {
        log.info("event=client_cert_rejected reason=no_client_auth_usage subject=\"{}\"",
            leaf.getSubjectX500Principal().getName());
        return Optional.empty();
      }
      // The path excludes the trust anchor itself, so drop a self-signed CA the client may have appended.
      List<X509Certificate> path = new ArrayList<>(chain);
      path.removeIf(c -> c != leaf && c.getSubjectX500Principal().equals(c.getIssuerX500Principal()));
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      params.setDate(Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
      return user(leaf);
    } catch (InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("client CA bundle unusable", e);
    } catch (Exception e) {
      log.info("event=client_cert_rejected subject=\"{}\" reason=\"{}\"",
          leaf.getSubjectX500Principal().getName(), e.getMessage());
      return Optional.empty();
    }
  }

  static Optional<UserInfo> user(X509Certificate cert) {
    try {
      String cn = null;
      List<String> groups = new ArrayList<>();
      // LdapName's RDN list is in the subject's encoded order (RFC 2253 text is the reverse), as Go reads it.
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN") && cn == null) {
          cn = rdn.getValue().toString();
        } else if (rdn.getType().equalsIgnoreCase("O")) {
          groups.add(rdn.getValue().toString());
        }
      }
      if (cn == null || cn.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(UserInfo.of(cn, groups));
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
