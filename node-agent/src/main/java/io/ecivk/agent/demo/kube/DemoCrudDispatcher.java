package io.ecivk.agent.demo.kube;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's CRUD dispatcher taught what a kubelet relies on (see {@link DemoKubeApiServer} for the list).
 *
 * <p>How the stock dispatcher works, as far as it matters here: every object is stored as a JSON string under an
 * {@link AttributeSet} key (plural, namespace, name, labels, ...) computed by a {@link KubernetesAttributesExtractor}.
 * A list or watch turns its path and its {@code labelSelector}/{@code fieldSelector} into an attribute set and
 * matches it against the keys; {@link #processEvent} is the single place that stores a new state and tells every
 * open watch ADDED/MODIFIED/DELETED by comparing how the old and the new key match the watch. The stock handlers
 * (create, update, patch) call back into this class through the {@code KubernetesCrudPersistence} interface, so
 * overriding {@link #processEvent} and {@link #merge} changes what they do without touching them.
 *
 * <p>Written against kubernetes-server-mock <b>8.0.0</b> (the source and the jar's bytecode were read). Two private
 * fields are reached by reflection, in the constructor, so an upgrade that renames them fails at once with a
 * message; {@code DemoKubeApiServerIT} also pins the version.
 */
final class DemoCrudDispatcher extends KubernetesCrudDispatcher {
  /** The fabric8 version whose internals this class was written against. */
  static final String WRITTEN_AGAINST_FABRIC8 = "8.0.0";

  static final String FIELD_NODE_NAME = "spec.nodeName";
  static final String FIELD_PHASE = "status.phase";
  /** The API server's default for {@code spec.terminationGracePeriodSeconds}. */
  static final long DEFAULT_GRACE_SECONDS = 30;

  /** Plain Jackson for JSON trees (fabric8's Serialization.jsonMapper() is deprecated in 8.0.0). */
  private static final JsonMapper TREES = JsonMapper.builder().build();
  private static final List<String> DELETION_FIELDS = List.of("deletionTimestamp", "deletionGracePeriodSeconds");
  private static final Pattern POD_PATH =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods(?:/([^/]+)(/status|/binding)?)?");
  private static final Pattern BINDINGS_PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/bindings");
  private static final String VERSION_JSON =
      "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.0\",\"gitCommit\":\"ecivk-demo\","
          + "\"gitTreeState\":\"clean\",\"buildDate\":\"2025-04-23T00:00:00Z\",\"goVersion\":\"go1.24.2\","
          + "\"compiler\":\"gc\",\"platform\":\"linux/amd64\"}";

  /**
   * The stock dispatcher's own read-write lock (private field {@code lock}): every stock handler runs under its
   * write lock, so our read-check-write sequences (binding, graceful delete) take the same lock to be atomic with
   * respect to concurrent updates and watch registration. It is reentrant, which {@link #update} relies on.
   */
  private final Lock writeLock;

  /** Set, under the write lock, while a stock PUT/PATCH handler updates a pod; read by {@link #processEvent}. */
  private PodUpdate podUpdate;

  DemoCrudDispatcher() {
    // Reflection #1: the extractor that computes a stored object's key is private and final, created by the
    // super constructor, and no constructor takes another one. Ours wraps it and adds the pod field attributes.
    // (The protected CrudDispatcher.attributeExtractor, which parses request paths, is the same instance and needs
    // no change: it already turns fieldSelector=spec.nodeName=x into an attribute; only stored keys lacked it.)
    KubernetesAttributesExtractor stock = (KubernetesAttributesExtractor) getAttributeExtractor();
    setInternal("kubernetesAttributesExtractor", new PodFieldsExtractor(stock));
    // Reflection #2: the lock (see writeLock).
    this.writeLock = ((ReadWriteLock) getInternal("lock")).writeLock();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Routing

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    String rawPath = path.split("\\?", 2)[0];
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    // The body is a read-once buffer: read it here and hand the stock code a fresh request.
    String body = request.getBody() == null ? "" : request.getBody().readUtf8();
    Matcher pod = POD_PATH.matcher(rawPath);
    boolean podPath = pod.matches();
    String subresource = podPath ? pod.group(3) : null;
    boolean singlePod = podPath && pod.group(2) != null;

    switch (method) {
      case "GET":
        if (rawPath.equals("/version")) {
          return json(200, VERSION_JSON); // the stock server answers /version only through its expectations
        }
        break;
      case "POST":
        if (podPath && !singlePod) {
          return super.dispatch(withBody(request, withPodDefaults(body)));
        }
        if (singlePod && "/binding".equals(subresource)) {
          return bind(pod.group(1), pod.group(2), body);
        }
        Matcher bindings = BINDINGS_PATH.matcher(rawPath);
        if (bindings.matches()) {
          return bind(bindings.group(1), null, body);
        }
        break;
      case "PUT":
      case "PATCH":
        if ((singlePod && !"/binding".equals(subresource)) || rawPath.endsWith("/status")) {
          return update(request, method, body, singlePod);
        }
        break;
      case "DELETE":
        if (podPath && subresource == null) {
          return deletePods(path, pod.group(2), body);
        }
        break;
      default:
        break;
    }
    return super.dispatch(withBody(request, body));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 1. Field selectors: see PodFieldsExtractor. Nothing else is needed: processEvent compares old and new keys
  //    against each watch, so a pod that starts matching (bound to the node) is sent as ADDED, one that stops
  //    matching as DELETED, exactly what the real API server's watch cache does.

  // ---------------------------------------------------------------------------------------------------------------
  // 2. pods/binding

  /** {@code POST pods/{name}/binding} or {@code POST bindings}: sets spec.nodeName once, like the scheduler's bind. */
  private MockResponse bind(String namespace, String podName, String body) {
    Binding binding = Serialization.unmarshal(body, Binding.class);
    if (binding != null && binding.getMetadata() == null) {
      binding.setMetadata(new ObjectMeta());
    }
    String name = podName != null ? podName : binding == null ? null : binding.getMetadata().getName();
    if (binding == null || name == null || binding.getTarget() == null || isBlank(binding.getTarget().getName())) {
      return status(422, "Invalid", "Binding is invalid: target.name: Required value", "bindings", name);
    }
    if (binding.getTarget().getKind() != null && !binding.getTarget().getKind().isEmpty()
        && !"Node".equals(binding.getTarget().getKind())) {
      return status(422, "Invalid", "Binding is invalid: target.kind: must be empty or Node", "bindings", name);
    }
    String path = podPath(namespace, name);
    writeLock.lock();
    try {
      Map.Entry<AttributeSet, String> entry = findResource(getKey(path));
      if (entry == null) {
        return status(404, "NotFound", "pods \"" + name + "\" not found", "pods", name);
      }
      Pod pod = Serialization.unmarshal(entry.getValue(), Pod.class);
      String conflict = null;
      String uid = binding.getMetadata().getUid();
      if (!isBlank(uid) && !uid.equals(pod.getMetadata().getUid())) {
        conflict = "Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
            + pod.getMetadata().getUid();
      } else if (pod.getMetadata().getDeletionTimestamp() != null) {
        conflict = "pod " + name + " is being deleted, cannot be assigned to a host";
      } else if (!isBlank(pod.getSpec().getNodeName())) {
        conflict = "pod " + name + " is already assigned to node \"" + pod.getSpec().getNodeName() + "\"";
      }
      if (conflict != null) {
        return status(409, "Conflict",
            "Operation cannot be fulfilled on pods/binding \"" + name + "\": " + conflict, "pods/binding", name);
      }
      pod.getSpec().setNodeName(binding.getTarget().getName());
      if (binding.getMetadata().getAnnotations() != null && !binding.getMetadata().getAnnotations().isEmpty()) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (pod.getMetadata().getAnnotations() != null) {
          annotations.putAll(pod.getMetadata().getAnnotations());
        }
        annotations.putAll(binding.getMetadata().getAnnotations());
        pod.getMetadata().setAnnotations(annotations);
      }
      setPodScheduled(pod);
      pod.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
      processEvent(path, entry.getKey(), entry.getKey(), null, Serialization.asJson(pod));
      return status(201, null, null, null, null);
    } finally {
      writeLock.unlock();
    }
  }

  /** The binding registry also records that the pod was scheduled. */
  private static void setPodScheduled(Pod pod) {
    if (pod.getStatus() == null) {
      pod.setStatus(new PodStatus());
    }
    List<PodCondition> conditions = new ArrayList<>(pod.getStatus().getConditions());
    conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
    PodCondition scheduled = new PodCondition();
    scheduled.setType("PodScheduled");
    scheduled.setStatus("True");
    scheduled.setLastTransitionTime(now(0));
    conditions.add(scheduled);
    pod.getStatus().setConditions(conditions);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 3. Graceful deletion (the stock handleDelete(String path) never sees the DeleteOptions body and removes at once)

  /** {@code DELETE} of one pod ({@code name} given) or of a namespace's pods (with optional selectors). */
  private MockResponse deletePods(String path, String name, String body) {
    boolean single = name != null;
    DeleteOptions options = body.isBlank() ? new DeleteOptions() : Serialization.unmarshal(body, DeleteOptions.class);
    Long requested = options.getGracePeriodSeconds() != null
        ? options.getGracePeriodSeconds() : queryLong(path, "gracePeriodSeconds");
    writeLock.lock();
    try {
      AttributeSet query = getKey(path); // for a collection it carries the label/field selectors
      List<Map.Entry<AttributeSet, String>> matches = new ArrayList<>();
      for (Map.Entry<AttributeSet, String> entry : new ArrayList<>(map.entrySet())) {
        if (entry.getKey().matches(query)) {
          matches.add(Map.entry(entry.getKey(), entry.getValue()));
        }
      }
      if (single && matches.isEmpty()) {
        return status(404, "NotFound", "pods \"" + name + "\" not found", "pods", name);
      }
      List<String> results = new ArrayList<>();
      for (Map.Entry<AttributeSet, String> entry : matches) {
        Pod pod = Serialization.unmarshal(entry.getValue(), Pod.class);
        String conflict = preconditionFailure(options.getPreconditions(), pod.getMetadata());
        if (conflict != null) {
          return status(409, "Conflict", conflict, "pods", pod.getMetadata().getName());
        }
        results.add(deletePod(entry, pod, requested));
      }
      return json(200, single ? results.get(0)
          : ((KubernetesResponseComposer) getResponseComposer()).compose(results, String.valueOf(requestResourceVersion())));
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * The API server's rest.BeforeDelete plus the pod strategy's CheckGracefulDelete: the grace period is the
   * request's, else the pod's terminationGracePeriodSeconds, else 30; 0 for a pod never bound to a node or already
   * Succeeded/Failed; negative means 1. A pod already terminating can only have its grace period shortened. Grace 0
   * removes the pod unless finalizers hold it. Returns the pod's state after the call (the response body).
   */
  private String deletePod(Map.Entry<AttributeSet, String> entry, Pod pod, Long requested) {
    ObjectMeta meta = pod.getMetadata();
    String path = podPath(meta.getNamespace(), meta.getName());
    boolean finalizers = meta.getFinalizers() != null && !meta.getFinalizers().isEmpty();
    long grace;
    if (meta.getDeletionTimestamp() != null) {
      Long current = meta.getDeletionGracePeriodSeconds();
      if (current == null || requested == null || Math.max(requested, 0) >= current) {
        return entry.getValue(); // graceful deletion pending: nothing changes
      }
      grace = Math.max(requested, 0);
      Instant start = Instant.parse(meta.getDeletionTimestamp()).minusSeconds(current);
      meta.setDeletionTimestamp(start.plusSeconds(grace).toString());
    } else {
      grace = requested != null ? requested
          : pod.getSpec().getTerminationGracePeriodSeconds() != null
              ? pod.getSpec().getTerminationGracePeriodSeconds() : DEFAULT_GRACE_SECONDS;
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (isBlank(pod.getSpec().getNodeName()) || "Succeeded".equals(phase) || "Failed".equals(phase)) {
        grace = 0;
      } else if (grace < 0) {
        grace = 1;
      }
      meta.setDeletionTimestamp(now(grace));
      meta.setGeneration(meta.getGeneration() == null ? 1 : meta.getGeneration() + 1);
    }
    if (grace == 0 && !finalizers) {
      processEvent(path, entry.getKey(), entry.getKey(), null, null); // DELETED
      return entry.getValue();
    }
    meta.setDeletionGracePeriodSeconds(grace);
    meta.setResourceVersion(String.valueOf(requestResourceVersion()));
    String json = Serialization.asJson(pod);
    processEvent(path, entry.getKey(), entry.getKey(), null, json); // MODIFIED
    return json;
  }

  private static String preconditionFailure(Preconditions preconditions, ObjectMeta meta) {
    if (preconditions == null) {
      return null;
    }
    if (preconditions.getUid() != null && !preconditions.getUid().equals(meta.getUid())) {
      return "Precondition failed: UID in precondition: " + preconditions.getUid() + ", UID in object meta: "
          + meta.getUid();
    }
    if (preconditions.getResourceVersion() != null
        && !preconditions.getResourceVersion().equals(meta.getResourceVersion())) {
      return "Precondition failed: ResourceVersion in precondition: " + preconditions.getResourceVersion()
          + ", ResourceVersion in object meta: " + meta.getResourceVersion();
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 3b/4. Updates: the stock PUT/PATCH handlers remove any object whose new state carries a deletionTimestamp and no
  //       finalizers. For a gracefully terminating pod that means the kubelet's first status update deletes it,
  //       which is exactly what a kubelet must be able to do without. The real API server never lets an update
  //       touch deletionTimestamp/deletionGracePeriodSeconds, and deletes on update only when the last finalizer
  //       goes and the grace period is already 0. So for pods: hide the two fields from the stock handler, let it
  //       do its work, and put them back in processEvent. Also: a PUT to /status with a stale resourceVersion is a
  //       409 (the stock handler copies the current object and so never sees the stale version).

  /** A stock update of a pod in progress: the state before it, and the state it wrote (null until it does). */
  private static final class PodUpdate {
    final String original;
    final JsonNode deletionTimestamp;
    final JsonNode deletionGracePeriodSeconds;
    String written;

    PodUpdate(String original, ObjectNode originalMeta) {
      this.original = original;
      this.deletionTimestamp = originalMeta.get("deletionTimestamp");
      this.deletionGracePeriodSeconds = originalMeta.get("deletionGracePeriodSeconds");
    }
  }

  private MockResponse update(RecordedRequest request, String method, String body, boolean pod) {
    writeLock.lock(); // reentrant: the stock handler takes it again
    try {
      Map.Entry<AttributeSet, String> entry = findResource(getKey(request.getPath()));
      if (entry == null) {
        return super.dispatch(withBody(request, body)); // the stock 404
      }
      if (method.equals("PUT") && request.getPath().split("\\?", 2)[0].endsWith("/status")) {
        String sent = tree(body).path("metadata").path("resourceVersion").asString("");
        String stored = tree(entry.getValue()).path("metadata").path("resourceVersion").asString("");
        if (!sent.isEmpty() && !sent.equals(stored)) {
          String name = tree(entry.getValue()).path("metadata").path("name").asString("");
          return status(409, "Conflict", "Operation cannot be fulfilled on " + tree(body).path("kind").asString("")
              + " \"" + name + "\": the object has been modified; please apply your changes to the latest version "
              + "and try again", null, name);
        }
      }
      if (!pod) {
        return super.dispatch(withBody(request, body));
      }
      ObjectNode original = tree(entry.getValue());
      PodUpdate pending = new PodUpdate(entry.getValue(), (ObjectNode) original.path("metadata"));
      String hiddenJson = withoutDeletionFields(entry.getValue());
      map.put(entry.getKey(), hiddenJson); // same key: the two fields are not attributes
      podUpdate = pending;
      try {
        // A PUT body or a merge patch (patchStatus sends the whole pod) carries the fields too: updates cannot
        // change them, so they go before the stock handler sees them.
        MockResponse response = super.dispatch(withBody(request, withoutDeletionFields(body)));
        String written = pending.written;
        if (written == null) {
          map.replace(entry.getKey(), hiddenJson, entry.getValue()); // the stock handler refused: undo the hiding
        } else if (response.code() < 300) {
          response.setBody(written); // it answered with the hidden state
        }
        return response;
      } finally {
        podUpdate = null;
      }
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    PodUpdate update = podUpdate;
    if (update == null || oldAttributes == null) {
      super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
      return;
    }
    podUpdate = null; // one stock update, one event
    map.put(oldAttributes, update.original); // watchers are told the difference from what they last saw
    if (newState == null) {
      // The stock handlers delete on update only for a deletionTimestamp in the new state, removed above.
      update.written = update.original;
      return;
    }
    ObjectNode next = tree(newState);
    ObjectNode meta = (ObjectNode) next.path("metadata");
    if (update.deletionTimestamp != null) {
      meta.set("deletionTimestamp", update.deletionTimestamp);
      if (update.deletionGracePeriodSeconds != null) {
        meta.set("deletionGracePeriodSeconds", update.deletionGracePeriodSeconds);
      }
      boolean graceOver = update.deletionGracePeriodSeconds == null || update.deletionGracePeriodSeconds.asLong() == 0;
      if (graceOver && meta.path("finalizers").isEmpty()) {
        update.written = update.original;
        super.processEvent(path, pathAttributes, oldAttributes, null, null); // last finalizer gone: DELETED
        return;
      }
    }
    if (next.equals(tree(update.original))) {
      update.written = update.original; // a no-op update: no event, as the stock handler would do
      return;
    }
    String json = Serialization.asJson(next);
    update.written = json;
    super.processEvent(path, pathAttributes, oldAttributes, null, json);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 4b. JSON merge patch (what patchStatus() sends): the stock merge is Jackson's readerForUpdating, which appends to
  //     arrays, so patching a pod's conditions or containerStatuses would accumulate entries. RFC 7386 replaces them.

  @Override
  public JsonNode merge(JsonNode baseResource, String updatedResource) throws KubernetesCrudDispatcherException {
    return mergePatch(baseResource.deepCopy(), asNode(updatedResource));
  }

  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result = target != null && target.isObject()
        ? (ObjectNode) target : TREES.createObjectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 5. Create: the stock PostHandler already sets a fresh uid and creationTimestamp on every create. The API
  //    server's pod defaulting is added for the two fields a kubelet reads: terminationGracePeriodSeconds (30) and
  //    status.phase (Pending). Unlike the real server, a status sent with the create is otherwise kept.

  private static String withPodDefaults(String body) {
    ObjectNode pod;
    try {
      pod = tree(body);
    } catch (RuntimeException e) {
      return body; // let the stock handler answer the malformed body
    }
    if (pod.path("spec").isObject() && !pod.path("spec").has("terminationGracePeriodSeconds")) {
      ((ObjectNode) pod.path("spec")).put("terminationGracePeriodSeconds", DEFAULT_GRACE_SECONDS);
    }
    if (!pod.path("status").isObject()) {
      pod.putObject("status");
    }
    if (!pod.path("status").has("phase")) {
      ((ObjectNode) pod.path("status")).put("phase", "Pending");
    }
    return Serialization.asJson(pod);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Seeding

  /** Stores an object as if created, with the given uid kept (the stock create always draws a random one). */
  void seed(String path, HasMetadata object) {
    writeLock.lock();
    try {
      object.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
      object.getMetadata().setGeneration(1L);
      if (object.getMetadata().getCreationTimestamp() == null) {
        object.getMetadata().setCreationTimestamp(now(0));
      }
      processEvent(path, getKey(path), null, null, Serialization.asJson(object));
    } finally {
      writeLock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The extractor

  /**
   * The stock extractor puts name, namespace, labels and kind into a stored object's key, so a field selector on
   * anything else (the parsed request side works for any field) matches nothing. This one adds a pod's
   * {@code spec.nodeName} and {@code status.phase}, empty when unset, as the API server's pod field set does, so
   * {@code spec.nodeName=vk-1}, {@code spec.nodeName!=vk-1} and {@code status.phase!=Succeeded} select like the
   * real thing. (An empty value in the selector, {@code spec.nodeName=}, is not parsed by the stock request side
   * and is ignored, i.e. selects everything.)
   */
  static final class PodFieldsExtractor extends KubernetesAttributesExtractor {
    private final KubernetesAttributesExtractor stock;

    PodFieldsExtractor(KubernetesAttributesExtractor stock) {
      this.stock = stock; // it holds the CRD processor the dispatcher wired in; delegate to keep that
    }

    @Override
    public AttributeSet extract(HasMetadata resource) {
      AttributeSet attributes = stock.extract(resource);
      if (!"Pod".equals(resource.getKind()) || !"v1".equals(resource.getApiVersion())) {
        return attributes;
      }
      Object nodeName;
      Object phase;
      if (resource instanceof Pod pod) {
        nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      } else if (resource instanceof GenericKubernetesResource generic) { // how the create handler passes it
        nodeName = generic.get("spec", "nodeName");
        phase = generic.get("status", "phase");
      } else {
        return attributes;
      }
      return attributes.add(
          new Attribute(FIELD_NODE_NAME, nodeName == null ? "" : nodeName.toString()),
          new Attribute(FIELD_PHASE, phase == null ? "" : phase.toString()));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers

  private void setInternal(String name, Object value) {
    try {
      internalField(name, value.getClass()).set(this, value);
    } catch (IllegalAccessException e) {
      throw internalsChanged(name, e);
    }
  }

  private Object getInternal(String name) {
    try {
      return internalField(name, null).get(this);
    } catch (IllegalAccessException e) {
      throw internalsChanged(name, e);
    }
  }

  private static Field internalField(String name, Class<?> assigned) {
    try {
      Field field = KubernetesCrudDispatcher.class.getDeclaredField(name);
      if (assigned != null && !field.getType().isAssignableFrom(assigned)) {
        throw new NoSuchFieldException(name + " is a " + field.getType().getName());
      }
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException | RuntimeException e) {
      throw internalsChanged(name, e);
    }
  }

  private static IllegalStateException internalsChanged(String field, Exception cause) {
    return new IllegalStateException("fabric8 kubernetes-server-mock internals changed: KubernetesCrudDispatcher."
        + field + " is not what DemoCrudDispatcher expects (written against " + WRITTEN_AGAINST_FABRIC8
        + ", found " + serverMockVersion() + "); re-check DemoCrudDispatcher against the new source", cause);
  }

  /** The kubernetes-server-mock version on the class path, from its Maven metadata ("unknown" if absent). */
  static String serverMockVersion() {
    try (InputStream in = KubernetesCrudDispatcher.class.getResourceAsStream(
        "/META-INF/maven/io.fabric8/kubernetes-server-mock/pom.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * The JSON without {@code metadata.deletionTimestamp}/{@code deletionGracePeriodSeconds}: an object (a pod, a PUT
   * body, a merge patch) loses the two fields, a JSON patch loses the operations on them.
   */
  private static String withoutDeletionFields(String json) {
    JsonNode node;
    try {
      node = TREES.readTree(json);
    } catch (RuntimeException e) {
      return json; // let the stock handler answer the malformed body
    }
    if (node instanceof ObjectNode object && object.path("metadata") instanceof ObjectNode meta) {
      meta.remove(DELETION_FIELDS);
    } else if (node instanceof ArrayNode operations) {
      for (int i = operations.size() - 1; i >= 0; i--) {
        String target = operations.get(i).path("path").asString("");
        if (target.startsWith("/metadata/deletionTimestamp") || target.startsWith("/metadata/deletionGracePeriod")) {
          operations.remove(i);
        }
      }
    } else {
      return json;
    }
    return Serialization.asJson(node);
  }

  private static RecordedRequest withBody(RecordedRequest request, String body) {
    return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), request.getHeaders(),
        new Buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static ObjectNode tree(String json) {
    return (ObjectNode) TREES.readTree(json);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  private static MockResponse status(int code, String reason, String message, String kind, String name) {
    StatusBuilder status = new StatusBuilder().withStatus(code < 300 ? "Success" : "Failure").withCode(code)
        .withReason(reason).withMessage(message);
    if (kind != null || name != null) {
      status.withNewDetails().withKind(kind).withName(name).endDetails();
    }
    return json(code, Serialization.asJson(status.build()));
  }

  private static Long queryLong(String path, String parameter) {
    String[] parts = path.split("\\?", 2);
    if (parts.length < 2) {
      return null;
    }
    for (String pair : parts[1].split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv.length == 2 && URLDecoder.decode(kv[0], StandardCharsets.UTF_8).equals(parameter)) {
        try {
          return Long.valueOf(URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  static String podPath(String namespace, String name) {
    return "/api/v1/namespaces/" + namespace + "/pods/" + name;
  }

  private static String now(long plusSeconds) {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(plusSeconds).toString();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
