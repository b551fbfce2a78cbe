package io.ecivk.eci.provider;

import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.ratelimit.RateLimitedEciClient;
import io.ecivk.eci.client.model.DeleteContainerGroupRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse.ContainerGroupStatus;
import io.ecivk.eci.client.model.CreateContainerGroupResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerGroup;
import io.ecivk.eci.client.model.DescribeRegionsRequest;
import io.ecivk.eci.client.model.Tag;
import io.ecivk.eci.events.EciEventPoller;
import io.ecivk.eci.events.EciEvents;
import io.ecivk.eci.exec.EciContainerExec;
import io.ecivk.eci.mapping.ClusterDns;
import io.ecivk.eci.mapping.EciTags;
import io.ecivk.eci.mapping.MappedPod;
import io.ecivk.eci.mapping.MappingContext;
import io.ecivk.eci.mapping.PodMapper;
import io.ecivk.eci.status.EciPhases;
import io.ecivk.eci.status.PodStatusMapper;
import io.ecivk.pod.ProviderFailure;
import io.ecivk.spi.ContainerExec;
import io.ecivk.spi.ObservedEvent;
import io.ecivk.spi.CreateResult;
import io.ecivk.spi.PodEventSource;
import io.ecivk.spi.PodKey;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.PodStatusNotifier;
import io.ecivk.spi.Provider;
import io.ecivk.spi.WorkloadLister;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.ecivk.eci.logs.EciContainerLogs;
import io.ecivk.eci.metrics.EciPodStats;
import io.ecivk.spi.ContainerLogs;
import io.ecivk.spi.PodStatsSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pods as ECI container groups.
 *
 * <p><b>Status.</b> A background poller keeps a cache of what ECI says about each pod incarnation's group, keyed
 * by pod UID; {@link #getPodStatus} only reads that cache. Every {@link EciProviderConfig#statusInterval()} it
 * asks {@code DescribeContainerGroupStatus}, selected by the cluster and node tags, 200 groups a page, only for
 * the groups whose status changed recently ({@code SinceSecond}, see {@link #sinceSecond}): at 10,000 pods that
 * is one call instead of fifty. At start and every {@link EciProviderConfig#fullResyncInterval()} it makes a full
 * pass instead (no {@code SinceSecond}); only a full pass can tell that a group is gone, because a group missing
 * from an incremental answer has merely not changed. Listeners are notified only when a pod's status changed.
 *
 * <p><b>Groups that are gone.</b> ECI keeps a finished group (Succeeded, Failed, Expired, ScheduleFailed) for
 * about an hour and then forgets it, while the pod object may stay much longer (a Job's pod, a failed pod kept
 * for inspection). So a terminal status, once seen, stays in the cache and answers {@link #getPodStatus} until
 * the pod is deleted. A group that disappears without having been seen terminal and without a delete issued by
 * this provider was deleted behind our back (console, another tool) or released by ECI; its containers are not
 * running anywhere any more, and the pod must not keep looking Running (a Deployment would never replace it).
 * Such a pod is reported {@code Failed} with reason {@value #VANISHED_REASON}, the listener is notified, and the
 * pod's controller recreates it elsewhere. A pod that ECI forgot while no agent ran is unknown after a restart:
 * its status is then empty.
 *
 * <p><b>Rate limits.</b> All calls, the poller's included, go through one {@link RateLimitedEciClient}: a
 * worker's call over the limit fails fast as {@code THROTTLED} with a retry-after, and a poll over the limit is
 * skipped until the next tick. The widening {@code SinceSecond} window makes a skipped poll lose nothing.
 *
 * <p><b>Events.</b> ECI's own events on the groups ({@code NoStock}, {@code SpotToBeReleased},
 * {@code AutoInstanceTypeMatch}, {@code OOMKilled}...) are polled on the same thread and schedule by an
 * {@link EciEventPoller} and relayed once each (again when their count grows) to the {@link PodEventSource}
 * listener. With a single vSwitch configured, each created pod also gets a {@code MultiZoneRecommendations} event.
 *
 * <p><b>Fail strategy.</b> A pod annotated {@code k8s.aliyun.com/eci-fail-strategy: fail-fast} (see
 * {@link FailStrategy}) is failed with reason {@code ProviderFailed} as soon as ECI reports a stock-out for its
 * group ({@code NoStock} event) or gives up on it ({@code ScheduleFailed}); its group is deleted so that it cannot
 * start later. With {@code fail-back} (the default) and {@code fail-over} the pod stays as ECI reports it while ECI
 * keeps trying. A fail-fast pod is known as such from its create in this process. A pod with
 * {@code k8s.aliyun.com/eci-max-pending-minute: N} whose group is still {@code Scheduling} or {@code Pending} N
 * minutes after its create is failed the same way (ECI is asked for the same limit; this holds it when ECI does
 * not act on it).
 *
 * <p>Groups are tied to pods by the {@code ecivk.io/pod-uid} tag, so a delete touches only the group of that pod
 * incarnation.
 *
 * <p><b>Orphans.</b> {@link #listWorkloads} lists the groups tagged with this cluster and node, so the pod
 * controller's orphan sweep can delete those whose pod is gone. Groups without a pod tag are never listed (never
 * ours to touch), nor groups already {@code Terminating} or being deleted by this provider.
 */
public final class EciProvider implements Provider, PodStatusNotifier, WorkloadLister, ContainerExec,
    ContainerLogs, PodStatsSource, PodEventSource {
  private static final Logger LOG = LoggerFactory.getLogger(EciProvider.class);
  public static final String INSTANCE_ID_ANNOTATION = "k8s.aliyun.com/eci-instance-id";
  public static final String INSTANCE_SPEC_ANNOTATION = "k8s.aliyun.com/eci-instance-spec";
  /** The pod and container reason of a pod whose container group ECI no longer knows. */
  public static final String VANISHED_REASON = "ContainerGroupVanished";
  /** The exit code of a vanished group's containers: the kubelet's for a container whose fate is unknown. */
  public static final int VANISHED_EXIT_CODE = 137;
  /** ECI's status of a group being deleted. */
  private static final String TERMINATING = "Terminating";
  /** ECI's status of a group it gave up creating. */
  private static final String SCHEDULE_FAILED = "ScheduleFailed";
  /** ECI's event reason for a stock-out. */
  private static final String NO_STOCK = "NoStock";
  /** The pod annotation limiting how long a group may stay Scheduling or Pending. */
  static final String MAX_PENDING_MINUTE_ANNOTATION = "k8s.aliyun.com/eci-max-pending-minute";
  /**
   * What an incremental window adds to the time since the previous poll began: the previous poll's own duration,
   * and clock skew between this host and ECI.
   */
  public static final Duration INCREMENTAL_SLACK = Duration.ofSeconds(5);

  private final EciClient client;
  private final EciProviderConfig config;
  private final Clock clock;
  private final MappingContext mappingContext;
  private final List<Tag> nodeSelector;
  private final ScheduledExecutorService poller;
  private final AtomicBoolean started = new AtomicBoolean();
  /** Pod UIDs whose last create failed TRANSIENT: it may have created the group; looked up before a retry. */
  private final Set<String> uncertainCreates = ConcurrentHashMap.newKeySet();
  /** What ECI last said about each pod incarnation's group, by pod UID. */
  private final ConcurrentMap<String, Tracked> byUid = new ConcurrentHashMap<>();
  /** Pod UID by container group id, learnt at create or from the group's tags. */
  private final ConcurrentMap<String, PodRef> podByGroupId = new ConcurrentHashMap<>();
  /** Groups this provider deleted (or is deleting), with when: their disappearance is expected. */
  private final ConcurrentMap<String, Instant> deletedGroups = new ConcurrentHashMap<>();
  private volatile Listener listener = ref -> {};
  /** kubectl exec/attach through ExecContainerCommand; see {@link EciContainerExec}. */
  private final EciContainerExec exec;
  /** Container logs and pod usage, for the kubelet API; both find a pod's group through {@link #groupIdOf}. */
  private final EciContainerLogs logs;
  private final EciPodStats podStats;
  /** ECI's events, relayed to the pod controller; see {@link EciEventPoller}. */
  private final EciEventPoller events;
  private volatile PodEventSource.EventListener podEventListener = (pod, event) -> {};
  /** Pod UIDs created with {@code fail-fast}. */
  private final Set<String> failFastUids = ConcurrentHashMap.newKeySet();
  /** Pods this provider failed (stock-out with fail-fast, pending too long), by UID: their status from then on. */
  private final ConcurrentMap<String, FailedFast> failedFast = new ConcurrentHashMap<>();
  /** When the group of a pod with {@code eci-max-pending-minute} must have left Scheduling/Pending, by UID. */
  private final ConcurrentMap<String, Instant> pendingDeadlines = new ConcurrentHashMap<>();

  // Poll state: written only inside the synchronized poll().
  private Instant lastPollStart;
  private Instant lastFullPassStart;

  private final AtomicLong statusCalls = new AtomicLong();
  private final AtomicLong fullPasses = new AtomicLong();
  private final AtomicLong incrementalPasses = new AtomicLong();
  private final AtomicLong failedPolls = new AtomicLong();
  private final AtomicLong notifications = new AtomicLong();
  private volatile Duration lastPollDuration = Duration.ZERO;
  private volatile Duration lastFullPassDuration = Duration.ZERO;

  /** A provider on the system clock; {@code client} is held to {@link EciProviderConfig#rateLimits()}. */
  public EciProvider(EciClient client, EciProviderConfig config) {
    this(client, config, Clock.systemUTC());
  }

  /**
   * A provider whose poll schedule decisions (full resync due, incremental window, vanish grace) and rate limits
   * follow {@code clock}. {@code client} is wrapped in a {@link RateLimitedEciClient} with
   * {@link EciProviderConfig#rateLimits()} on {@code clock}, unless it already is one, which is then used as it
   * is (so several providers can share one limiter).
   */
  public EciProvider(EciClient client, EciProviderConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.client = RateLimitedEciClient.wrap(Objects.requireNonNull(client, "client"), config.rateLimits(), clock);
    this.mappingContext =
        new MappingContext(config.clusterId(), config.nodeName(), config.vSwitchIds(), config.securityGroupId(),
            config.specTable(), config.clusterDns().isEmpty()
                ? Optional.empty()
                : Optional.of(new ClusterDns(config.clusterDns(), config.clusterDomain())));
    this.nodeSelector = EciTags.selector(config.clusterId(), config.nodeName());
    this.exec = new EciContainerExec(this.client, this::groupIdOf);
    this.logs = new EciContainerLogs(this.client, this::groupIdOf, this::containerEnded, clock,
        EciContainerLogs.Settings.defaults());
    this.podStats = new EciPodStats(this.client, this::groupIdOf, clock, EciPodStats.DEFAULT_WINDOW, 4);
    this.events = new EciEventPoller(this.client, nodeSelector, clock, config.statusInterval(),
        groupId -> deletedGroups.containsKey(groupId) ? null : podByGroupId.get(groupId));
    this.events.setListener(this::onEciEvent);
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "eci-status-poller");
      t.setDaemon(true);
      return t;
    });
  }

  public EciProviderConfig config() {
    return config;
  }

  /** The rate-limited client every call of this provider goes through. */
  public EciClient client() {
    return client;
  }

  @Override
  public void setPodStatusListener(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void setPodEventListener(PodEventSource.EventListener listener) {
    this.podEventListener = Objects.requireNonNull(listener, "listener");
  }

  /** Relays an ECI event; a stock-out also fails a fail-fast pod. */
  private void onEciEvent(PodRef pod, ObservedEvent event) {
    podEventListener.podEvent(pod, event);
    if (NO_STOCK.equals(event.event().reason())) {
      stockOut(pod, event.event().message());
    }
  }

  /**
   * Fails a fail-fast pod whose group met a stock-out, through {@link #failPod}, which also deletes the group (a
   * held group would otherwise start, and cost, when stock returns). Other pods are left to ECI's retries.
   */
  private void stockOut(PodRef ref, String detail) {
    if (!failFastUids.contains(ref.uid())) {
      return;
    }
    Tracked tracked = byUid.get(ref.uid());
    String groupId = tracked == null ? null : tracked.groupId();
    failPod(ref, groupId, "ECI could not create container group " + groupId + " (" + detail + "); "
        + FailStrategy.ANNOTATION + " is fail-fast");
  }

  /**
   * After a poll: fails the pods whose group is still Scheduling or Pending past their
   * {@code eci-max-pending-minute} deadline; forgets the deadlines of pods whose group got further.
   */
  private void enforcePendingDeadlines(Instant now) {
    for (Map.Entry<String, Instant> e : pendingDeadlines.entrySet()) {
      Tracked tracked = byUid.get(e.getKey());
      if (tracked == null || tracked.vanishedAt() != null || failedFast.containsKey(e.getKey())) {
        pendingDeadlines.remove(e.getKey(), e.getValue());
        continue;
      }
      String status = tracked.status() == null ? null : tracked.status().status();
      if (status != null && !"Scheduling".equals(status) && !"Pending".equals(status)) {
        pendingDeadlines.remove(e.getKey(), e.getValue()); // started (or ended): the limit no longer applies
        continue;
      }
      if (now.isBefore(e.getValue())) {
        continue;
      }
      PodRef ref = podByGroupId.get(tracked.groupId());
      if (ref != null) {
        pendingDeadlines.remove(e.getKey(), e.getValue());
        failPod(ref, tracked.groupId(), "container group " + tracked.groupId() + " was still "
            + (status == null ? "being created" : status) + " at " + e.getValue() + ", the limit set by "
            + MAX_PENDING_MINUTE_ANNOTATION);
      }
    }
  }

  /**
   * Fails a pod once: records the failure as its status, deletes its group and notifies the listener. A failed
   * delete is left to the pod's deletion, which finds the group by its tags.
   */
  private void failPod(PodRef ref, String groupId, String message) {
    if (failedFast.putIfAbsent(ref.uid(), new FailedFast(message, clock.instant())) != null) {
      return;
    }
    LOG.warn("pod failed by the provider pod={} uid={} containerGroupId={}: {}", ref.key(), ref.uid(), groupId,
        message);
    if (groupId != null) {
      Instant previous = deletedGroups.putIfAbsent(groupId, clock.instant());
      try {
        client.deleteContainerGroup(DeleteContainerGroupRequest.of(groupId));
      } catch (ProviderException e) {
        if (e.category() != ErrorCategory.NOT_FOUND) {
          if (previous == null) {
            deletedGroups.remove(groupId);
          }
          LOG.warn("could not delete the group of a failed pod pod={} containerGroupId={} code={}",
              ref.key(), groupId, e.code());
        }
      }
    }
    notify(ref);
  }

  @Override
  public void start() {
    if (started.compareAndSet(false, true)) {
      long periodMs = config.statusInterval().toMillis();
      poller.scheduleWithFixedDelay(this::pollSafely, 0, periodMs, TimeUnit.MILLISECONDS);
      // Scheduled after the status poll, on the same thread: the first status pass learns the groups' pods first.
      poller.scheduleWithFixedDelay(this::pollEventsSafely, 0, periodMs, TimeUnit.MILLISECONDS);
    }
  }

  /** The event poller (its counters). */
  public EciEventPoller events() {
    return events;
  }

  /** One event poll; a failure is left to the next one, whose window covers this one's. */
  void pollEventsSafely() {
    try {
      events.poll();
    } catch (ProviderException e) {
      LOG.debug("event poll failed category={} code={}: {}", e.category(), e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("event poll failed", e);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    exec.close();
    logs.close();
    podStats.close();
  }

  @Override
  public LogStream openLog(Pod pod, String container, LogOptions options) {
    return logs.openLog(pod, container, options);
  }

  @Override
  public CompletableFuture<PodStatsBatch> stats(List<Pod> pods) {
    return podStats.stats(pods);
  }

  /** The log service behind {@link #openLog} (its follow gauges). */
  public EciContainerLogs logs() {
    return logs;
  }

  /**
   * The container group of this pod incarnation, if this provider knows it (created it, or found it by its tags).
   * Never taken from the pod's annotations: a user could write another group's id there and reach into it.
   */
  Optional<String> groupIdOf(Pod pod) {
    Tracked tracked = byUid.get(pod.getMetadata().getUid());
    return tracked == null ? Optional.empty() : Optional.of(tracked.groupId());
  }

  /**
   * Whether a container has ended, by the cached status: terminated, or its pod finished. Ends log follows; a
   * restarting container's instance ends too, as with the kubelet.
   */
  boolean containerEnded(Pod pod, String container) {
    Optional<PodStatus> status = getPodStatus(pod);
    if (status.isEmpty()) {
      return false;
    }
    String phase = status.get().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return true;
    }
    List<ContainerStatus> all = new ArrayList<>();
    Optional.ofNullable(status.get().getContainerStatuses()).ifPresent(all::addAll);
    Optional.ofNullable(status.get().getInitContainerStatuses()).ifPresent(all::addAll);
    return all.stream().anyMatch(c -> container.equals(c.getName()) && c.getState() != null
        && c.getState().getTerminated() != null);
  }

  /**
   * Creates the pod's group. A create that failed {@code TRANSIENT} (no answer, a timeout, a 5xx) may have created
   * the group all the same; its ClientToken makes a replay answer that group, but ECI keeps tokens only for a while
   * and refuses a replay whose parameters changed meanwhile. So the retry of such a create first looks the pod
   * incarnation's group up by its tags and takes the one it finds instead of creating another.
   */
  @Override
  public CreateResult createPod(ResolvedPod resolved) {
    Pod pod = resolved.pod();
    FailStrategy strategy = FailStrategy.of(pod);
    MappedPod mapped = PodMapper.map(resolved, mappingContext);
    String uid = pod.getMetadata().getUid();
    CreateContainerGroupResponse response = uncertainCreates.contains(uid) ? existingGroup(uid) : null;
    if (response == null) {
      try {
        response = client.createContainerGroup(mapped.request());
      } catch (ProviderException e) {
        if (e.category() == ErrorCategory.TRANSIENT) {
          uncertainCreates.add(uid);
        }
        throw e;
      }
    } else {
      LOG.info("container group found by its tags after an uncertain create, not created again pod={} uid={}"
          + " containerGroupId={}", PodKey.of(pod), uid, response.containerGroupId());
    }
    uncertainCreates.remove(uid);
    String groupId = response.containerGroupId();
    PodRef ref = PodRef.of(pod);
    if (strategy == FailStrategy.FAIL_FAST) {
      failFastUids.add(ref.uid());
    }
    Integer maxPending = mapped.request().maxPendingMinute();
    if (maxPending != null) {
      pendingDeadlines.putIfAbsent(ref.uid(), clock.instant().plus(Duration.ofMinutes(maxPending)));
    }
    podByGroupId.put(groupId, ref);
    Instant now = clock.instant();
    byUid.compute(ref.uid(),
        (key, t) -> t != null && groupId.equals(t.groupId()) ? t : new Tracked(groupId, null, now, null));
    LOG.info("container group created pod={} uid={} containerGroupId={} spec={}", ref.key(), ref.uid(), groupId,
        mapped.spec().label());
    if (started.get()) {
      poller.execute(this::pollSafely); // the first status sooner than the next tick
    }
    List<ProviderEvent> createEvents = new ArrayList<>(mapped.events());
    EciEvents.multiZoneRecommendation(mapped.request().vSwitchIds()).ifPresent(createEvents::add);
    return new CreateResult(
        createEvents, CreatedAnnotations.of(client, mapped.request(), response, mapped.spec()));
  }

  /** The group tagged with this pod UID (and this cluster and node), not Terminating, as a create answer; or null. */
  private CreateContainerGroupResponse existingGroup(String uid) {
    List<Tag> tags = new ArrayList<>(nodeSelector);
    tags.add(new Tag(EciTags.POD_UID, uid));
    var page = client.describeContainerGroups(
        DescribeContainerGroupsRequest.byTags(tags, DescribeContainerGroupsRequest.MAX_LIMIT));
    return page.containerGroups().stream()
        .filter(g -> uid.equals(tagValue(g, EciTags.POD_UID)) && !TERMINATING.equals(g.status())
            && !deletedGroups.containsKey(g.containerGroupId()))
        .findFirst()
        .map(g -> new CreateContainerGroupResponse(null, g.containerGroupId()))
        .orElse(null);
  }

  @Override
  public void deletePod(Pod pod) {
    String uid = pod.getMetadata().getUid();
    Set<String> groupIds = new HashSet<>();
    Tracked tracked = byUid.get(uid);
    if (tracked != null) {
      groupIds.add(tracked.groupId());
    }
    // Also ask ECI: a group created by an earlier agent process is known only by its tags.
    List<Tag> tags = new ArrayList<>(nodeSelector);
    tags.add(new Tag(EciTags.POD_UID, uid));
    var request = DescribeContainerGroupsRequest.byTags(tags, DescribeContainerGroupsRequest.MAX_LIMIT);
    while (true) {
      var page = client.describeContainerGroups(request);
      page.containerGroups().stream()
          .filter(g -> uid.equals(tagValue(g, EciTags.POD_UID))) // defence in depth: only this incarnation
          .forEach(g -> groupIds.add(g.containerGroupId()));
      if (!page.hasNextPage()) {
        break;
      }
      request = request.withNextToken(page.nextToken());
    }
    for (String groupId : groupIds) {
      // Marked before the call: a poll running meanwhile must not take the disappearance for a vanish.
      Instant previous = deletedGroups.putIfAbsent(groupId, clock.instant());
      try {
        client.deleteContainerGroup(DeleteContainerGroupRequest.of(groupId));
        LOG.info("container group deleted pod={} uid={} containerGroupId={}", PodKey.of(pod), uid, groupId);
      } catch (ProviderException e) {
        if (e.category() != ErrorCategory.NOT_FOUND) {
          if (previous == null) {
            deletedGroups.remove(groupId);
          }
          throw e;
        }
      }
      podByGroupId.remove(groupId);
    }
    byUid.remove(uid);
    failFastUids.remove(uid);
    failedFast.remove(uid);
    pendingDeadlines.remove(uid);
    uncertainCreates.remove(uid);
  }

  /**
   * The pod incarnations that have a container group on this node: DescribeContainerGroups selected by the cluster
   * and node tags, {@value DescribeContainerGroupsRequest#MAX_LIMIT} a page, through the rate-limited client (a
   * throttled page throws {@code THROTTLED}: the caller skips this sweep). Groups whose tags do not name a pod
   * (namespace, name and UID) are skipped, and so are groups {@code Terminating} or being deleted by us. One
   * incarnation with several groups is listed once.
   */
  @Override
  public List<PodRef> listWorkloads() {
    Set<PodRef> refs = new java.util.LinkedHashSet<>();
    var request = DescribeContainerGroupsRequest.byTags(nodeSelector, DescribeContainerGroupsRequest.MAX_LIMIT);
    while (true) {
      var page = client.describeContainerGroups(request);
      for (ContainerGroup group : page.containerGroups()) {
        PodRef ref = podRef(group);
        if (ref == null || TERMINATING.equals(group.status()) || deletedGroups.containsKey(group.containerGroupId())
            || !config.clusterId().equals(tagValue(group, EciTags.CLUSTER_ID))
            || !config.nodeName().equals(tagValue(group, EciTags.NODE_NAME))) {
          continue; // defence in depth on the node tags too: only this node's groups are ever listed
        }
        podByGroupId.putIfAbsent(group.containerGroupId(), ref);
        refs.add(ref);
      }
      if (!page.hasNextPage()) {
        break;
      }
      request = request.withNextToken(page.nextToken());
    }
    return List.copyOf(refs);
  }

  /** The pod incarnation a group's tags name, or null when they do not name one completely. */
  private static PodRef podRef(ContainerGroup group) {
    String uid = tagValue(group, EciTags.POD_UID);
    String namespace = tagValue(group, EciTags.POD_NAMESPACE);
    String name = tagValue(group, EciTags.POD_NAME);
    if (uid == null || uid.isEmpty() || namespace == null || namespace.isEmpty() || name == null || name.isEmpty()) {
      return null;
    }
    return new PodRef(new PodKey(namespace, name), uid);
  }

  /** Runs a command through ECI's exec session; see {@link EciContainerExec}. */
  @Override
  public CompletableFuture<ExecSession> exec(Pod pod, String container, ExecRequest request, ExecOutput output) {
    return exec.exec(pod, container, request, output);
  }

  /** Fails: ECI cannot attach to a container's main process; see {@link EciContainerExec}. */
  @Override
  public CompletableFuture<ExecSession> attach(Pod pod, String container, ExecRequest request, ExecOutput output) {
    return exec.attach(pod, container, request, output);
  }

  @Override
  public Optional<PodStatus> getPodStatus(Pod pod) {
    FailedFast failed = failedFast.get(pod.getMetadata().getUid());
    if (failed != null) {
      return Optional.of(ProviderFailure.status(pod, failed.message(), failed.at()));
    }
    Tracked tracked = byUid.get(pod.getMetadata().getUid());
    if (tracked == null) {
      return Optional.empty();
    }
    if (tracked.vanishedAt() != null) {
      return Optional.of(vanishedStatus(pod, tracked));
    }
    if (tracked.status() == null) {
      return Optional.empty();
    }
    return Optional.of(PodStatusMapper.toPodStatus(pod, tracked.status()));
  }

  @Override
  public void ping() {
    client.describeRegions(new DescribeRegionsRequest());
  }

  @Override
  public Map<String, Quantity> capacity() {
    return config.capacity();
  }

  /** DescribeContainerGroupStatus calls made so far, every page counted. */
  public long statusCalls() {
    return statusCalls.get();
  }

  /** Completed full passes. */
  public long fullPasses() {
    return fullPasses.get();
  }

  /** Completed incremental passes. */
  public long incrementalPasses() {
    return incrementalPasses.get();
  }

  /** Polls that failed (throttled, ECI unreachable...) and were left to the next tick. */
  public long failedPolls() {
    return failedPolls.get();
  }

  /** Status change notifications sent to the listener. */
  public long notifications() {
    return notifications.get();
  }

  /** The wall time the last completed poll took (calls and cache update), of either kind. */
  public Duration lastPollDuration() {
    return lastPollDuration;
  }

  /** The wall time the last completed full pass took. */
  public Duration lastFullPassDuration() {
    return lastFullPassDuration;
  }

  /** Pod incarnations in the status cache, terminal and vanished ones included. */
  public int trackedPods() {
    return byUid.size();
  }

  private void pollSafely() {
    try {
      poll();
    } catch (ProviderException e) {
      // The next tick tries again (its window covers this one's); the node controller's ping reports an outage.
      failedPolls.incrementAndGet();
      LOG.debug("status poll failed category={} code={}: {}", e.category(), e.code(), e.getMessage());
    } catch (RuntimeException e) {
      failedPolls.incrementAndGet();
      LOG.warn("status poll failed", e);
    }
  }

  /**
   * One poll: a full pass when none ran yet, when the last is {@code fullResyncInterval} old, or when no poll
   * succeeded for that long; otherwise an incremental one. Notifies the pods whose status changed. A poll that
   * throws changes nothing of the schedule: the next one is due as if it had not run.
   */
  synchronized void poll() {
    Instant start = clock.instant();
    long startNanos = System.nanoTime();
    Duration fullEvery = config.fullResyncInterval();
    boolean full = lastFullPassStart == null
        || lastPollStart == null
        || !start.isBefore(lastFullPassStart.plus(fullEvery))
        || Duration.between(lastPollStart, start).compareTo(fullEvery) > 0;
    Integer since = full ? null : sinceSecond(config.statusInterval(), Duration.between(lastPollStart, start));
    Map<String, ContainerGroupStatus> seen = new HashMap<>();
    var request = DescribeContainerGroupStatusRequest.byTags(nodeSelector, since,
        DescribeContainerGroupStatusRequest.MAX_LIMIT);
    while (true) {
      statusCalls.incrementAndGet();
      var page = client.describeContainerGroupStatus(request);
      page.data().forEach(s -> seen.put(s.containerGroupId(), s));
      if (!page.hasNextPage()) {
        break;
      }
      request = request.withNextToken(page.nextToken());
    }
    resolveUnknownGroups(seen.keySet());
    for (ContainerGroupStatus status : seen.values()) {
      record(status);
    }
    if (full) {
      concludeMissing(seen.keySet(), start);
    }
    enforcePendingDeadlines(start);
    lastPollStart = start;
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    lastPollDuration = took;
    if (full) {
      lastFullPassStart = start;
      lastFullPassDuration = took;
      fullPasses.incrementAndGet();
    } else {
      incrementalPasses.incrementAndGet();
    }
  }

  /**
   * The {@code SinceSecond} of an incremental poll: the time since the previous poll began, at least twice the
   * poll interval, plus {@link #INCREMENTAL_SLACK}, in whole seconds rounded up. Every status change since the
   * previous poll's start falls inside, even after skipped polls or a slow previous poll; overlapping windows
   * only return a group twice, and an unchanged status notifies nobody.
   */
  static int sinceSecond(Duration statusInterval, Duration sinceLastPoll) {
    Duration window = statusInterval.multipliedBy(2);
    if (sinceLastPoll.compareTo(window) > 0) {
      window = sinceLastPoll;
    }
    window = window.plus(INCREMENTAL_SLACK);
    long seconds = window.getSeconds() + (window.getNano() > 0 ? 1 : 0);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds));
  }

  private void record(ContainerGroupStatus status) {
    String groupId = status.containerGroupId();
    if (deletedGroups.containsKey(groupId)) {
      return; // being deleted by us: its pod is on its way out, and its cache entry with it
    }
    PodRef ref = podByGroupId.get(groupId);
    if (ref == null) {
      return; // not one of our pods' groups (its tags did not name a pod)
    }
    Instant now = clock.instant();
    boolean[] changed = {false};
    byUid.compute(ref.uid(), (uid, before) -> {
      if (deletedGroups.containsKey(groupId)) {
        return before;
      }
      if (before != null && before.vanishedAt() == null && status.equals(before.status())
          && groupId.equals(before.groupId())) {
        return before;
      }
      changed[0] = true;
      return new Tracked(groupId, status, before == null ? now : before.knownSince(), null);
    });
    if (changed[0]) {
      notify(ref);
    }
    if (SCHEDULE_FAILED.equals(status.status())) {
      stockOut(ref, "status ScheduleFailed");
    }
  }

  /** After a full pass: the tracked groups it did not return are gone; decides what that means for each pod. */
  private void concludeMissing(Set<String> seen, Instant passStart) {
    for (Map.Entry<String, Tracked> e : byUid.entrySet()) {
      Tracked t = e.getValue();
      if (seen.contains(t.groupId()) || t.vanishedAt() != null) {
        continue;
      }
      if (deletedGroups.containsKey(t.groupId())) {
        byUid.remove(e.getKey(), t); // our own delete: the pod is going away
        continue;
      }
      if (t.status() != null && isTerminal(t.status())) {
        continue; // ECI forgets finished groups after an hour; the pod keeps its last word
      }
      if (t.status() == null && passStart.isBefore(t.knownSince().plus(config.fullResyncInterval()))) {
        continue; // created moments ago and not listed yet: give ECI's listing time to catch up
      }
      Tracked vanished = new Tracked(t.groupId(), t.status(), t.knownSince(), passStart);
      if (byUid.replace(e.getKey(), t, vanished)) {
        PodRef ref = podByGroupId.get(t.groupId());
        LOG.warn("container group vanished pod={} uid={} containerGroupId={} lastStatus={}",
            ref == null ? "?" : ref.key(), e.getKey(), t.groupId(), t.status() == null ? null : t.status().status());
        notify(ref != null ? ref : null);
      }
    }
    // Our deletes that ECI has finished: nothing to wait for any more.
    deletedGroups.entrySet().removeIf(d -> !seen.contains(d.getKey()) && d.getValue().isBefore(passStart));
  }

  private void notify(PodRef ref) {
    if (ref == null) {
      return;
    }
    notifications.incrementAndGet();
    listener.podStatusChanged(ref);
  }

  private static boolean isTerminal(ContainerGroupStatus status) {
    String phase = EciPhases.phase(status.status());
    if (EciPhases.UNKNOWN.equals(phase) && status.podStatus() != null && status.podStatus().phase() != null) {
      phase = status.podStatus().phase();
    }
    return EciPhases.SUCCEEDED.equals(phase) || EciPhases.FAILED.equals(phase);
  }

  /**
   * The status of a pod whose group vanished: Failed, every container terminated with reason
   * {@value #VANISHED_REASON}; what was last known (IPs, start times, restart counts) is kept.
   */
  static PodStatus vanishedStatus(Pod pod, String groupId, ContainerGroupStatus last, Instant vanishedAt) {
    PodStatus base = last == null ? new PodStatus() : PodStatusMapper.toPodStatus(pod, last);
    String message = "ECI no longer knows container group " + groupId
        + " (deleted outside the agent, or released); the pod cannot run there any more";
    String at = DateTimeFormatter.ISO_INSTANT.format(vanishedAt.truncatedTo(ChronoUnit.SECONDS));
    List<ContainerStatus> containers = new ArrayList<>();
    for (Container spec : pod.getSpec().getContainers()) {
      ContainerStatus known = base.getContainerStatuses() == null ? null : base.getContainerStatuses().stream()
          .filter(c -> spec.getName().equals(c.getName())).findFirst().orElse(null);
      String startedAt = known != null && known.getState() != null && known.getState().getRunning() != null
          ? known.getState().getRunning().getStartedAt() : null;
      containers.add(new ContainerStatusBuilder()
          .withName(spec.getName())
          .withImage(known != null && known.getImage() != null ? known.getImage() : spec.getImage())
          .withImageID(known != null && known.getImageID() != null ? known.getImageID() : "")
          .withContainerID(known == null ? null : known.getContainerID())
          .withRestartCount(known == null || known.getRestartCount() == null ? 0 : known.getRestartCount())
          .withReady(false)
          .withStarted(false)
          .withLastState(known == null ? null : known.getLastState())
          .withNewState().withNewTerminated()
              .withExitCode(VANISHED_EXIT_CODE).withReason(VANISHED_REASON).withMessage(message)
              .withStartedAt(startedAt).withFinishedAt(at)
          .endTerminated().endState()
          .build());
    }
    List<PodCondition> conditions = new ArrayList<>();
    for (PodCondition c : base.getConditions() == null ? List.<PodCondition>of() : base.getConditions()) {
      if ("Ready".equals(c.getType()) || "ContainersReady".equals(c.getType())) {
        conditions.add(new PodConditionBuilder(c).withStatus("False").withReason(VANISHED_REASON)
            .withMessage(message).withLastTransitionTime(at).build());
      } else {
        conditions.add(c);
      }
    }
    if (conditions.stream().noneMatch(c -> "Ready".equals(c.getType()))) {
      conditions.add(new PodConditionBuilder().withType("Ready").withStatus("False").withReason(VANISHED_REASON)
          .withMessage(message).withLastTransitionTime(at).build());
    }
    return new PodStatusBuilder(base)
        .withPhase(EciPhases.FAILED)
        .withReason(VANISHED_REASON)
        .withMessage(message)
        .withConditions(conditions)
        .withContainerStatuses(containers)
        .build();
  }

  private static PodStatus vanishedStatus(Pod pod, Tracked tracked) {
    return vanishedStatus(pod, tracked.groupId(), tracked.status(), tracked.vanishedAt());
  }

  /** Learns which pod a group belongs to from its tags, for groups this process did not create. */
  private void resolveUnknownGroups(Set<String> groupIds) {
    List<String> unknown = groupIds.stream().filter(id -> !podByGroupId.containsKey(id)).toList();
    for (int from = 0; from < unknown.size(); from += DescribeContainerGroupsRequest.MAX_LIMIT) {
      List<String> batch = unknown.subList(from, Math.min(unknown.size(), from + DescribeContainerGroupsRequest.MAX_LIMIT));
      for (ContainerGroup group : client.describeContainerGroups(DescribeContainerGroupsRequest.byIds(batch))
          .containerGroups()) {
        PodRef ref = podRef(group);
        if (ref != null) {
          podByGroupId.put(group.containerGroupId(), ref);
        }
      }
    }
  }

  private static String tagValue(ContainerGroup group, String key) {
    return group.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst().orElse(null);
  }

  /**
   * The group of a pod incarnation and what ECI last said about it.
   *
   * @param status the last status, null before the first poll that saw the group
   * @param knownSince when this process learnt of the group
   * @param vanishedAt when a full pass found the group gone though it was neither terminal nor deleted by us
   */
  /** The failure of a fail-fast pod and when it was decided. */
  private record FailedFast(String message, Instant at) {}

  private record Tracked(String groupId, ContainerGroupStatus status, Instant knownSince, Instant vanishedAt) {}
}
