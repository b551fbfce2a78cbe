package io.ecivk.eci.provider;

import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.CreateContainerGroupResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerGroup;
import io.ecivk.eci.sizing.EciSpec;
import io.ecivk.spi.errors.ProviderException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The annotations ACK's virtual node writes on a pod once its group exists (eci-openapi.md §6.1, "annotations the
 * system writes after scheduling" and the ACK pod dump): {@code eci-instance-id}, {@code eci-instance-spec}, {@code
 * eci-request-id} (of the CreateContainerGroup call), {@code eci-security-group}, and, when ECI has placed the
 * group by then, {@code eci-instance-zone} and (when the request named that one vSwitch only) {@code eci-vswitch}.
 *
 * <p>The placement comes from one DescribeContainerGroups by id right after the create. The group exists at that
 * point, so a failing describe (throttled, network) must not fail the create, which the work queue would then
 * retry for nothing: the annotations it would have given are left out, and the failure is logged.
 */
final class CreatedAnnotations {
  private static final Logger LOG = LoggerFactory.getLogger(CreatedAnnotations.class);

  static final String REQUEST_ID = "k8s.aliyun.com/eci-request-id";
  static final String SECURITY_GROUP = "k8s.aliyun.com/eci-security-group";
  static final String VSWITCH = "k8s.aliyun.com/eci-vswitch";
  static final String ZONE = "k8s.aliyun.com/eci-instance-zone";

  private CreatedAnnotations() {}

  static Map<String, String> of(
      EciClient client, CreateContainerGroupRequest request, CreateContainerGroupResponse response, EciSpec spec) {
    String groupId = response.containerGroupId();
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(EciProvider.INSTANCE_ID_ANNOTATION, groupId);
    annotations.put(EciProvider.INSTANCE_SPEC_ANNOTATION, spec.label());
    putIfPresent(annotations, REQUEST_ID, response.requestId());
    Optional<ContainerGroup> placed = describe(client, groupId);
    putIfPresent(annotations, SECURITY_GROUP,
        placed.map(ContainerGroup::securityGroupId).filter(s -> !s.isEmpty()).orElse(request.securityGroupId()));
    placed.ifPresent(g -> {
      // eci-vswitch is also an input of the mapping: writing the placed one of several requested vSwitches would
      // make the next mapping of this pod (a replayed create after a lost answer or a restart) a different request,
      // which ECI refuses under the same ClientToken (IdempotentParameterMismatch), and would pin a deliberate
      // re-create to one zone. So it is written only when it says what the request said; the zone always is.
      if (List.of(g.vSwitchId()).equals(request.vSwitchIds())) {
        putIfPresent(annotations, VSWITCH, g.vSwitchId());
      }
      putIfPresent(annotations, ZONE, g.zoneId());
    });
    return Map.copyOf(annotations);
  }

  private static Optional<ContainerGroup> describe(EciClient client, String groupId) {
    try {
      return client.describeContainerGroups(DescribeContainerGroupsRequest.byIds(List.of(groupId)))
          .containerGroups().stream().filter(g -> groupId.equals(g.containerGroupId())).findFirst();
    } catch (ProviderException e) {
      LOG.warn("placement of a new container group unknown, annotations left out containerGroupId={} category={}"
          + " code={}", groupId, e.category(), e.code());
      return Optional.empty();
    }
  }

  private static void putIfPresent(Map<String, String> annotations, String key, String value) {
    if (value != null && !value.isEmpty()) {
      annotations.put(key, value);
    }
  }
}
