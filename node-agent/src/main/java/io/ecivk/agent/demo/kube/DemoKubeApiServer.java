package io.ecivk.agent.demo.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Kubernetes API server for the {@code demo} command: fabric8's mock server (kubernetes-server-mock
 * 8.0.0) in CRUD mode, listening on plain <b>HTTP</b> on {@code 127.0.0.1} and a free port, no authentication.
 * (The mock can serve HTTPS with a self-signed certificate, but a loopback demo gains nothing from it.)
 *
 * <p>The stock CRUD mode stores and watches objects but is not the API server a kubelet talks to.
 * {@link DemoCrudDispatcher} teaches it, as exactly as the mock's machinery allows:
 * <ol>
 *   <li>pod field selectors {@code spec.nodeName} and {@code status.phase} for lists, watches and informers,
 *       including a pod that starts matching when it is bound (sent as ADDED, as the real watch cache does);
 *   <li>{@code POST pods/{name}/binding} and {@code POST bindings}: 201 and spec.nodeName set (plus the
 *       PodScheduled condition), 409 if already bound or being deleted;
 *   <li>graceful pod deletion: deletionTimestamp = now + grace and deletionGracePeriodSeconds, the pod kept (a
 *       MODIFIED event) until a delete with grace 0 (DELETED); immediate removal for pods never bound or already
 *       finished; a uid or resourceVersion precondition that does not match is a 409; updates (status included)
 *       of a terminating pod keep it terminating instead of deleting it;
 *   <li>status updates through PUT/PATCH {@code /status} seen by watchers (stock), a stale resourceVersion on a
 *       status PUT is a 409, and JSON merge patches replace arrays (RFC 7386) instead of appending to them;
 *   <li>a fresh uid and creationTimestamp on every create (stock), spec.terminationGracePeriodSeconds (30) and
 *       status.phase (Pending) defaulted on pod create.
 * </ol>
 * Namespaces default, kube-system (uid {@link #KUBE_SYSTEM_UID}, stable across runs: the agent uses it as the
 * default cluster id), kube-public and kube-node-lease exist from the start; Node, Lease, Event and Namespace
 * CRUD is stock. {@code GET /version} answers v1.33.0.
 *
 * <p>Not taught (stock behaviour, or absent): strategic merge patch and server-side apply (415), validation,
 * admission, defaulting beyond the two pod fields, watch resourceVersion/bookmarks (a watch starts with ADDED
 * for every match), API discovery, pod eviction, field selectors with an empty value ({@code spec.nodeName=} is
 * ignored, i.e. selects all), field selectors on other kinds, a status sent with a pod create is kept, PUT/PATCH
 * of a pod's main resource may change its status, a cluster-wide pod collection DELETE ({@code /api/v1/pods})
 * removes at once (per namespace it is graceful).
 */
public final class DemoKubeApiServer implements AutoCloseable {
  /** kube-system's uid: fixed, so the demo's cluster id is the same on every run. */
  public static final String KUBE_SYSTEM_UID = "6d6f6e6f-6b75-4265-8000-6563696b7664";

  /**
   * The mock web server logs every request at INFO through java.util.logging, which is not routed to our
   * logging: a demo would print a line per heartbeat. Held here so the level set on it stays (JUL keeps loggers
   * weakly).
   */
  private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG =
      java.util.logging.Logger.getLogger(MockWebServer.class.getName());
  private static final Logger LOG = LoggerFactory.getLogger(DemoKubeApiServer.class);

  private final MockWebServer server;
  private final String url;

  private DemoKubeApiServer(MockWebServer server) {
    this.server = server;
    this.url = "http://127.0.0.1:" + server.getPort();
  }

  /** Starts the server in CRUD mode on 127.0.0.1 and a free port; returns once it answers {@code /version}. */
  public static DemoKubeApiServer start() {
    MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    DemoCrudDispatcher crud = new DemoCrudDispatcher();
    seedNamespaces(crud);
    MockWebServer server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        // MockWebServer queues every request it receives for takeRequest(), a test-assertion aid nothing here
        // uses: drain it, or a long demo keeps every heartbeat and status update in memory.
        try {
          while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
            // dropped
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        try {
          return crud.dispatch(request);
        } catch (RuntimeException e) {
          // Answer instead of leaving the client waiting, and say where: this is a bug in the teaching.
          LOG.warn("demo API server failed on {} {}", request.getMethod(), request.getPath(), e);
          return new MockResponse().setResponseCode(500).setBody(Serialization.asJson(new StatusBuilder()
              .withStatus("Failure").withCode(500).withReason("InternalError").withMessage(e.toString()).build()));
        }
      }

      @Override
      public void shutdown() {
        crud.shutdown();
      }
    });
    try {
      server.start(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // not for a literal address
    }
    DemoKubeApiServer started = new DemoKubeApiServer(server);
    try {
      started.awaitAnswer();
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
    return started;
  }

  /** The base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  /** A fresh Config pointing at this server: namespace "default", no credentials, nothing read from the machine. */
  public Config clientConfig() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace("default")
        .withTrustCerts(true)
        .withHttp2Disable(true)
        .build();
  }

  /** A new client on {@link #clientConfig()}; the caller closes it. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(clientConfig()).build();
  }

  /** Stops the server; open watches are closed. */
  @Override
  public void close() {
    server.shutdown();
  }

  private static void seedNamespaces(DemoCrudDispatcher crud) {
    for (String name : new String[] {"default", "kube-system", "kube-public", "kube-node-lease"}) {
      String uid = name.equals("kube-system") ? KUBE_SYSTEM_UID
          : UUID.nameUUIDFromBytes(("ecivk-demo/namespaces/" + name).getBytes(StandardCharsets.UTF_8)).toString();
      Namespace namespace = new NamespaceBuilder()
          .withNewMetadata().withName(name).withUid(uid)
          .addToLabels("kubernetes.io/metadata.name", name).endMetadata()
          .withNewSpec().addToFinalizers("kubernetes").endSpec()
          .withNewStatus().withPhase("Active").endStatus()
          .build();
      crud.seed("/api/v1/namespaces/" + name, namespace);
    }
  }

  private void awaitAnswer() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/version")).timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("demo API server answered /version with " + response.statusCode());
      }
    } catch (IOException e) {
      throw new IllegalStateException("demo API server on " + url + " does not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the demo API server", e);
    }
  }
}
