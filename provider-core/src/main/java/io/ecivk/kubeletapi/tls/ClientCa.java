package io.ecivk.kubeletapi.tls;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the client CA bundle comes from when no {@code --client-ca-file} is given: the {@code kube-root-ca.crt}
 * ConfigMap (key {@code ca.crt}) that Kubernetes 1.20+ publishes in every namespace. In kubeadm-style clusters
 * that CA also signs the API server's kubelet client certificate, so the API server can reach our logs and exec.
 * Blocking (one GET): call at start-up, not on an event loop.
 */
public final class ClientCa {
  public static final String CONFIG_MAP = "kube-root-ca.crt";
  public static final String KEY = "ca.crt";

  private ClientCa() {}

  /**
   * @throws IllegalStateException naming the ConfigMap when it is missing or holds no certificate
   */
  public static List<X509Certificate> fromKubeRootCaConfigMap(KubernetesClient client, String namespace) {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
    if (cm == null || cm.getData() == null || cm.getData().get(KEY) == null) {
      throw new IllegalStateException("ConfigMap " + namespace + "/" + CONFIG_MAP + " with key " + KEY
          + " not found; give the client CA bundle explicitly");
    }
    return parse(cm.getData().get(KEY), "ConfigMap " + namespace + "/" + CONFIG_MAP);
  }

  static List<X509Certificate> parse(String pem, String source) {
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalStateException("no certificate in " + source);
      }
      return out;
    } catch (CertificateException e) {
      throw new IllegalStateException("cannot parse the certificates of " + source + ": " + e.getMessage(), e);
    }
  }
}
