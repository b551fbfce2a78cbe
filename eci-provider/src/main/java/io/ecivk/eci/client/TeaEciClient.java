package io.ecivk.eci.client;

import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.google.gson.JsonParseException;
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
import io.ecivk.eci.client.model.EciJson;
import io.ecivk.eci.client.model.EciRequest;
import io.ecivk.eci.client.model.ExecContainerCommandRequest;
import io.ecivk.eci.client.model.ExecContainerCommandResponse;
import io.ecivk.eci.client.model.UpdateContainerGroupRequest;
import io.ecivk.eci.client.model.UpdateContainerGroupResponse;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EciClient} over Alibaba's {@code tea-openapi}, the library the official ECI SDK is generated on. Each
 * call does what the generated {@code eci20180808} client does: the parameters flattened by the SDK's own
 * {@code openapiutil} into the query of a {@code POST /}, RPC style, API version 2018-08-08, signed
 * ACS3-HMAC-SHA256, JSON answer. So the wire format is the official one by construction, not by imitation.
 *
 * <p>Logs name the action, the outcome, the request id and the latency; never parameters (they carry
 * environment variables and registry passwords) and never credentials.
 */
public final class TeaEciClient implements EciClient {
  static final String API_VERSION = "2018-08-08";
  private static final Logger LOG = LoggerFactory.getLogger(TeaEciClient.class);

  private final EciClientConfig config;
  private final com.aliyun.teaopenapi.Client tea;

  public TeaEciClient(EciClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    try {
      this.tea = new com.aliyun.teaopenapi.Client(teaConfig(config));
    } catch (Exception e) {
      // The SDK constructor only validates the configuration and sets up the credentials provider.
      throw new IllegalArgumentException("invalid ECI client configuration: " + e.getMessage(), e);
    }
  }

  public EciClientConfig config() {
    return config;
  }

  @Override
  public CreateContainerGroupResponse createContainerGroup(CreateContainerGroupRequest request) {
    return call(request, CreateContainerGroupResponse.class);
  }

  @Override
  public DescribeContainerGroupsResponse describeContainerGroups(DescribeContainerGroupsRequest request) {
    return call(request, DescribeContainerGroupsResponse.class);
  }

  @Override
  public DescribeContainerGroupStatusResponse describeContainerGroupStatus(
      DescribeContainerGroupStatusRequest request) {
    return call(request, DescribeContainerGroupStatusResponse.class);
  }

  @Override
  public DescribeContainerGroupEventsResponse describeContainerGroupEvents(
      DescribeContainerGroupEventsRequest request) {
    return call(request, DescribeContainerGroupEventsResponse.class);
  }

  @Override
  public DeleteContainerGroupResponse deleteContainerGroup(DeleteContainerGroupRequest request) {
    return call(request, DeleteContainerGroupResponse.class);
  }

  @Override
  public UpdateContainerGroupResponse updateContainerGroup(UpdateContainerGroupRequest request) {
    return call(request, UpdateContainerGroupResponse.class);
  }

  @Override
  public DescribeRegionsResponse describeRegions(DescribeRegionsRequest request) {
    return call(request, DescribeRegionsResponse.class);
  }

  @Override
  public ExecContainerCommandResponse execContainerCommand(ExecContainerCommandRequest request) {
    return call(request, ExecContainerCommandResponse.class);
  }

  @Override
  public DescribeContainerLogResponse describeContainerLog(DescribeContainerLogRequest request) {
    return call(request, DescribeContainerLogResponse.class);
  }

  @Override
  public DescribeContainerGroupMetricResponse describeContainerGroupMetric(
      DescribeContainerGroupMetricRequest request) {
    return call(request, DescribeContainerGroupMetricResponse.class);
  }

  @Override
  public DescribeMultiContainerGroupMetricResponse describeMultiContainerGroupMetric(
      DescribeMultiContainerGroupMetricRequest request) {
    return call(request, DescribeMultiContainerGroupMetricResponse.class);
  }

  private <R> R call(EciRequest request, Class<R> responseType) {
    String action = request.action();
    long start = System.nanoTime();
    Map<String, ?> response;
    try {
      response = tea.callApi(params(action), openApiRequest(request), runtimeOptions());
    } catch (Exception e) {
      ProviderException classified = EciErrorClassifier.classify(action, e);
      LOG.debug(
          "eci call failed action={} category={} code={} requestId={} latencyMs={}",
          action, classified.category(), classified.code(), classified.requestId().orElse("-"), millisSince(start));
      throw classified;
    }
    try {
      R result = EciJson.fromBody(response.get("body"), responseType);
      if (result == null) {
        throw new JsonParseException("empty body");
      }
      LOG.debug("eci call ok action={} latencyMs={}", action, millisSince(start));
      return result;
    } catch (JsonParseException | IllegalStateException e) {
      // A 2xx whose body is not the documented shape: a proxy page or a partial answer. Sending the request
      // again is the only remedy we have, so it is transient.
      throw new ProviderException(
          ErrorCategory.TRANSIENT, "MalformedResponse", action + " returned an unreadable body: " + e.getMessage(),
          null, null, e);
    }
  }

  /** Built per request from the request object alone, so concurrent calls share nothing mutable. */
  private OpenApiRequest openApiRequest(EciRequest request) throws Exception {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("RegionId", config.regionId());
    params.putAll(request.toParams());
    return new OpenApiRequest().setQuery(com.aliyun.openapiutil.Client.query(params));
  }

  private static Params params(String action) {
    // Exactly the Params the generated client uses for every ECI operation. "HTTPS" here is overridden by
    // the protocol in the Config, which follows the endpoint's scheme.
    return new Params()
        .setAction(action)
        .setVersion(API_VERSION)
        .setProtocol("HTTPS")
        .setPathname("/")
        .setMethod("POST")
        .setAuthType("AK")
        .setStyle("RPC")
        .setReqBodyType("formData")
        .setBodyType("json");
  }

  private RuntimeOptions runtimeOptions() {
    RuntimeOptions runtime = new RuntimeOptions();
    runtime.autoretry = false; // one request per call: retries belong to the work queue
    runtime.maxAttempts = 1;
    runtime.connectTimeout = (int) config.connectTimeout().toMillis();
    runtime.readTimeout = (int) config.readTimeout().toMillis();
    return runtime;
  }

  private static Config teaConfig(EciClientConfig config) {
    Config tea =
        new Config()
            .setEndpoint(config.hostAndPort())
            .setProtocol(config.endpoint().getScheme())
            .setRegionId(config.regionId())
            .setConnectTimeout((int) config.connectTimeout().toMillis())
            .setReadTimeout((int) config.readTimeout().toMillis());
    if (config.credentials() instanceof EciCredentials.AccessKey key) {
      tea.setAccessKeyId(key.accessKeyId()).setAccessKeySecret(key.accessKeySecret());
      if (key.securityToken() != null) {
        tea.setSecurityToken(key.securityToken());
      }
    } else {
      // The default chain resolves credentials per request, so rotated STS/RRSA credentials are picked up.
      tea.setCredential(new com.aliyun.credentials.Client());
    }
    return tea;
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
