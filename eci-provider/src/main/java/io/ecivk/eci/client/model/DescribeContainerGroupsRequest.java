package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;

/**
 * DescribeContainerGroups: full details of groups selected by ids (at most 20), name, status or tags (all given
 * tags must match), one page of at most {@code limit} (at most 20) at a time. Pass the previous answer's
 * {@code nextToken} to read the next page.
 */
public record DescribeContainerGroupsRequest(
    List<String> containerGroupIds,
    String containerGroupName,
    String status,
    List<Tag> tags,
    Integer limit,
    String nextToken,
    Boolean withEvent)
    implements EciRequest {

  /** The API's page size limit. */
  public static final int MAX_LIMIT = 20;

  public DescribeContainerGroupsRequest {
    containerGroupIds = ParamMap.copy(containerGroupIds);
    tags = ParamMap.copy(tags);
  }

  public static DescribeContainerGroupsRequest byIds(List<String> containerGroupIds) {
    return new DescribeContainerGroupsRequest(containerGroupIds, null, null, List.of(), null, null, null);
  }

  public static DescribeContainerGroupsRequest byTags(List<Tag> tags, int limit) {
    return new DescribeContainerGroupsRequest(List.of(), null, null, tags, limit, null, null);
  }

  /** The same selection, for the page after the one that answered with {@code nextToken}. */
  public DescribeContainerGroupsRequest withNextToken(String nextToken) {
    return new DescribeContainerGroupsRequest(
        containerGroupIds, containerGroupName, status, tags, limit, nextToken, withEvent);
  }

  @Override
  public String action() {
    return "DescribeContainerGroups";
  }

  @Override
  public Map<String, Object> toParams() {
    return new ParamMap()
        .put("ContainerGroupIds", containerGroupIds.isEmpty() ? null : EciJson.jsonArray(containerGroupIds))
        .put("ContainerGroupName", containerGroupName)
        .put("Status", status)
        .putList("Tag", tags, Tag::toParams)
        .put("Limit", limit)
        .put("NextToken", nextToken == null || nextToken.isEmpty() ? null : nextToken)
        .put("WithEvent", withEvent)
        .build();
  }
}
