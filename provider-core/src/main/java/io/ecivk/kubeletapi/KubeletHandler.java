package io.ecivk.kubeletapi;

import io.ecivk.kubeletapi.auth.KubeletAuth;
import io.ecivk.kubeletapi.auth.RequestAttributes;
import io.ecivk.kubeletapi.auth.UserInfo;
import io.ecivk.kubeletapi.logs.LogQuery;
import io.ecivk.kubeletapi.stats.ResourceMetrics;
import io.ecivk.kubeletapi.stats.StatsSnapshot;
import io.ecivk.kubeletapi.stats.SummaryJson;
import io.ecivk.spi.ContainerLogs;
import io.ecivk.spi.ContainerLogs.LogOptions;
import io.ecivk.spi.ContainerLogs.LogStream;
import io.ecivk.spi.PodStatsSource;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's request handler (pipeline name {@value StreamingHandler#KUBELET}). Requests are served one
 * at a time, in order (pipelined requests wait); while one is being authenticated the channel stops reading.
 *
 * <p>Endpoints and answers:
 * <ul>
 *   <li>{@code /healthz}: 200 {@code ok}.
 *   <li>{@code /pods}: this node's pods as a {@code v1 PodList}.
 *   <li>{@code /runningpods/}: the running pods as the kubelet's runtime sees them: a {@code PodList} of pods
 *       carrying only name, namespace, UID and their running containers' names and images.
 *   <li>{@code GET /containerLogs/{ns}/{pod}/{container}}: the provider's log stream, chunked, pulled one chunk
 *       at a time and only while the channel is writable (a slow client holds the provider back instead of
 *       filling memory); 400 for a malformed query ({@link LogQuery}), 404 for an unknown pod or container.
 *   <li>{@code /stats/summary}: the Summary API ({@link SummaryJson}); {@code /metrics/resource}: Prometheus text
 *       ({@link ResourceMetrics}).
 *   <li>{@code /exec/{ns}/{pod}[/{uid}]/{container}}, {@code /attach/...}: after authorization and the pod and
 *       container checks (404), handed to the {@link StreamingHandler}; 501 when none is configured.
 *   <li>{@code /portForward/{ns}/{pod}[/{uid}]}: 404 for an unknown pod, else <b>501 Not Implemented</b> with
 *       the body {@value #PORT_FORWARD_UNSUPPORTED}: a provider's pods run outside this node, so there is no
 *       network namespace to forward into; kubectl shows the body.
 *   <li>Anything else: 404 {@code 404 page not found}, Go's default.
 * </ul>
 * 401 {@code Unauthorized}, 403 {@code Forbidden (user=..., verb=..., resource=nodes, subresource=...)} and 500
 * {@code Authorization error (...)} are plain text as the kubelet writes them.
 */
final class KubeletHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(KubeletHandler.class);

  static final String PORT_FORWARD_UNSUPPORTED = "port forwarding is not supported by this provider: its pods "
      + "run outside this node, so there is no pod network here to forward into; reach the pod through a "
      + "Service or its pod IP instead";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";
  private static final int MAX_PENDING = 64;

  /** What every connection shares. */
  /**
   * @param worker runs blocking review calls and CPU-heavy rendering (a 2,000-pod scrape takes tens of
   *     milliseconds), which must not hold up the connections sharing an event loop
   */
  record Shared(KubeletServer.Config config, KubeletAuth auth, Instant startTime, Executor worker) {}

  private final Shared shared;
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private boolean busy;
  private boolean handedOff;
  private boolean keepAlive;
  private boolean head;
  private LogPump pump;

  KubeletHandler(Shared shared) {
    this.shared = shared;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (handedOff) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (busy) {
      pending.add(msg);
      if (pending.size() > MAX_PENDING) {
        releasePending();
        ctx.close();
      }
      return;
    }
    if (msg instanceof HttpRequest req) {
      try {
        startRequest(ctx, req);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    } else {
      // The body of a request already answered (the kubelet API reads no request bodies).
      ReferenceCountUtil.release(msg);
    }
  }

  private void startRequest(ChannelHandlerContext ctx, HttpRequest req) {
    busy = true;
    keepAlive = HttpUtil.isKeepAlive(req);
    head = req.method().equals(HttpMethod.HEAD);
    if (req.decoderResult().isFailure()) {
      keepAlive = false;
      respond(ctx, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request");
      return;
    }
    ctx.channel().config().setAutoRead(false);
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path = uri.path();
    RequestAttributes attrs = RequestAttributes.of(req.method().name(), path, shared.config().nodeName());
    List<X509Certificate> chain = peerChain(ctx);
    Optional<String> authorization = Optional.ofNullable(req.headers().get(HttpHeaderNames.AUTHORIZATION));
    shared.auth().authenticate(chain, authorization).whenComplete((user, err) -> ctx.executor().execute(() -> {
      if (!ctx.channel().isActive()) {
        return;
      }
      if (err != null || user.isEmpty()) {
        respond(ctx, HttpResponseStatus.UNAUTHORIZED, TEXT, "Unauthorized");
        return;
      }
      shared.auth().authorize(user.get(), attrs).whenComplete((decision, e2) -> ctx.executor().execute(() -> {
        if (!ctx.channel().isActive()) {
          return;
        }
        if (e2 != null || decision == KubeletAuth.Decision.ERROR) {
          respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, attrs.authorizationErrorMessage(user.get()));
        } else if (decision == KubeletAuth.Decision.DENY) {
          log.info("event=kubelet_api_forbidden user={} verb={} subresource={} path={}", user.get().name(),
              attrs.verb(), attrs.subresource(), path);
          respond(ctx, HttpResponseStatus.FORBIDDEN, TEXT, attrs.forbiddenMessage(user.get()));
        } else {
          try {
            dispatch(ctx, req, uri, user.get());
          } catch (RuntimeException e) {
            log.warn("event=kubelet_api_handler_failed path={} error={}", path, e.toString());
            respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, "internal error");
          }
        }
      }));
    }));
  }

  private void dispatch(ChannelHandlerContext ctx, HttpRequest req, QueryStringDecoder uri, UserInfo user) {
    String path = uri.path();
    String[] seg = Stream.of(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    String first = seg.length == 0 ? "" : seg[0];
    boolean read = req.method().equals(HttpMethod.GET) || head;
    switch (first) {
      case "healthz" -> {
        if (seg.length == 1) {
          respond(ctx, HttpResponseStatus.OK, TEXT, "ok");
          return;
        }
      }
      case "pods" -> {
        if (seg.length == 1 && read) {
          respond(ctx, HttpResponseStatus.OK, JSON, podList(pods()));
          return;
        }
      }
      case "runningpods" -> {
        if (seg.length == 1 && read) {
          respond(ctx, HttpResponseStatus.OK, JSON, podList(runningPods()));
          return;
        }
      }
      case "containerLogs" -> {
        if (seg.length == 4 && req.method().equals(HttpMethod.GET)) {
          containerLogs(ctx, uri, seg[1], seg[2], seg[3]);
          return;
        }
      }
      case "stats" -> {
        if (seg.length == 2 && seg[1].equals("summary") && read) {
          stats(ctx, false);
          return;
        }
      }
      case "metrics" -> {
        if (seg.length == 2 && seg[1].equals("resource") && read) {
          stats(ctx, true);
          return;
        }
      }
      case "exec", "attach" -> {
        if (seg.length == 4 || seg.length == 5) {
          String uid = seg.length == 5 ? seg[3] : null;
          streaming(ctx, req, first.equals("exec") ? StreamTarget.Kind.EXEC : StreamTarget.Kind.ATTACH,
              seg[1], seg[2], uid, seg[seg.length - 1]);
          return;
        }
      }
      case "portForward" -> {
        if (seg.length == 3 || seg.length == 4) {
          Optional<Pod> pod = pod(seg[1], seg[2]);
          if (pod.isEmpty() || (seg.length == 4 && !seg[3].equals(pod.get().getMetadata().getUid()))) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, TEXT, "pod \"" + seg[2] + "\" does not exist");
          } else {
            respond(ctx, HttpResponseStatus.NOT_IMPLEMENTED, TEXT, PORT_FORWARD_UNSUPPORTED);
          }
          return;
        }
      }
      default -> {
        // falls through to 404
      }
    }
    respond(ctx, HttpResponseStatus.NOT_FOUND, TEXT, "404 page not found\n");
  }

  // ----- pods -------------------------------------------------------------------------------------------------

  private List<Pod> pods() {
    return new ArrayList<>(shared.config().pods().get());
  }

  private Optional<Pod> pod(String namespace, String name) {
    for (Pod p : shared.config().pods().get()) {
      if (p.getMetadata() != null && namespace.equals(p.getMetadata().getNamespace())
          && name.equals(p.getMetadata().getName())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static boolean hasContainer(Pod pod, String container) {
    var spec = pod.getSpec();
    if (spec == null) {
      return false;
    }
    Stream<String> names = Stream.concat(
        Stream.ofNullable(spec.getContainers()).flatMap(List::stream).map(Container::getName),
        Stream.ofNullable(spec.getInitContainers()).flatMap(List::stream).map(Container::getName));
    if (spec.getEphemeralContainers() != null) {
      names = Stream.concat(names, spec.getEphemeralContainers().stream().map(c -> c.getName()));
    }
    return names.anyMatch(container::equals);
  }

  private List<Pod> runningPods() {
    List<Pod> out = new ArrayList<>();
    for (Pod p : shared.config().pods().get()) {
      if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
        continue;
      }
      List<Container> running = new ArrayList<>();
      for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
        if (cs.getState() != null && cs.getState().getRunning() != null) {
          running.add(new ContainerBuilder().withName(cs.getName()).withImage(cs.getImage()).build());
        }
      }
      if (!running.isEmpty()) {
        out.add(new PodBuilder().withNewMetadata().withName(p.getMetadata().getName())
            .withNamespace(p.getMetadata().getNamespace()).withUid(p.getMetadata().getUid()).endMetadata()
            .withNewSpec().withContainers(running).endSpec().build());
      }
    }
    return out;
  }

  private static String podList(List<Pod> pods) {
    PodList list = new PodListBuilder().withApiVersion("v1").withKind("PodList").withNewMetadata().endMetadata()
        .withItems(pods).build();
    return Serialization.asJson(list);
  }

  // ----- logs -------------------------------------------------------------------------------------------------

  private void containerLogs(ChannelHandlerContext ctx, QueryStringDecoder uri, String ns, String name,
      String container) {
    LogOptions options;
    try {
      options = LogQuery.parse(uri.parameters(), shared.config().clock());
    } catch (LogQuery.InvalidQueryException e) {
      respond(ctx, HttpResponseStatus.BAD_REQUEST, TEXT, e.getMessage());
      return;
    }
    Optional<Pod> pod = pod(ns, name);
    if (pod.isEmpty()) {
      respond(ctx, HttpResponseStatus.NOT_FOUND, TEXT, "pod \"" + name + "\" does not exist");
      return;
    }
    if (!hasContainer(pod.get(), container)) {
      respond(ctx, HttpResponseStatus.NOT_FOUND, TEXT,
          "container \"" + container + "\" not found in pod \"" + name + "\"");
      return;
    }
    if (!(shared.config().provider() instanceof ContainerLogs logs)) {
      respond(ctx, HttpResponseStatus.NOT_IMPLEMENTED, TEXT, "container logs are not supported by this provider");
      return;
    }
    // Reading on again lets us see the client go away while we wait on the provider.
    ctx.channel().config().setAutoRead(true);
    LogStream stream;
    try {
      stream = logs.openLog(pod.get(), container, options);
    } catch (RuntimeException e) {
      respondProviderError(ctx, e);
      return;
    }
    pump = new LogPump(ctx, stream);
    pump.pull();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (pump != null && ctx.channel().isWritable()) {
      pump.pull();
    }
    ctx.fireChannelWritabilityChanged();
  }

  /**
   * Moves one log stream to the client: at most one {@link LogStream#next()} outstanding, and the next one asked
   * only once the previous chunk was handed to a writable channel. Runs on the event loop; provider futures hop
   * back to it.
   */
  private final class LogPump {
    private final ChannelHandlerContext ctx;
    private final LogStream stream;
    private boolean headersSent;
    private boolean pulling;
    private boolean done;

    LogPump(ChannelHandlerContext ctx, LogStream stream) {
      this.ctx = ctx;
      this.stream = stream;
    }

    void pull() {
      if (done || pulling || (headersSent && !ctx.channel().isWritable())) {
        return;
      }
      pulling = true;
      java.util.concurrent.CompletableFuture<Optional<byte[]>> next;
      try {
        next = stream.next();
      } catch (RuntimeException e) {
        // A provider breaking its contract (throwing instead of failing the future) still gets an answer.
        next = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      next.whenComplete((chunk, err) -> ctx.executor().execute(() -> onChunk(chunk, err)));
    }

    private void onChunk(Optional<byte[]> chunk, Throwable err) {
      pulling = false;
      if (done) {
        return;
      }
      if (err != null) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        finish();
        if (!headersSent) {
          respondProviderError(ctx, cause);
        } else {
          log.warn("event=container_log_stream_failed error={}", cause.toString());
          endChunked();
        }
        return;
      }
      if (chunk.isEmpty()) {
        finish();
        if (!headersSent) {
          respond(ctx, HttpResponseStatus.OK, TEXT, "");
        } else {
          endChunked();
        }
        return;
      }
      byte[] bytes = chunk.get();
      if (!headersSent) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
        HttpUtil.setTransferEncodingChunked(response, true);
        if (!keepAlive) {
          response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.write(response);
        headersSent = true;
      }
      if (bytes.length > 0) {
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
      } else {
        ctx.flush();
      }
      pull();
    }

    private void endChunked() {
      var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      requestDone(ctx, f);
    }

    /** The client went away (or the answer is complete): stop the provider's stream. */
    void finish() {
      if (!done) {
        done = true;
        pump = null;
        stream.close();
      }
    }
  }

  // ----- stats ------------------------------------------------------------------------------------------------

  private void stats(ChannelHandlerContext ctx, boolean prometheus) {
    if (!(shared.config().provider() instanceof PodStatsSource source)) {
      respond(ctx, HttpResponseStatus.NOT_IMPLEMENTED, TEXT, "resource statistics are not supported by this provider");
      return;
    }
    List<Pod> pods = pods();
    Instant now = shared.config().clock().instant();
    String node = shared.config().nodeName();
    source.stats(pods).whenCompleteAsync((batch, err) -> {
      String body;
      HttpResponseStatus status = HttpResponseStatus.OK;
      if (err != null) {
        log.warn("event=pod_stats_failed error={}", err.toString());
        if (prometheus) {
          body = ResourceMetrics.renderFailure();
        } else {
          status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
          body = "failed to get pod stats: " + err.getMessage();
        }
      } else {
        try {
          StatsSnapshot snapshot = StatsSnapshot.of(node, shared.startTime(), now, batch);
          body = prometheus ? ResourceMetrics.render(snapshot) : SummaryJson.render(snapshot);
        } catch (RuntimeException e) {
          log.warn("event=pod_stats_render_failed error={}", e.toString());
          status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
          body = "failed to render pod stats: " + e.getMessage();
        }
      }
      String type = status != HttpResponseStatus.OK ? TEXT : prometheus ? ResourceMetrics.CONTENT_TYPE : JSON;
      HttpResponseStatus s = status;
      String b = body;
      ctx.executor().execute(() -> {
        if (ctx.channel().isActive()) {
          respond(ctx, s, type, b);
        }
      });
    }, shared.worker());
  }

  // ----- exec / attach ----------------------------------------------------------------------------------------

  private void streaming(ChannelHandlerContext ctx, HttpRequest req, StreamTarget.Kind kind, String ns,
      String name, String uid, String container) {
    Optional<Pod> pod = pod(ns, name);
    if (pod.isEmpty() || (uid != null && !uid.equals(pod.get().getMetadata().getUid()))) {
      respond(ctx, HttpResponseStatus.NOT_FOUND, TEXT, "pod \"" + name + "\" does not exist");
      return;
    }
    if (!hasContainer(pod.get(), container)) {
      respond(ctx, HttpResponseStatus.NOT_FOUND, TEXT,
          "container \"" + container + "\" not found in pod \"" + name + "\"");
      return;
    }
    Optional<StreamingHandler> handler = shared.config().streaming();
    if (handler.isEmpty()) {
      respond(ctx, HttpResponseStatus.NOT_IMPLEMENTED, TEXT,
          kind.name().toLowerCase(java.util.Locale.ROOT) + " is not available on this node: no streaming "
              + "handler is configured");
      return;
    }
    handedOff = true;
    handler.get().handle(ctx, req, new StreamTarget(kind, pod.get(), container));
    ctx.channel().config().setAutoRead(true);
    while (!pending.isEmpty()) {
      ctx.fireChannelRead(pending.poll());
    }
  }

  // ----- responses --------------------------------------------------------------------------------------------

  private void respondProviderError(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof ProviderException pe) {
      HttpResponseStatus status = switch (pe.category()) {
        case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
        case INVALID_REQUEST -> HttpResponseStatus.BAD_REQUEST;
        case THROTTLED -> HttpResponseStatus.TOO_MANY_REQUESTS;
        default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
      };
      respond(ctx, status, TEXT, pe.getMessage());
    } else {
      log.warn("event=kubelet_api_provider_failed error={}", cause.toString());
      respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, "internal error");
    }
  }

  private void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set("X-Content-Type-Options", "nosniff");
    HttpUtil.setContentLength(response, bytes.length);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    requestDone(ctx, ctx.writeAndFlush(response));
  }

  private void requestDone(ChannelHandlerContext ctx, io.netty.channel.ChannelFuture written) {
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    busy = false;
    ctx.channel().config().setAutoRead(true);
    while (!busy && !pending.isEmpty() && !handedOff) {
      channelRead(ctx, pending.poll());
    }
  }

  private static List<X509Certificate> peerChain(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
        if (c instanceof X509Certificate x) {
          chain.add(x);
        }
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  // ----- connection events ------------------------------------------------------------------------------------

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (pump != null) {
      pump.finish();
    }
    releasePending();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && !busy) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("event=kubelet_api_connection_error error={}", cause.toString());
    ctx.close();
  }

  private void releasePending() {
    while (!pending.isEmpty()) {
      ReferenceCountUtil.release(pending.poll());
    }
  }

  static Map<String, List<String>> query(String uri) {
    return new QueryStringDecoder(uri).parameters();
  }
}
