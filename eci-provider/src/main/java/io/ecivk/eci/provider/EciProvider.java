package io.ecivk.eci.provider;

import io.ecivk.eci.client.EciClient;
import io.ecivk.eci.client.model.DeleteContainerGroupRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse.ContainerGroupStatus;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerGroup;
import io.ecivk.eci.client.model.DescribeRegionsRequest;
import io.ecivk.eci.client.model.Tag;
import io.ecivk.eci.mapping.ClusterDns;
import io.ecivk.eci.mapping.EciTags;
import io.ecivk.eci.mapping.MappedPod;
import io.ecivk.eci.mapping.MappingContext;
import io.ecivk.eci.mapping.PodMapper;
import io.ecivk.eci.status.PodStatusMapper;
import io.ecivk.spi.CreateResult;
import io.ecivk.spi.PodKey;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatusNotifier;
import io.ecivk.spi.Provider;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pods as ECI container groups.
 *
 * <p>Status comes from one batched {@code DescribeContainerGroupStatus} call per 200 groups of this node every
 * {@link EciProviderConfig#statusInterval()}, selected by the cluster and node tags, into a cache keyed by pod
 * UID; {@link #getPodStatus} only reads that cache. Groups are tied to pods by the {@code ecivk.io/pod-uid} tag,
 * so a delete touches only the group of that pod incarnation.
 */
public final class EciProvider implements Provider, PodStatusNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(EciProvider.class);
  public static final String INSTANCE_ID_ANNOTATION = "k8s.aliyun.com/eci-instance-id";
  public static final String INSTANCE_SPEC_ANNOTATION = "k8s.aliyun.com/eci-instance-spec";

  private final EciClient client;
  private final EciProviderConfig config;
  private final MappingContext mappingContext;
  private final List<Tag> nodeSelector;
  private final ScheduledExecutorService poller;
  private final AtomicBoolean started = new AtomicBoolean();
  /** What ECI last said about each pod incarnation's group, by pod UID. */
  private final ConcurrentMap<String, Tracked> byUid = new ConcurrentHashMap<>();
  /** Pod UID by container group id, learnt at create or from the group's tags. */
  private final ConcurrentMap<String, PodRef> podByGroupId = new ConcurrentHashMap<>();
  private volatile Listener listener = ref -> {};

  public EciProvider(EciClient client, EciProviderConfig config) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.mappingContext =
        new MappingContext(config.clusterId(), config.nodeName(), config.vSwitchIds(), config.securityGroupId(),
            config.specTable(), config.clusterDns().isEmpty()
                ? Optional.empty()
                : Optional.of(new ClusterDns(config.clusterDns(), config.clusterDomain())));
    this.nodeSelector = EciTags.selector(config.clusterId(), config.nodeName());
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "eci-status-poller");
      t.setDaemon(true);
      return t;
    });
  }

  public EciProviderConfig config() {
    return config;
  }

  @Override
  public void setPodStatusListener(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void start() {
    if (started.compareAndSet(false, true)) {
      long periodMs = config.statusInterval().toMillis();
      poller.scheduleWithFixedDelay(this::pollSafely, 0, periodMs, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }

  @Override
  public CreateResult createPod(Pod pod) {
    MappedPod mapped = PodMapper.map(pod, mappingContext);
    String groupId = client.createContainerGroup(mapped.request()).containerGroupId();
    PodRef ref = PodRef.of(pod);
    podByGroupId.put(groupId, ref);
    byUid.compute(ref.uid(), (uid, t) -> t != null && groupId.equals(t.groupId()) ? t : new Tracked(groupId, null));
    LOG.info("container group created pod={} uid={} containerGroupId={} spec={}", ref.key(), ref.uid(), groupId,
        mapped.spec().label());
    if (started.get()) {
      poller.execute(this::pollSafely); // the first status sooner than the next tick
    }
    return new CreateResult(
        mapped.events(), Map.of(INSTANCE_ID_ANNOTATION, groupId, INSTANCE_SPEC_ANNOTATION, mapped.spec().label()));
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
      try {
        client.deleteContainerGroup(DeleteContainerGroupRequest.of(groupId));
        LOG.info("container group deleted pod={} uid={} containerGroupId={}", PodKey.of(pod), uid, groupId);
      } catch (ProviderException e) {
        if (e.category() != ErrorCategory.NOT_FOUND) {
          throw e;
        }
      }
      podByGroupId.remove(groupId);
    }
    byUid.remove(uid);
  }

  @Override
  public Optional<PodStatus> getPodStatus(Pod pod) {
    Tracked tracked = byUid.get(pod.getMetadata().getUid());
    if (tracked == null || tracked.status() == null) {
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

  private void pollSafely() {
    try {
      poll();
    } catch (ProviderException e) {
      // The next tick tries again; the node controller's ping reports a lasting outage.
      LOG.debug("status poll failed category={} code={}: {}", e.category(), e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("status poll failed", e);
    }
  }

  /** One full pass: every group of this node, batched; notifies the pods whose status changed. */
  void poll() {
    Map<String, ContainerGroupStatus> seen = new HashMap<>();
    var request = DescribeContainerGroupStatusRequest.byTags(nodeSelector, null,
        DescribeContainerGroupStatusRequest.MAX_LIMIT);
    while (true) {
      var page = client.describeContainerGroupStatus(request);
      page.data().forEach(s -> seen.put(s.containerGroupId(), s));
      if (!page.hasNextPage()) {
        break;
      }
      request = request.withNextToken(page.nextToken());
    }
    resolveUnknownGroups(seen.keySet());
    for (ContainerGroupStatus status : seen.values()) {
      PodRef ref = podByGroupId.get(status.containerGroupId());
      if (ref == null) {
        continue; // not one of our pods' groups (its tags did not name a pod)
      }
      Tracked before = byUid.put(ref.uid(), new Tracked(status.containerGroupId(), status));
      if (before == null || !status.equals(before.status())) {
        listener.podStatusChanged(ref);
      }
    }
    // Groups that are gone: forget their status, so the pod controller sees no stale Running.
    byUid.entrySet().removeIf(e -> {
      boolean gone = e.getValue().status() != null && !seen.containsKey(e.getValue().groupId());
      if (gone) {
        PodRef ref = podByGroupId.remove(e.getValue().groupId());
        if (ref != null) {
          listener.podStatusChanged(ref);
        }
      }
      return gone;
    });
  }

  /** Learns which pod a group belongs to from its tags, for groups this process did not create. */
  private void resolveUnknownGroups(Set<String> groupIds) {
    List<String> unknown = groupIds.stream().filter(id -> !podByGroupId.containsKey(id)).toList();
    for (int from = 0; from < unknown.size(); from += DescribeContainerGroupsRequest.MAX_LIMIT) {
      List<String> batch = unknown.subList(from, Math.min(unknown.size(), from + DescribeContainerGroupsRequest.MAX_LIMIT));
      for (ContainerGroup group : client.describeContainerGroups(DescribeContainerGroupsRequest.byIds(batch))
          .containerGroups()) {
        String uid = tagValue(group, EciTags.POD_UID);
        String namespace = tagValue(group, EciTags.POD_NAMESPACE);
        String name = tagValue(group, EciTags.POD_NAME);
        if (uid != null && namespace != null && name != null) {
          podByGroupId.put(group.containerGroupId(), new PodRef(new PodKey(namespace, name), uid));
        }
      }
    }
  }

  private static String tagValue(ContainerGroup group, String key) {
    return group.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst().orElse(null);
  }

  /** The group of a pod incarnation and what ECI last said about it (null before the first poll). */
  private record Tracked(String groupId, ContainerGroupStatus status) {}
}
