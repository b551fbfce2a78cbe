package io.ecivk.eci.client.model;

import com.google.gson.annotations.SerializedName;
import java.time.Instant;
import java.util.List;

/**
 * The answer to DescribeContainerGroupEvents: one page of groups, each with its aggregated events. The keys
 * {@code uuid} and {@code involvedObject} are not PascalCase on the wire and are named explicitly.
 */
public record DescribeContainerGroupEventsResponse(
    String requestId, Integer totalCount, String nextToken, List<GroupEvents> data) {

  public DescribeContainerGroupEventsResponse {
    data = ParamMap.copy(data);
  }

  /** Whether another page follows this one. */
  public boolean hasNextPage() {
    return nextToken != null && !nextToken.isEmpty();
  }

  /** One group and its events; name, namespace and uuid are the pod's as ECI knows it (may be empty). */
  public record GroupEvents(
      String containerGroupId,
      String name,
      String namespace,
      @SerializedName("uuid") String uuid,
      String annotations,
      List<Event> events) {

    public GroupEvents {
      events = ParamMap.copy(events);
    }
  }

  /**
   * One aggregated event: {@code count} occurrences of the same reason and message, the first at
   * {@code firstTimestamp}, the last at {@code lastTimestamp}. {@code type} is {@code Normal} or {@code Warning}.
   */
  public record Event(
      Integer count,
      String type,
      String reason,
      String message,
      Instant firstTimestamp,
      Instant lastTimestamp,
      String reportingComponent,
      String reportingInstance,
      Metadata metadata,
      Source source,
      @SerializedName("involvedObject") InvolvedObject involvedObject) {}

  /** The event object's own name and namespace. */
  public record Metadata(String name, String namespace) {}

  /** Who reported the event. */
  public record Source(String component, String host) {}

  /** The object the event is about. */
  public record InvolvedObject(String apiVersion, String kind, String name, String namespace, String uid) {}
}
