package io.ecivk.eci.provider;

import io.ecivk.eci.client.UnusedEciClient;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.CreateContainerGroupResponse;
import io.ecivk.eci.client.model.DeleteContainerGroupRequest;
import io.ecivk.eci.client.model.DeleteContainerGroupResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse.ContainerGroupStatus;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse;
import io.ecivk.eci.client.model.DescribeRegionsRequest;
import io.ecivk.eci.client.model.DescribeRegionsResponse;
import io.ecivk.eci.status.EciPhases;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory ECI for unit tests: groups with a status and the time it last changed, {@code SinceSecond}
 * filtering on the test's clock, paging by offset. Records every status request and delete.
 */
final class FakeEciClient extends UnusedEciClient {
  private final Clock clock;
  private final Map<String, Group> groups = new LinkedHashMap<>();
  final List<DescribeContainerGroupStatusRequest> statusRequests = new CopyOnWriteArrayList<>();
  final List<String> deletes = new CopyOnWriteArrayList<>();
  private int nextId = 1;
  /** Events per group, as ECI would answer them (already aggregated). */
  private final Map<String, List<DescribeContainerGroupEventsResponse.Event>> events = new LinkedHashMap<>();
  final List<DescribeContainerGroupEventsRequest> eventRequests = new CopyOnWriteArrayList<>();

  private record Group(ContainerGroupStatus status, Instant changedAt) {}

  FakeEciClient(Clock clock) {
    this.clock = clock;
  }

  /** Adds a group that belongs to no pod we know (for paging). */
  synchronized String add(String eciStatus) {
    String id = "eci-" + nextId++;
    groups.put(id, new Group(status(id, eciStatus), clock.instant()));
    return id;
  }

  synchronized void setStatus(String groupId, String eciStatus) {
    groups.put(groupId, new Group(status(groupId, eciStatus), clock.instant()));
  }

  /** ECI forgets the group, as after an hour for finished groups, or a delete behind our back. */
  synchronized void forget(String groupId) {
    groups.remove(groupId);
  }

  /** Sets a group's aggregated events, replacing an earlier event with the same reason and message. */
  synchronized void putEvent(String groupId, DescribeContainerGroupEventsResponse.Event event) {
    List<DescribeContainerGroupEventsResponse.Event> list = events.computeIfAbsent(groupId, g -> new ArrayList<>());
    list.removeIf(e -> e.reason().equals(event.reason()) && e.message().equals(event.message()));
    list.add(event);
  }

  synchronized int size() {
    return groups.size();
  }

  /** The SinceSecond values of the status requests, first pages only (null: a full pass). */
  List<Integer> windows() {
    List<Integer> windows = new ArrayList<>();
    statusRequests.stream().filter(r -> r.nextToken() == null).forEach(r -> windows.add(r.sinceSecond()));
    return windows;
  }

  static ContainerGroupStatus status(String groupId, String eciStatus) {
    return new ContainerGroupStatus(groupId, "g", "default", null, eciStatus, null,
        new DescribeContainerGroupStatusResponse.PodStatus(EciPhases.phase(eciStatus), "10.0.0.1", List.of(), null,
            null, null, List.of(), List.of()));
  }

  @Override
  public synchronized CreateContainerGroupResponse createContainerGroup(CreateContainerGroupRequest request) {
    return new CreateContainerGroupResponse("r", add("Scheduling"));
  }

  @Override
  public DescribeContainerGroupsResponse describeContainerGroups(DescribeContainerGroupsRequest request) {
    return new DescribeContainerGroupsResponse("r", 0, null, List.of());
  }

  @Override
  public synchronized DescribeContainerGroupStatusResponse describeContainerGroupStatus(
      DescribeContainerGroupStatusRequest request) {
    statusRequests.add(request);
    Instant now = clock.instant();
    List<ContainerGroupStatus> matching = groups.values().stream()
        .filter(g -> request.sinceSecond() == null
            || !g.changedAt().isBefore(now.minusSeconds(request.sinceSecond())))
        .map(Group::status)
        .toList();
    int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
    int to = Math.min(matching.size(), from + request.limit());
    String next = to < matching.size() ? Integer.toString(to) : null;
    return new DescribeContainerGroupStatusResponse("r", matching.size(), next, matching.subList(from, to));
  }

  /** The groups' events whose last timestamp is within {@code SinceSecond}; paging by offset over groups. */
  @Override
  public synchronized DescribeContainerGroupEventsResponse describeContainerGroupEvents(
      DescribeContainerGroupEventsRequest request) {
    eventRequests.add(request);
    Instant now = clock.instant();
    List<DescribeContainerGroupEventsResponse.GroupEvents> matching = new ArrayList<>();
    events.forEach((groupId, list) -> {
      List<DescribeContainerGroupEventsResponse.Event> recent = list.stream()
          .filter(e -> request.sinceSecond() == null
              || !e.lastTimestamp().isBefore(now.minusSeconds(request.sinceSecond())))
          .toList();
      if (!recent.isEmpty() && groups.containsKey(groupId)) {
        matching.add(new DescribeContainerGroupEventsResponse.GroupEvents(groupId, "", "", "", "{}", recent));
      }
    });
    int limit = request.limit() == null ? DescribeContainerGroupEventsRequest.MAX_LIMIT : request.limit();
    int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
    int to = Math.min(matching.size(), from + limit);
    String next = to < matching.size() ? Integer.toString(to) : null;
    return new DescribeContainerGroupEventsResponse("r", matching.size(), next, matching.subList(from, to));
  }

  @Override
  public synchronized DeleteContainerGroupResponse deleteContainerGroup(DeleteContainerGroupRequest request) {
    deletes.add(request.containerGroupId());
    if (groups.remove(request.containerGroupId()) == null) {
      throw new ProviderException(ErrorCategory.NOT_FOUND, "InvalidContainerGroup.NotFound", "no such group");
    }
    return new DeleteContainerGroupResponse("r");
  }

  @Override
  public DescribeRegionsResponse describeRegions(DescribeRegionsRequest request) {
    return new DescribeRegionsResponse("r", List.of());
  }
}
