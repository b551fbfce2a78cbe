package io.ecivk.kubeletapi.auth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reviewers a kubelet uses, through the API server: TokenReview ({@code authentication.k8s.io/v1}) and
 * SubjectAccessReview ({@code authorization.k8s.io/v1}), both GA since Kubernetes 1.6. The client's
 * credentials need {@code create} on both (the {@code system:auth-delegator} ClusterRole grants it).
 */
public final class KubeReviewers {
  private KubeReviewers() {}

  public static TokenReviewer tokenReviewer(KubernetesClient client) {
    return token -> {
      TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build();
      TokenReview answer = client.authentication().v1().tokenReviews().create(review);
      if (answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAuthenticated())
          || answer.getStatus().getUser() == null) {
        return Optional.empty();
      }
      var u = answer.getStatus().getUser();
      return Optional.of(new UserInfo(u.getUsername(), u.getUid(),
          u.getGroups() == null ? List.of() : u.getGroups(), u.getExtra() == null ? Map.of() : u.getExtra()));
    };
  }

  public static AccessReviewer accessReviewer(KubernetesClient client) {
    return (user, attrs) -> {
      SubjectAccessReview review = new SubjectAccessReviewBuilder()
          .withNewSpec()
          .withUser(user.name())
          .withUid(user.uid().isEmpty() ? null : user.uid())
          .withGroups(user.groups())
          .withExtra(user.extra().isEmpty() ? null : user.extra())
          .withNewResourceAttributes()
          .withGroup("")
          .withVersion("v1")
          .withResource(RequestAttributes.RESOURCE)
          .withSubresource(attrs.subresource())
          .withName(attrs.nodeName())
          .withVerb(attrs.verb())
          .endResourceAttributes()
          .endSpec()
          .build();
      SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
      return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    };
  }
}
