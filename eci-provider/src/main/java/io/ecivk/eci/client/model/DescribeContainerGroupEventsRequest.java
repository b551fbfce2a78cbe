package io.ecivk.eci.client.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DescribeContainerGroupEvents: the (aggregated) events of many groups in one call, selected by ids (at most 20)
 * or tags, {@code limit} (at most 200) groups a page. With {@code sinceSecond} only the events whose last
 * occurrence lies in the last that many seconds are returned, which makes incremental polling cheap.
 * {@code eventSource} is {@code EciService} (ECI's own events) or {@code K8sAgent}; absent means the service's
 * default.
 */
public record DescribeContainerGroupEventsRequest(
    List<String> containerGroupIds,
    List<Tag> tags,
    String eventSource,
    Integer sinceSecond,
    Integer limit,
    String nextToken)
    implements EciRequest {

  /** The API's page size limit. */
  public static final int MAX_LIMIT = 200;
  /** The most ids one call may name. */
  public static final int MAX_IDS = 20;
  public static final String ECI_SERVICE = "EciService";
  public static final String K8S_AGENT = "K8sAgent";

  public DescribeContainerGroupEventsRequest {
    containerGroupIds = ParamMap.copy(containerGroupIds);
    tags = ParamMap.copy(tags);
    if (containerGroupIds.size() > MAX_IDS) {
      throw new IllegalArgumentException(
          "at most " + MAX_IDS + " container group ids per call, got " + containerGroupIds.size());
    }
    if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
    if (sinceSecond != null && sinceSecond < 0) {
      throw new IllegalArgumentException("sinceSecond must not be negative, got " + sinceSecond);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The same selection, for the page after the one that answered with {@code nextToken}. */
  public DescribeContainerGroupEventsRequest withNextToken(String nextToken) {
    return new DescribeContainerGroupEventsRequest(containerGroupIds, tags, eventSource, sinceSecond, limit,
        nextToken);
  }

  @Override
  public String action() {
    return "DescribeContainerGroupEvents";
  }

  @Override
  public Map<String, Object> toParams() {
    return new ParamMap()
        .put("ContainerGroupIds", containerGroupIds.isEmpty() ? null : EciJson.jsonArray(containerGroupIds))
        .putList("Tag", tags, Tag::toParams)
        .put("EventSource", eventSource)
        .put("SinceSecond", sinceSecond)
        .put("Limit", limit)
        .put("NextToken", nextToken == null || nextToken.isEmpty() ? null : nextToken)
        .build();
  }

  /** Builds a request; everything is optional. */
  public static final class Builder {
    private final List<String> containerGroupIds = new ArrayList<>();
    private final List<Tag> tags = new ArrayList<>();
    private String eventSource;
    private Integer sinceSecond;
    private Integer limit;
    private String nextToken;

    private Builder() {}

    public Builder containerGroupIds(List<String> ids) {
      containerGroupIds.addAll(ids);
      return this;
    }

    public Builder tags(List<Tag> selector) {
      tags.addAll(selector);
      return this;
    }

    public Builder tag(String key, String value) {
      tags.add(new Tag(key, value));
      return this;
    }

    public Builder eventSource(String eventSource) {
      this.eventSource = eventSource;
      return this;
    }

    public Builder sinceSecond(Integer sinceSecond) {
      this.sinceSecond = sinceSecond;
      return this;
    }

    public Builder limit(Integer limit) {
      this.limit = limit;
      return this;
    }

    public Builder nextToken(String nextToken) {
      this.nextToken = nextToken;
      return this;
    }

    public DescribeContainerGroupEventsRequest build() {
      return new DescribeContainerGroupEventsRequest(
          containerGroupIds, tags, eventSource, sinceSecond, limit, nextToken);
    }
  }
}
