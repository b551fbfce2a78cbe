package io.ecivk.kubeletapi.tls;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serving certificate the cluster signs, as a kubelet with {@code serverTLSBootstrap} gets one: a
 * CertificateSigningRequest ({@code certificates.k8s.io/v1}) with signer {@code kubernetes.io/kubelet-serving},
 * subject {@code O=system:nodes, CN=system:node:<node>}, the node's names and addresses as SANs, usages digital
 * signature, key encipherment and server auth (the exact set the 1.20 signer demands; later ones also accept
 * it) with an ECDSA P-256 key kept in memory only. Kubernetes does not approve kubelet-serving
 * requests by itself: an administrator (or an approver controller) must, after checking the SANs. The CSR carries
 * the label {@value #NODE_LABEL} with the node name so approvers can find it.
 *
 * <p>Blocking (create, then wait for the certificate): call at start-up, not on an event loop.
 */
public final class CsrServingCertificate {
  private static final Logger log = LoggerFactory.getLogger(CsrServingCertificate.class);
  public static final String SIGNER = "kubernetes.io/kubelet-serving";
  public static final String NODE_LABEL = "ecivk.io/node";

  private CsrServingCertificate() {}

  /**
   * Requests and waits for the certificate.
   *
   * @throws IllegalStateException when the request is denied or fails, or nothing is issued within
   *     {@code timeout} (the message names the CSR, for {@code kubectl certificate approve})
   */
  public static ServingCertificate request(KubernetesClient client, String nodeName, List<String> dnsNames,
      List<InetAddress> addresses, Duration timeout) {
    KeyPair keys;
    String pem;
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      keys = gen.generateKeyPair();
      List<GeneralName> sans = new ArrayList<>();
      dnsNames.forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
      addresses.forEach(a -> sans.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress())));
      ExtensionsGenerator ext = new ExtensionsGenerator();
      ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
      var csr = new JcaPKCS10CertificationRequestBuilder(
          new X500Name("O=system:nodes,CN=system:node:" + nodeName), keys.getPublic())
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      StringWriter w = new StringWriter();
      try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
        pw.writeObject(csr);
      }
      pem = w.toString();
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the serving certificate request: " + e.getMessage(), e);
    }
    CertificateSigningRequest created = client.certificates().v1().certificateSigningRequests()
        .resource(new CertificateSigningRequestBuilder()
            .withNewMetadata().withGenerateName("csr-" + nodeName + "-").withLabels(Map.of(NODE_LABEL, nodeName))
            .endMetadata()
            .withNewSpec()
            .withSignerName(SIGNER)
            .withRequest(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
            .withUsages("digital signature", "key encipherment", "server auth")
            .endSpec()
            .build())
        .create();
    String name = created.getMetadata().getName();
    log.info("event=serving_csr_created csr={} node={} signer={}", name, nodeName, SIGNER);
    CertificateSigningRequest done;
    try {
      done = client.certificates().v1().certificateSigningRequests().withName(name)
          .waitUntilCondition(c -> c == null || issued(c) || finalCondition(c) != null, timeout.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new IllegalStateException("CertificateSigningRequest " + name + " was not approved and issued within "
          + timeout + " (approve it with: kubectl certificate approve " + name + ")", e);
    }
    if (done == null) {
      throw new IllegalStateException("CertificateSigningRequest " + name + " was deleted before it was issued");
    }
    CertificateSigningRequestCondition refused = finalCondition(done);
    if (refused != null) {
      throw new IllegalStateException("CertificateSigningRequest " + name + " " + refused.getType() + ": "
          + refused.getReason() + " " + refused.getMessage());
    }
    String chainPem = new String(Base64.getDecoder().decode(done.getStatus().getCertificate()),
        StandardCharsets.US_ASCII);
    log.info("event=serving_certificate_issued csr={} node={}", name, nodeName);
    return new ServingCertificate(keys.getPrivate(), ClientCa.parse(chainPem, "CertificateSigningRequest " + name));
  }

  private static boolean issued(CertificateSigningRequest c) {
    return c.getStatus() != null && c.getStatus().getCertificate() != null
        && !c.getStatus().getCertificate().isEmpty();
  }

  private static CertificateSigningRequestCondition finalCondition(CertificateSigningRequest c) {
    if (c.getStatus() == null || c.getStatus().getConditions() == null) {
      return null;
    }
    return c.getStatus().getConditions().stream()
        .filter(x -> "Denied".equals(x.getType()) || "Failed".equals(x.getType())).findFirst().orElse(null);
  }
}
