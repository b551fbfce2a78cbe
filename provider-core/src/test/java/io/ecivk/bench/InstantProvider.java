package io.ecivk.bench;

import io.ecivk.spi.CreateResult;
import io.ecivk.spi.PodLifecycleHandler;
import io.ecivk.spi.PodRef;
import io.ecivk.spi.PodStatusNotifier;
import io.ecivk.spi.ResolvedPod;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider that answers at once and keeps everything in memory: a created pod is Running and Ready with an IP
 * immediately, and the status listener hears of it at once. It measures the framework alone (informer, queue,
 * workers, status writes), the way virtual-kubelet's mock provider does for the Go implementation.
 */
final class InstantProvider implements PodLifecycleHandler, PodStatusNotifier {
  private final ConcurrentMap<String, Workload> byUid = new ConcurrentHashMap<>();
  private final AtomicInteger nextIp = new AtomicInteger();
  private final Clock clock;
  private volatile Listener listener = ref -> {};

  InstantProvider(Clock clock) {
    this.clock = clock;
  }

  private record Workload(String ip, String started) {}

  @Override
  public void setPodStatusListener(Listener listener) {
    this.listener = listener;
  }

  @Override
  public CreateResult createPod(ResolvedPod resolved) {
    Pod pod = resolved.pod();
    int n = nextIp.getAndIncrement();
    String started = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    byUid.putIfAbsent(pod.getMetadata().getUid(), new Workload("10.128." + (n / 250) % 250 + "." + (n % 250 + 1),
        started));
    listener.podStatusChanged(PodRef.of(pod));
    return CreateResult.empty();
  }

  @Override
  public void deletePod(Pod pod) {
    byUid.remove(pod.getMetadata().getUid());
  }

  @Override
  public Optional<PodStatus> getPodStatus(Pod pod) {
    Workload w = byUid.get(pod.getMetadata().getUid());
    if (w == null) {
      return Optional.empty();
    }
    String ip = w.ip();
    String now = w.started();
    return Optional.of(new PodStatusBuilder()
        .withPhase("Running")
        .withPodIP(ip)
        .withPodIPs(new PodIPBuilder().withIp(ip).build())
        .withHostIP(ip)
        .withStartTime(now)
        .withConditions(
            new PodConditionBuilder().withType("PodScheduled").withStatus("True").build(),
            new PodConditionBuilder().withType("Initialized").withStatus("True").build(),
            new PodConditionBuilder().withType("ContainersReady").withStatus("True").build(),
            new PodConditionBuilder().withType("Ready").withStatus("True").build())
        .withContainerStatuses(pod.getSpec().getContainers().stream()
            .map(c -> new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
                .withReady(true).withStarted(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(now).endRunning().endState()
                .build())
            .toList())
        .build());
  }
}
