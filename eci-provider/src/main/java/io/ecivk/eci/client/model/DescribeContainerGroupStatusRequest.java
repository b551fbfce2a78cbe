package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;

/**
 * DescribeContainerGroupStatus: the Kubernetes-shaped status of many groups in one call, selected by ids (at
 * most 20) or tags, {@code limit} (at most 200) a page. With {@code sinceSecond} only the groups whose status
 * changed in the last that many seconds are returned, which is what makes incremental polling cheap.
 */
public record DescribeContainerGroupStatusRequest(
    List<String> containerGroupIds, List<Tag> tags, Integer sinceSecond, Integer limit, String nextToken)
    implements EciRequest {

  /** The API's page size limit. */
  public static final int MAX_LIMIT = 200;

  public DescribeContainerGroupStatusRequest {
    containerGroupIds = ParamMap.copy(containerGroupIds);
    tags = ParamMap.copy(tags);
  }

  public static DescribeContainerGroupStatusRequest byTags(List<Tag> tags, Integer sinceSecond, int limit) {
    return new DescribeContainerGroupStatusRequest(List.of(), tags, sinceSecond, limit, null);
  }

  public static DescribeContainerGroupStatusRequest byIds(List<String> containerGroupIds) {
    return new DescribeContainerGroupStatusRequest(containerGroupIds, List.of(), null, null, null);
  }

  /** The same selection, for the page after the one that answered with {@code nextToken}. */
  public DescribeContainerGroupStatusRequest withNextToken(String nextToken) {
    return new DescribeContainerGroupStatusRequest(containerGroupIds, tags, sinceSecond, limit, nextToken);
  }

  @Override
  public String action() {
    return "DescribeContainerGroupStatus";
  }

  @Override
  public Map<String, Object> toParams() {
    return new ParamMap()
        .put("ContainerGroupIds", containerGroupIds.isEmpty() ? null : EciJson.jsonArray(containerGroupIds))
        .putList("Tag", tags, Tag::toParams)
        .put("SinceSecond", sinceSecond)
        .put("Limit", limit)
        .put("NextToken", nextToken == null || nextToken.isEmpty() ? null : nextToken)
        .build();
  }
}
