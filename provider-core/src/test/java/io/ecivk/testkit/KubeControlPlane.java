package io.ecivk.testkit;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes v1.20.2 control plane (etcd, kube-apiserver, kube-scheduler, kube-controller-manager) on
 * loopback, one per test JVM, started on first use by {@code scripts/kube-testenv/start.sh} and stopped by
 * {@code stop.sh} from a shutdown hook. Tests isolate themselves by namespace ({@link #createNamespace}) and by
 * node name ({@link #uniqueName}); nothing is reset between tests.
 *
 * <p>Never skips: if the control plane cannot start, {@link #shared()} throws for every caller with the
 * script's output (the first failure is remembered, the start is not retried), so a broken environment turns
 * the build red. Missing binaries are reported with the fix: run {@code scripts/kube-testenv/provision.sh}.
 *
 * <p>The state dir (logs, certificates, kubeconfig) is created under {@code target/} of the working directory
 * when there is one (so a failed run leaves the component logs next to the test reports), else under the
 * system temp dir, and kept after stop (without etcd's data). If the JVM is killed without running its
 * shutdown hooks, a small watchdog process stops the control plane once the JVM is gone.
 *
 * <p>Settings (system properties): {@code ecivk.kubeTestenv.repoRoot} (where {@code scripts/kube-testenv} is;
 * default: searched upwards from the working directory), {@code ecivk.kubeTestenv.startTimeoutSeconds}
 * (default 180). The scripts' own variables ({@code KUBE_TESTENV_*}, e.g. extra controller-manager flags) are
 * passed through from the environment.
 */
public final class KubeControlPlane {
  private static final Logger log = LoggerFactory.getLogger(KubeControlPlane.class);
  private static final String SCRIPTS = "scripts/kube-testenv";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private static final Object LOCK = new Object();
  private static volatile KubeControlPlane instance; // written under LOCK
  private static RuntimeException startFailure; // guarded by LOCK

  private final Path stateDir;
  private final Path kubeconfig;
  private final Map<String, String> env;
  private final String apiServerUrl;
  private final KubernetesClient client;

  private KubeControlPlane(Path stateDir, Map<String, String> env) {
    this.stateDir = stateDir;
    this.env = Map.copyOf(env);
    this.kubeconfig = Path.of(require(env, "KUBECONFIG"));
    this.apiServerUrl = require(env, "KUBE_APISERVER_URL");
    this.client = newClient();
  }

  /**
   * The control plane of this JVM, started on the first call (about 10-15 s); later calls return at once.
   * Thread-safe.
   *
   * @throws IllegalStateException if it could not be started, now or on an earlier call, with the script's output
   */
  public static KubeControlPlane shared() {
    synchronized (LOCK) {
      if (instance != null) {
        return instance;
      }
      if (startFailure != null) {
        throw new IllegalStateException(startFailure.getMessage(), startFailure);
      }
      try {
        instance = start();
        return instance;
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
    }
  }

  /** The admin kubeconfig (token in group {@code system:masters}). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** {@code https://127.0.0.1:<port>}. */
  public String apiServerUrl() {
    return apiServerUrl;
  }

  /** A shared admin client; do not close it. */
  public KubernetesClient client() {
    return client;
  }

  /** A new admin client of its own; the caller closes it. */
  public KubernetesClient newClient() {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      // Loopback only: a proxy from the environment must never see this traffic.
      config.setNoProxy(new String[] {"127.0.0.1", "localhost"});
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The state dir {@code start.sh} wrote: {@code env}, {@code kubeconfig}, {@code logs/}, {@code pki/}. */
  public Path stateDir() {
    return stateDir;
  }

  /** The variables of {@code <stateDir>/env} (e.g. {@code KUBE_CA_FILE}, {@code KUBE_ADMIN_TOKEN}). */
  public Map<String, String> env() {
    return env;
  }

  /**
   * Creates a namespace named {@code <prefix>-<random>} and waits until pods can be created in it (1.20's
   * ServiceAccount admission wants the {@code default} ServiceAccount and its token Secret, which the
   * controller-manager adds within a second or two).
   *
   * @return the namespace's name
   */
  public String createNamespace(String prefix) {
    String name = uniqueName(prefix);
    long t0 = System.nanoTime();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    client.serviceAccounts().inNamespace(name).withName("default")
        .waitUntilCondition(KubeControlPlane::hasTokenSecret, 60, TimeUnit.SECONDS);
    log.debug("namespace {} ready for pods in {} ms", name, (System.nanoTime() - t0) / 1_000_000);
    return name;
  }

  /**
   * A fresh DNS-1123 label {@code <prefix>-<6 random chars>} (the prefix lower-cased, other characters replaced by
   * {@code -}, cut to fit 63 characters): for node names and other cluster-scoped objects.
   */
  public static String uniqueName(String prefix) {
    String p = Objects.requireNonNull(prefix, "prefix").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-")
        .replaceAll("^-+", "");
    if (p.length() > 55) {
      p = p.substring(0, 55);
    }
    p = p.replaceAll("-+$", "");
    StringBuilder sb = new StringBuilder(p.isEmpty() ? "t" : p).append('-');
    for (int i = 0; i < 6; i++) {
      sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  private static boolean hasTokenSecret(ServiceAccount sa) {
    return sa != null && sa.getSecrets() != null && !sa.getSecrets().isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------------

  /**
   * Runs {@code provision.sh}: a no-op in under a second when the binaries are cached, a one-time build (root
   * for apt, minutes) on a fresh machine. So {@code mvn verify} alone works anywhere the scripts can provision;
   * if provisioning fails, every test using the control plane fails with its output.
   */
  private static void provision(Path scripts, Path stateDir) {
    long timeout = Long.getLong("ecivk.kubeTestenv.provisionTimeoutSeconds", 1800);
    Path output = stateDir.resolve("provision.out");
    try {
      Process p = new ProcessBuilder("bash", scripts.resolve("provision.sh").toString())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kube-testenv: provision.sh did not finish within " + timeout + " s\n"
            + read(output));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("kube-testenv: provision.sh failed (exit " + p.exitValue()
            + "; it needs root for apt and the Debian archive).\n----- provision.sh output -----\n" + read(output));
      }
    } catch (IOException e) {
      throw new IllegalStateException("kube-testenv: cannot run " + scripts.resolve("provision.sh") + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("kube-testenv: interrupted while provisioning", e);
    }
  }

  private static KubeControlPlane start() {
    Path scripts = repoRoot().resolve(SCRIPTS);
    Path stateDir;
    try {
      Path parent = Files.isDirectory(Path.of("target")) ? Path.of("target").toAbsolutePath()
          : Path.of(System.getProperty("java.io.tmpdir"));
      stateDir = Files.createTempDirectory(parent, "kube-testenv-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a state dir for kube-testenv", e);
    }
    // Stop hook and watchdog go in before the start: start.sh cleans up after itself on failure, but a JVM
    // killed half-way must not leave a control plane behind.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(scripts, stateDir), "kube-testenv-stop"));
    startWatchdog(scripts, stateDir);

    provision(scripts, stateDir);
    long timeout = Long.getLong("ecivk.kubeTestenv.startTimeoutSeconds", 180);
    Path output = stateDir.resolve("start.out");
    long t0 = System.nanoTime();
    int exit;
    try {
      Process p = new ProcessBuilder("bash", scripts.resolve("start.sh").toString(), stateDir.toString())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
        p.destroyForcibly();
        stop(scripts, stateDir);
        throw new IllegalStateException("kube-testenv: start.sh did not finish within " + timeout + " s\n"
            + read(output));
      }
      exit = p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("kube-testenv: cannot run " + scripts.resolve("start.sh") + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(scripts, stateDir);
      throw new IllegalStateException("kube-testenv: interrupted while starting", e);
    }
    String out = read(output);
    if (exit != 0) {
      String hint = out.contains("provision.sh")
          ? "The Kubernetes test binaries are not installed: run scripts/kube-testenv/provision.sh (once per "
              + "machine, needs root for apt; about 10 min the first time).\n"
          : "";
      throw new IllegalStateException("kube-testenv: start.sh " + stateDir + " failed (exit " + exit + ").\n"
          + hint + "----- start.sh output -----\n" + out);
    }
    Map<String, String> env = parseEnv(stateDir.resolve("env"));
    log.info("kube-testenv {} up in {} ms at {} (state {})", env.get("KUBE_VERSION"),
        (System.nanoTime() - t0) / 1_000_000, env.get("KUBE_APISERVER_URL"), stateDir);
    return new KubeControlPlane(stateDir, env);
  }

  private static void stop(Path scripts, Path stateDir) {
    // No lock here: a JVM exiting while another thread starts the control plane must not wait for it.
    KubeControlPlane running = instance;
    if (running != null) {
      running.client.close();
    }
    try {
      Process p = new ProcessBuilder("bash", scripts.resolve("stop.sh").toString(), stateDir.toString())
          .redirectErrorStream(true)
          .redirectOutput(stateDir.resolve("stop.out").toFile())
          .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      } else if (p.exitValue() == 0) {
        // Logs and certificates stay for post-mortems; etcd's data (64 MB of preallocated WAL) does not.
        deleteRecursively(stateDir.resolve("etcd"));
      }
    } catch (IOException e) {
      System.err.println("kube-testenv: could not run stop.sh " + stateDir + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * A detached shell that waits for this JVM to exit and then runs stop.sh (a no-op if the shutdown hook already
   * stopped everything). It covers SIGKILL and crashes, which skip shutdown hooks.
   */
  private static void startWatchdog(Path scripts, Path stateDir) {
    String script = "while kill -0 \"$1\" 2>/dev/null; do sleep 2; done; exec bash \"$2\" \"$3\"";
    try {
      new ProcessBuilder("setsid", "bash", "-c", script, "kube-testenv-watchdog",
          Long.toString(ProcessHandle.current().pid()), scripts.resolve("stop.sh").toString(), stateDir.toString())
          .redirectErrorStream(true)
          .redirectOutput(stateDir.resolve("watchdog.out").toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .start();
    } catch (IOException e) {
      log.warn("kube-testenv: no watchdog ({}); a killed test JVM would leave the control plane running", e.toString());
    }
  }

  private static Path repoRoot() {
    String configured = System.getProperty("ecivk.kubeTestenv.repoRoot");
    if (configured != null) {
      Path p = Path.of(configured).toAbsolutePath();
      if (!Files.isRegularFile(p.resolve(SCRIPTS).resolve("start.sh"))) {
        throw new IllegalStateException("kube-testenv: ecivk.kubeTestenv.repoRoot=" + p + " has no " + SCRIPTS
            + "/start.sh");
      }
      return p;
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(SCRIPTS).resolve("start.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("kube-testenv: no " + SCRIPTS + "/start.sh in " + start
        + " or any parent directory; run the tests inside the repository or set -Decivk.kubeTestenv.repoRoot");
  }

  /** Reads {@code export NAME=value} lines; values are {@code printf %q}-quoted (plain for ordinary values). */
  static Map<String, String> parseEnv(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("kube-testenv: cannot read " + file, e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : lines) {
      if (!line.startsWith("export ")) {
        continue;
      }
      String kv = line.substring("export ".length());
      int eq = kv.indexOf('=');
      if (eq > 0) {
        env.put(kv.substring(0, eq), unquote(kv.substring(eq + 1)));
      }
    }
    return env;
  }

  // printf %q output for the values start.sh writes: backslash escapes, or $'...' (not expected here), or ''.
  private static String unquote(String v) {
    if (v.equals("''")) {
      return "";
    }
    if (v.startsWith("$'")) {
      throw new IllegalStateException("kube-testenv: unexpected $'...' quoting in env: " + v);
    }
    StringBuilder sb = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length()) {
        c = v.charAt(++i);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static String require(Map<String, String> env, String key) {
    String v = env.get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("kube-testenv: " + key + " missing from the env file");
    }
    return v;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
