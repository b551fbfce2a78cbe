package io.ecivk.agent.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AdmissionHandlerTest {
  private final AdmissionHandler handler = new AdmissionHandler(EciProfile::empty,
      ns -> ns.equals("eci-ns") ? Map.of("alibabacloud.com/eci", "true") : Map.of(), Set.of("kube-system"));

  private static String review(String version, String operation, String namespace, String subResource) {
    return "{\"apiVersion\":\"admission.k8s.io/" + version + "\",\"kind\":\"AdmissionReview\",\"request\":{"
        + "\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\","
        + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
        + "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
        + (subResource == null ? "" : "\"subResource\":\"" + subResource + "\",")
        + "\"namespace\":\"" + namespace + "\",\"operation\":\"" + operation + "\","
        + "\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"generateName\":\"web-\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}";
  }

  private JsonNode answer(String body) {
    return PodMutator.JSON.readTree(handler.handle(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void v1CreateInLabelledNamespaceGetsABase64JsonPatch() {
    JsonNode out = answer(review("v1", "CREATE", "eci-ns", null));

    assertThat(out.path("apiVersion").asString()).isEqualTo("admission.k8s.io/v1");
    assertThat(out.path("kind").asString()).isEqualTo("AdmissionReview");
    JsonNode response = out.path("response");
    assertThat(response.path("uid").asString()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asString()).isEqualTo("JSONPatch");
    assertThat(new String(Base64.getDecoder().decode(response.path("patch").asString()), StandardCharsets.UTF_8))
        .isEqualTo("[{\"op\":\"add\",\"path\":\"/spec/tolerations\",\"value\":[{\"key\":\"virtual-kubelet.io/provider\","
            + "\"operator\":\"Equal\",\"value\":\"alibabacloud\",\"effect\":\"NoSchedule\"}]},"
            + "{\"op\":\"add\",\"path\":\"/spec/nodeSelector\",\"value\":{\"type\":\"virtual-kubelet\"}}]");
  }

  @Test
  void v1beta1IsAnsweredInV1beta1() {
    JsonNode out = answer(review("v1beta1", "CREATE", "eci-ns", null));

    assertThat(out.path("apiVersion").asString()).isEqualTo("admission.k8s.io/v1beta1");
    assertThat(out.path("response").path("patchType").asString()).isEqualTo("JSONPatch");
  }

  @Test
  void unlabelledNamespaceUpdateSubresourceAndExcludedNamespaceAreAllowedUnchanged() {
    for (String body : new String[] {review("v1", "CREATE", "plain", null), review("v1", "UPDATE", "eci-ns", null),
        review("v1", "CREATE", "eci-ns", "status"), review("v1", "CREATE", "kube-system", null)}) {
      JsonNode response = answer(body).path("response");
      assertThat(response.path("allowed").asBoolean()).isTrue();
      assertThat(response.has("patch")).as(body).isFalse();
      assertThat(response.has("patchType")).isFalse();
    }
  }

  @Test
  void notAnAdmissionReviewIsABadRequest() {
    assertThatThrownBy(() -> handler.handle("nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(AdmissionHandler.BadReview.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> handler.handle("{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(AdmissionHandler.BadReview.class).hasMessage("body is not an AdmissionReview");
    assertThatThrownBy(() -> handler.handle(
        "{\"apiVersion\":\"admission.k8s.io/v2\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\"}}"
            .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(AdmissionHandler.BadReview.class).hasMessageContaining("unsupported");
    assertThatThrownBy(() -> handler.handle(
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(AdmissionHandler.BadReview.class).hasMessage("AdmissionReview has no request uid");
  }
}
