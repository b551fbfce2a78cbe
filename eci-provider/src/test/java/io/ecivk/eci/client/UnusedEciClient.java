package io.ecivk.eci.client;

import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.CreateContainerGroupResponse;
import io.ecivk.eci.client.model.DeleteContainerGroupRequest;
import io.ecivk.eci.client.model.DeleteContainerGroupResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupEventsResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupMetricRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupMetricResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse;
import io.ecivk.eci.client.model.DescribeContainerLogRequest;
import io.ecivk.eci.client.model.DescribeContainerLogResponse;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricRequest;
import io.ecivk.eci.client.model.DescribeMultiContainerGroupMetricResponse;
import io.ecivk.eci.client.model.DescribeRegionsRequest;
import io.ecivk.eci.client.model.DescribeRegionsResponse;
import io.ecivk.eci.client.model.ExecContainerCommandRequest;
import io.ecivk.eci.client.model.ExecContainerCommandResponse;
import io.ecivk.eci.client.model.UpdateContainerGroupRequest;
import io.ecivk.eci.client.model.UpdateContainerGroupResponse;

/**
 * A test double's base: every call fails the test, so a double overrides exactly the calls its test expects and an
 * unexpected call is reported, not answered.
 */
public abstract class UnusedEciClient implements EciClient {

  @Override
  public CreateContainerGroupResponse createContainerGroup(CreateContainerGroupRequest request) {
    throw unused("createContainerGroup");
  }

  @Override
  public DescribeContainerGroupsResponse describeContainerGroups(DescribeContainerGroupsRequest request) {
    throw unused("describeContainerGroups");
  }

  @Override
  public DescribeContainerGroupStatusResponse describeContainerGroupStatus(DescribeContainerGroupStatusRequest request) {
    throw unused("describeContainerGroupStatus");
  }

  @Override
  public DescribeContainerGroupEventsResponse describeContainerGroupEvents(DescribeContainerGroupEventsRequest request) {
    throw unused("describeContainerGroupEvents");
  }

  @Override
  public DeleteContainerGroupResponse deleteContainerGroup(DeleteContainerGroupRequest request) {
    throw unused("deleteContainerGroup");
  }

  @Override
  public DescribeRegionsResponse describeRegions(DescribeRegionsRequest request) {
    throw unused("describeRegions");
  }

  @Override
  public UpdateContainerGroupResponse updateContainerGroup(UpdateContainerGroupRequest request) {
    throw unused("updateContainerGroup");
  }

  @Override
  public ExecContainerCommandResponse execContainerCommand(ExecContainerCommandRequest request) {
    throw unused("execContainerCommand");
  }

  @Override
  public DescribeContainerLogResponse describeContainerLog(DescribeContainerLogRequest request) {
    throw unused("describeContainerLog");
  }

  @Override
  public DescribeContainerGroupMetricResponse describeContainerGroupMetric(DescribeContainerGroupMetricRequest request) {
    throw unused("describeContainerGroupMetric");
  }

  @Override
  public DescribeMultiContainerGroupMetricResponse describeMultiContainerGroupMetric(DescribeMultiContainerGroupMetricRequest request) {
    throw unused("describeMultiContainerGroupMetric");
  }

  private AssertionError unused(String call) {
    return new AssertionError(call + " is not expected by this test (" + getClass().getName() + ")");
  }
}
