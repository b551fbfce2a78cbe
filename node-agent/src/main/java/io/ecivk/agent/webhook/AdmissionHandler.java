package io.ecivk.agent.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an {@code AdmissionReview} request ({@code admission.k8s.io/v1} or {@code v1beta1}, which share the
 * shape) into the AdmissionReview response, in the request's own apiVersion, with the {@link PodMutator} patch
 * base64-encoded as {@code patchType: JSONPatch}.
 *
 * <p>Contract: always allows. Only pod CREATEs (no subresource) in namespaces not excluded are mutated; anything
 * else, and any pod this code cannot read, is allowed unchanged (the agent must never block or alter pod
 * creation by mistake). Only a body that is not an AdmissionReview at all is rejected ({@link BadReview}, HTTP 400).
 * Non-blocking: the profile and namespace labels come from memory.
 */
public final class AdmissionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);

  private final Supplier<EciProfile> profile;
  private final Function<String, Map<String, String>> namespaceLabels;
  private final Set<String> excludedNamespaces;

  /**
   * @param profile the current eci-profile (in memory)
   * @param namespaceLabels a namespace's labels from an informer cache; empty when unknown
   * @param excludedNamespaces never mutated (kube-system, the agent's own), even if the configuration's
   *     namespaceSelector cannot exclude them (clusters before 1.21 have no {@code kubernetes.io/metadata.name})
   */
  public AdmissionHandler(Supplier<EciProfile> profile, Function<String, Map<String, String>> namespaceLabels,
      Set<String> excludedNamespaces) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.namespaceLabels = Objects.requireNonNull(namespaceLabels, "namespaceLabels");
    this.excludedNamespaces = Set.copyOf(excludedNamespaces);
  }

  /** The request body is not an AdmissionReview with a request. */
  public static final class BadReview extends RuntimeException {
    BadReview(String message) {
      super(message);
    }
  }

  /** Answers one AdmissionReview body with the response body (UTF-8 JSON). */
  public byte[] handle(byte[] body) {
    JsonNode review;
    try {
      review = PodMutator.JSON.readTree(body);
    } catch (JacksonException e) {
      throw new BadReview("body is not JSON: " + e.getOriginalMessage());
    }
    if (!review.isObject() || !"AdmissionReview".equals(review.path("kind").asString(""))) {
      throw new BadReview("body is not an AdmissionReview");
    }
    String apiVersion = review.path("apiVersion").asString("");
    if (!apiVersion.equals("admission.k8s.io/v1") && !apiVersion.equals("admission.k8s.io/v1beta1")) {
      throw new BadReview("unsupported AdmissionReview apiVersion '" + apiVersion + "'");
    }
    JsonNode request = review.get("request");
    if (request == null || !request.isObject() || !request.path("uid").isString()) {
      throw new BadReview("AdmissionReview has no request uid");
    }
    String uid = request.get("uid").asString();
    ObjectNode response = PodMutator.JSON.createObjectNode().put("uid", uid).put("allowed", true);
    mutate(request, response);
    ObjectNode out = PodMutator.JSON.createObjectNode()
        .put("apiVersion", apiVersion)
        .put("kind", "AdmissionReview");
    out.set("response", response);
    return PodMutator.JSON.writeValueAsBytes(out);
  }

  private void mutate(JsonNode request, ObjectNode response) {
    String namespace = request.path("namespace").asString("");
    if (!"CREATE".equals(request.path("operation").asString(""))
        || !"pods".equals(request.path("resource").path("resource").asString(""))
        || !request.path("subResource").asString("").isEmpty()
        || excludedNamespaces.contains(namespace)) {
      return;
    }
    JsonNode pod = request.get("object");
    if (pod == null || !pod.isObject()) {
      LOG.warn("event=webhook_unreadable_pod namespace={} uid={} error=\"no object\"", namespace,
          request.path("uid").asString(""));
      return;
    }
    PodMutator.Result result = PodMutator.mutate(pod, namespaceLabels.apply(namespace), profile.get());
    JsonNode metadata = pod.path("metadata");
    String name = metadata.has("name") ? metadata.path("name").asString("")
        : metadata.path("generateName").asString("") + "*";
    if (!result.warnings().isEmpty()) {
      ArrayNode warnings = response.putArray("warnings");
      result.warnings().forEach(warnings::add);
    }
    if (!result.changed()) {
      LOG.debug("event=webhook_admitted namespace={} pod={} changed=false", namespace, name);
      return;
    }
    response.put("patchType", "JSONPatch");
    response.put("patch", Base64.getEncoder().encodeToString(
        result.patchJson().getBytes(StandardCharsets.UTF_8)));
    LOG.info("event=webhook_mutated namespace={} pod={} routedToEci={} profileSelector={}", namespace, name,
        result.routed(), result.profileSelector().orElse("-"));
  }
}
