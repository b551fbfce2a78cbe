package io.ecivk.pod;

import io.ecivk.spi.CreateResult;
import io.ecivk.spi.PodLifecycleHandler;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.PodStatusNotifier;
import io.ecivk.spi.ProviderEvent;
import io.ecivk.spi.WorkloadLister;
import io.ecivk.spi.errors.ErrorCategory;
import io.ecivk.spi.errors.ProviderException;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory provider that answers at once: a created pod is Running with an IP immediately. Counts calls,
 * and can be told to refuse a pod (by name) or to fail transiently a number of times. Lists its workloads, which
 * can be seeded with pre-existing ones (as left by an earlier agent process), and its listing can be made to fail
 * a number of times. {@link #deletePod} uses only the pod's metadata, as the orphan sweep requires.
 */
final class FakeProvider implements PodLifecycleHandler, PodStatusNotifier, WorkloadLister {
  final List<String> created = new CopyOnWriteArrayList<>();
  /** What each created pod was given, by UID. */
  final Map<String, ResolvedPod> resolved = new ConcurrentHashMap<>();
  final List<String> deleted = new CopyOnWriteArrayList<>();
  final Map<String, String> refuse = new ConcurrentHashMap<>();
  final AtomicInteger transientFailures = new AtomicInteger();
  final AtomicInteger listFailures = new AtomicInteger();
  final AtomicInteger listCalls = new AtomicInteger();
  /** The workloads that exist, by pod UID. */
  final ConcurrentMap<String, PodRef> workloads = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> ipByUid = new ConcurrentHashMap<>();
  private final AtomicInteger nextIp = new AtomicInteger(10);
  private volatile Listener listener = ref -> {};

  @Override
  public void setPodStatusListener(Listener listener) {
    this.listener = listener;
  }

  @Override
  public CreateResult createPod(ResolvedPod resolved) {
    Pod pod = resolved.pod();
    String name = pod.getMetadata().getName();
    if (refuse.containsKey(name)) {
      throw new ProviderException(ErrorCategory.INVALID_REQUEST, "UnsupportedPodField", refuse.get(name));
    }
    if (transientFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new ProviderException(ErrorCategory.TRANSIENT, "InternalError", "backend hiccup");
    }
    String uid = pod.getMetadata().getUid();
    created.add(uid);
    this.resolved.put(uid, resolved);
    workloads.put(uid, PodRef.of(pod));
    ipByUid.computeIfAbsent(uid, u -> "10.1.0." + nextIp.getAndIncrement());
    listener.podStatusChanged(PodRef.of(pod));
    return new CreateResult(
        List.of(ProviderEvent.normal("FakeCreated", "created " + name)), Map.of("fake.ecivk.io/id", "fake-" + uid));
  }

  @Override
  public void deletePod(Pod pod) {
    deleted.add(pod.getMetadata().getUid());
    workloads.remove(pod.getMetadata().getUid());
    ipByUid.remove(pod.getMetadata().getUid());
  }

  /** A workload that exists before the controller starts, e.g. left by an earlier agent process: Running. */
  void addWorkload(PodRef ref) {
    workloads.put(ref.uid(), ref);
    ipByUid.computeIfAbsent(ref.uid(), u -> "10.1.0." + nextIp.getAndIncrement());
  }

  @Override
  public List<PodRef> listWorkloads() {
    listCalls.incrementAndGet();
    if (listFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new ProviderException(ErrorCategory.TRANSIENT, "InternalError", "listing unavailable");
    }
    return List.copyOf(workloads.values());
  }

  @Override
  public Optional<PodStatus> getPodStatus(Pod pod) {
    String ip = ipByUid.get(pod.getMetadata().getUid());
    if (ip == null) {
      return Optional.empty();
    }
    return Optional.of(new PodStatusBuilder()
        .withPhase("Running")
        .withPodIP(ip)
        .withPodIPs(new PodIPBuilder().withIp(ip).build())
        .withHostIP(ip)
        .withStartTime("2026-11-23T10:00:00Z")
        .withContainerStatuses(pod.getSpec().getContainers().stream()
            .map(c -> new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
                .withReady(true).withStarted(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt("2026-11-23T10:00:01Z").endRunning().endState()
                .build())
            .toList())
        .build());
  }
}
