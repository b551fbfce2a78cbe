package io.ecivk.eci.client;

import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.CreateContainerGroupResponse;
import io.ecivk.eci.client.model.DeleteContainerGroupRequest;
import io.ecivk.eci.client.model.DeleteContainerGroupResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupMetricRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupMetricResponse;
import io.ecivk.eci.client.model.DescribeContainerLogRequest;
import io.ecivk.eci.client.model.DescribeContainerLogResponse;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricRequest;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse;
import io.ecivk.eci.client.model.DescribeRegionsRequest;
import io.ecivk.eci.client.model.DescribeRegionsResponse;
import io.ecivk.eci.client.model.ExecContainerCommandRequest;
import io.ecivk.eci.client.model.ExecContainerCommandResponse;
import io.ecivk.eci.client.model.UpdateContainerGroupRequest;
import io.ecivk.eci.client.model.UpdateContainerGroupResponse;
import io.ecivk.spi.errors.ProviderException;

/**
 * The ECI API calls the provider makes, typed. One client is bound to one region and one set of credentials.
 *
 * <p>Contract for every method: thread-safe; blocking (call it from a worker, never from an event loop or an
 * informer thread); exactly one request per call, never retried inside the client, because retries live in the
 * work queue that knows the pod; any failure is thrown as a {@link ProviderException} whose category says
 * whether a retry can help. Responses are immutable.
 */
public interface EciClient {

  /**
   * Creates a container group. Idempotent for a given {@code clientToken}: a replay with identical parameters
   * returns the same group; different parameters under the same token fail as an invalid request.
   */
  CreateContainerGroupResponse createContainerGroup(CreateContainerGroupRequest request);

  /** One page of container group details. */
  DescribeContainerGroupsResponse describeContainerGroups(DescribeContainerGroupsRequest request);

  /** One page of Kubernetes-shaped container group statuses. */
  DescribeContainerGroupStatusResponse describeContainerGroupStatus(DescribeContainerGroupStatusRequest request);

  /**
   * One page of the groups' aggregated events (ECI's own and, with {@code EventSource=K8sAgent}, its agent's),
   * selected by ids or tags, optionally only those whose last occurrence is within {@code SinceSecond}.
   */
  DescribeContainerGroupEventsResponse describeContainerGroupEvents(DescribeContainerGroupEventsRequest request);

  /** Starts deleting a group. A group that does not exist fails with category {@code NOT_FOUND}. */
  DeleteContainerGroupResponse deleteContainerGroup(DeleteContainerGroupRequest request);

  /** The regions and zones ECI serves; cheap, also used to probe reachability and credentials. */
  DescribeRegionsResponse describeRegions(DescribeRegionsRequest request);

  /**
   * Updates a group in place (containers, volumes, registry credentials, DNS, tags, size, restart policy); the
   * group passes through {@code Updating}. A group that does not exist fails with category {@code NOT_FOUND}.
   */
  UpdateContainerGroupResponse updateContainerGroup(UpdateContainerGroupRequest request);

  /**
   * Starts a command in a container: answers the single-use WebSocket session to run it in (or, with {@code Sync},
   * its output). A group that is not running fails with code {@code IncorrectStatus}; an unknown group or
   * container with category {@code NOT_FOUND}.
   */
  ExecContainerCommandResponse execContainerCommand(ExecContainerCommandRequest request);

  /**
   * The output of one container (at most 1 MB). An unknown group fails with category {@code NOT_FOUND}.
   */
  DescribeContainerLogResponse describeContainerLog(DescribeContainerLogRequest request);

  /** The samples of one group in a time window. */
  DescribeContainerGroupMetricResponse describeContainerGroupMetric(DescribeContainerGroupMetricRequest request);

  /**
   * The latest sample of up to 20 groups; groups ECI cannot report on are missing from the answer.
   */
  DescribeMultiContainerGroupMetricResponse describeMultiContainerGroupMetric(
      DescribeMultiContainerGroupMetricRequest request);
}
