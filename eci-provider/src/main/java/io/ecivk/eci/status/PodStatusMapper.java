package io.ecivk.eci.status;

import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse;
import io.ecivk.eci.client.model.DescribeContainerGroupStatusResponse.ContainerGroupStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds a pod's status from its ECI container group's status.
 *
 * <ul>
 *   <li><b>phase</b>: from the group's ECI {@code Status} ({@link EciPhases}); ECI's own {@code PodStatus.Phase}
 *       only when the group has no Status.
 *   <li><b>conditions</b>: ECI's, copied. {@code PodScheduled} is always True: the pod is bound to this node and
 *       has a group; ECI's own "scheduling" is instance placement, and a False here would look unschedulable
 *       to the cluster autoscaler. {@code Initialized}, {@code Ready} and {@code ContainersReady} are derived
 *       from the containers when ECI gives none (Ready and ContainersReady are True iff the phase is Running
 *       and every app container is ready). Kubernetes' own types come first in kubelet order, ECI's extra
 *       types ({@code ContainerInstanceCreated}...) after them in ECI's order.
 *   <li><b>podIP/podIPs</b>, <b>hostIP/hostIPs</b>: ECI's; the host IP is the pod IP when ECI gives none, as
 *       ACK shows it (an ECI instance is its own host).
 *   <li><b>startTime</b>: ECI's, else the one the pod already has.
 *   <li><b>qosClass</b>: computed from the spec ({@link QosClasses}).
 *   <li><b>containerStatuses</b>/<b>initContainerStatuses</b>: one per spec container, in spec order, matched to
 *       ECI's by name. Image is the spec's (what the pod asked for); container IDs are {@code
 *       eci://<containerGroupId>/<container name>}. A container ECI does not report yet waits, with reason
 *       {@code PodInitializing} while init containers are still to complete and {@code ContainerCreating}
 *       otherwise; an init container ECI does not report waits with {@code PodInitializing}, or counts as
 *       completed once an app container has started.
 * </ul>
 *
 * <p>Times are RFC 3339 with whole seconds. A derived condition keeps the pod's current {@code
 * lastTransitionTime} while its status is unchanged; when it changes, the time is the latest container start
 * or finish ECI reported, else the group's start time, else unset (the caller may stamp it).
 */
public final class PodStatusMapper {


  public static final String CONTAINER_CREATING = "ContainerCreating";
  public static final String POD_INITIALIZING = "PodInitializing";

  static final String POD_SCHEDULED = "PodScheduled";
  static final String INITIALIZED = "Initialized";
  static final String READY = "Ready";
  static final String CONTAINERS_READY = "ContainersReady";

  /** Kubernetes' pod condition types, in the order the kubelet lists them. */
  private static final List<String> KUBERNETES_CONDITIONS =
      List.of("PodReadyToStartContainers", INITIALIZED, READY, CONTAINERS_READY, POD_SCHEDULED);

  private static final Set<String> PHASES =
      Set.of(EciPhases.PENDING, EciPhases.RUNNING, EciPhases.SUCCEEDED, EciPhases.FAILED, EciPhases.UNKNOWN);

  /** Why a group ECI failed on its own is failed, for the statuses that say more than "Failed". */
  private static final Map<String, Failure> FAILURES =
      Map.of(
          "Expired", new Failure("Expired", "ECI reclaimed the spot instance"),
          "ScheduleFailed", new Failure("ScheduleFailed", "ECI could not create the container group"),
          "StartingFailed", new Failure("StartingFailed", "ECI could not start the container group in time"),
          "WatingForDel", new Failure("ScheduleFailed", "ECI could not create the container group"));

  private PodStatusMapper() {}

  /** The status of {@code pod}, whose group ECI describes as {@code eci}. */
  public static PodStatus toPodStatus(Pod pod, ContainerGroupStatus eci) {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(eci, "eci");
    DescribeContainerGroupStatusResponse.PodStatus eciPod = eci.podStatus();
    String phase = phase(eci.status(), eciPod == null ? null : eciPod.phase());

    Map<String, DescribeContainerGroupStatusResponse.ContainerStatus> reported = new HashMap<>();
    if (eciPod != null) {
      for (var status : eciPod.containerStatuses()) {
        if (status.name() != null) {
          reported.putIfAbsent(status.name(), status);
        }
      }
    }
    String groupId = eci.containerGroupId();
    List<Container> specContainers = containers(pod);
    List<Container> specInits = initContainers(pod);

    boolean appStarted =
        specContainers.stream().map(c -> reported.get(c.getName())).anyMatch(PodStatusMapper::hasStarted);
    List<ContainerStatus> initStatuses = new ArrayList<>();
    for (Container init : specInits) {
      var eciStatus = reported.get(init.getName());
      if (isReported(eciStatus)) {
        initStatuses.add(containerStatus(init, eciStatus, groupId));
      } else if (appStarted) {
        initStatuses.add(completedInit(init, groupId));
      } else {
        initStatuses.add(waiting(init, POD_INITIALIZING, null));
      }
    }
    boolean initialized = initStatuses.stream().allMatch(PodStatusMapper::completed);
    List<ContainerStatus> appStatuses = new ArrayList<>();
    for (Container container : specContainers) {
      var eciStatus = reported.get(container.getName());
      appStatuses.add(
          isReported(eciStatus)
              ? containerStatus(container, eciStatus, groupId)
              : waiting(container, initialized ? CONTAINER_CREATING : POD_INITIALIZING, null));
    }

    Instant startTime = eciPod == null ? null : eciPod.startTime();
    String start = startTime != null ? Rfc3339.format(startTime) : previous(pod).getStartTime();
    String evidence = latest(Stream.concat(initStatuses.stream(), appStatuses.stream()).toList(), start);

    Map<String, PodCondition> conditions = new LinkedHashMap<>();
    if (eciPod != null) {
      for (var condition : eciPod.conditions()) {
        if (condition.type() != null) {
          conditions.putIfAbsent(
              condition.type(),
              condition(
                  condition.type(), condition.status(), Rfc3339.format(condition.lastTransitionTime()),
                  condition.reason(), condition.message()));
        }
      }
    }
    conditions.put(POD_SCHEDULED, scheduled(pod, conditions.get(POD_SCHEDULED), start));
    deriveConditions(pod, phase, initStatuses, appStatuses, conditions, evidence);

    String podIp = null;
    List<String> podIps = new ArrayList<>();
    String hostIp = null;
    if (eciPod != null) {
      eciPod.podIps().stream().map(DescribeContainerGroupStatusResponse.PodIp::ip).filter(PodStatusMapper::present)
          .distinct().forEach(podIps::add);
      podIp = present(eciPod.podIp()) ? eciPod.podIp() : podIps.stream().findFirst().orElse(null);
      if (podIp != null && !podIps.contains(podIp)) {
        podIps.add(0, podIp);
      }
      hostIp = present(eciPod.hostIp()) ? eciPod.hostIp() : podIp;
    }

    PodStatus status = new PodStatus();
    status.setPhase(phase);
    Failure failure = EciPhases.FAILED.equals(phase) ? FAILURES.get(eci.status()) : null;
    if (failure != null) {
      status.setReason(failure.reason());
      status.setMessage(failure.message());
    }
    status.setConditions(ordered(conditions));
    status.setPodIP(podIp);
    status.setPodIPs(podIps.stream().map(PodIP::new).toList());
    status.setHostIP(hostIp);
    status.setHostIPs(hostIp == null ? List.of() : List.of(new HostIP(hostIp)));
    status.setStartTime(start);
    status.setQosClass(QosClasses.of(pod));
    status.setInitContainerStatuses(initStatuses);
    status.setContainerStatuses(appStatuses);
    return status;
  }

  /** Adds Initialized, Ready and ContainersReady where {@code conditions} lacks them. */
  private static void deriveConditions(
      Pod pod,
      String phase,
      List<ContainerStatus> initStatuses,
      List<ContainerStatus> appStatuses,
      Map<String, PodCondition> conditions,
      String evidence) {
    List<String> incomplete =
        initStatuses.stream().filter(s -> !completed(s)).map(ContainerStatus::getName).toList();
    conditions.computeIfAbsent(
        INITIALIZED,
        type ->
            incomplete.isEmpty()
                ? derived(pod, type, "True", null, null, evidence)
                : derived(
                    pod, type, "False", "ContainersNotInitialized",
                    "containers with incomplete status: [" + String.join(" ", incomplete) + "]", evidence));

    List<String> unready =
        appStatuses.stream().filter(s -> !Boolean.TRUE.equals(s.getReady())).map(ContainerStatus::getName).toList();
    boolean ready = EciPhases.RUNNING.equals(phase) && unready.isEmpty();
    for (String type : List.of(READY, CONTAINERS_READY)) {
      conditions.computeIfAbsent(
          type,
          t -> {
            if (ready) {
              return derived(pod, t, "True", null, null, evidence);
            }
            if (EciPhases.SUCCEEDED.equals(phase)) {
              return derived(pod, t, "False", "PodCompleted", null, evidence);
            }
            return derived(
                pod, t, "False", "ContainersNotReady",
                "containers with unready status: [" + String.join(" ", unready) + "]", evidence);
          });
    }
  }

  private static PodCondition derived(
      Pod pod, String type, String status, String reason, String message, String evidence) {
    PodCondition before = findCondition(previous(pod).getConditions(), type);
    String time =
        before != null && status.equals(before.getStatus()) && before.getLastTransitionTime() != null
            ? before.getLastTransitionTime()
            : evidence;
    return condition(type, status, time, reason, message);
  }

  /**
   * PodScheduled, always True. Its time is when Kubernetes scheduled the pod, if the pod says so, else that of
   * a True {@code reported} condition (ECI's), else {@code fallback}. Reason and message are kept only from a True
   * condition: those of a False one explain something that is no longer so.
   */
  private static PodCondition scheduled(Pod pod, PodCondition reported, String fallback) {
    PodCondition before = findCondition(previous(pod).getConditions(), POD_SCHEDULED);
    boolean reportedTrue = reported != null && "True".equals(reported.getStatus());
    String time;
    if (before != null && "True".equals(before.getStatus()) && before.getLastTransitionTime() != null) {
      time = before.getLastTransitionTime();
    } else if (reportedTrue && reported.getLastTransitionTime() != null) {
      time = reported.getLastTransitionTime();
    } else {
      time = fallback;
    }
    return condition(
        POD_SCHEDULED, "True", time, reportedTrue ? reported.getReason() : null,
        reportedTrue ? reported.getMessage() : null);
  }

  private static List<PodCondition> ordered(Map<String, PodCondition> conditions) {
    List<PodCondition> ordered = new ArrayList<>();
    for (String type : KUBERNETES_CONDITIONS) {
      if (conditions.containsKey(type)) {
        ordered.add(conditions.get(type));
      }
    }
    conditions.forEach((type, condition) -> {
      if (!KUBERNETES_CONDITIONS.contains(type)) {
        ordered.add(condition);
      }
    });
    return ordered;
  }

  private static PodCondition condition(String type, String status, String time, String reason, String message) {
    PodCondition condition = new PodCondition();
    condition.setType(type);
    condition.setStatus(status);
    condition.setLastTransitionTime(time);
    condition.setReason(reason);
    condition.setMessage(message);
    return condition;
  }

  private static String phase(String eciStatus, String eciPhase) {
    if (present(eciStatus)) {
      return EciPhases.phase(eciStatus);
    }
    return eciPhase != null && PHASES.contains(eciPhase) ? eciPhase : EciPhases.UNKNOWN;
  }

  private static ContainerStatus containerStatus(
      Container spec, DescribeContainerGroupStatusResponse.ContainerStatus eci, String groupId) {
    ContainerState state = state(eci.state(), spec.getName(), groupId);
    if (state.getWaiting() == null && state.getRunning() == null && state.getTerminated() == null) {
      state = waitingState(CONTAINER_CREATING, null);
    }
    ContainerStatus status = new ContainerStatus();
    status.setName(spec.getName());
    status.setImage(spec.getImage());
    status.setImageID(eci.imageId() == null ? "" : eci.imageId());
    status.setReady(Boolean.TRUE.equals(eci.ready()));
    status.setStarted(eci.started() != null ? eci.started() : state.getRunning() != null);
    status.setRestartCount(eci.restartCount() == null ? 0 : eci.restartCount());
    status.setState(state);
    status.setLastState(state(eci.lastState(), spec.getName(), groupId));
    if (state.getRunning() != null || state.getTerminated() != null) {
      status.setContainerID(containerId(groupId, spec.getName()));
    }
    return status;
  }

  private static ContainerState state(DescribeContainerGroupStatusResponse.State eci, String name, String groupId) {
    ContainerState state = new ContainerState();
    if (eci == null) {
      return state;
    }
    if (eci.terminated() != null) {
      var t = eci.terminated();
      int exitCode = t.exitCode() == null ? 0 : t.exitCode();
      ContainerStateTerminated terminated = new ContainerStateTerminated();
      terminated.setContainerID(containerId(groupId, name));
      terminated.setExitCode(exitCode);
      terminated.setSignal(t.signal());
      terminated.setReason(present(t.reason()) ? t.reason() : exitCode == 0 ? "Completed" : "Error");
      terminated.setMessage(t.message());
      terminated.setStartedAt(Rfc3339.format(t.startedAt()));
      terminated.setFinishedAt(Rfc3339.format(t.finishedAt()));
      state.setTerminated(terminated);
    } else if (eci.running() != null) {
      state.setRunning(new ContainerStateRunning(Rfc3339.format(eci.running().startedAt())));
    } else if (eci.waiting() != null) {
      String reason = present(eci.waiting().reason()) ? eci.waiting().reason() : CONTAINER_CREATING;
      state.setWaiting(new ContainerStateWaiting(eci.waiting().message(), reason));
    }
    return state;
  }

  private static ContainerStatus waiting(Container spec, String reason, String message) {
    ContainerStatus status = new ContainerStatus();
    status.setName(spec.getName());
    status.setImage(spec.getImage());
    status.setImageID("");
    status.setReady(false);
    status.setStarted(false);
    status.setRestartCount(0);
    status.setState(waitingState(reason, message));
    status.setLastState(new ContainerState());
    return status;
  }

  /** An init container ECI no longer reports although the app containers started: it must have succeeded. */
  private static ContainerStatus completedInit(Container spec, String groupId) {
    ContainerStateTerminated terminated = new ContainerStateTerminated();
    terminated.setContainerID(containerId(groupId, spec.getName()));
    terminated.setExitCode(0);
    terminated.setReason("Completed");
    ContainerState state = new ContainerState();
    state.setTerminated(terminated);
    ContainerStatus status = waiting(spec, null, null);
    status.setState(state);
    status.setContainerID(containerId(groupId, spec.getName()));
    return status;
  }


  private static ContainerState waitingState(String reason, String message) {
    ContainerState state = new ContainerState();
    state.setWaiting(new ContainerStateWaiting(message, reason));
    return state;
  }

  private static String containerId(String groupId, String name) {
    return "eci://" + groupId + "/" + name;
  }

  private static boolean isReported(DescribeContainerGroupStatusResponse.ContainerStatus eci) {
    return eci != null
        && eci.state() != null
        && (eci.state().waiting() != null || eci.state().running() != null || eci.state().terminated() != null);
  }

  private static boolean hasStarted(DescribeContainerGroupStatusResponse.ContainerStatus eci) {
    return eci != null && eci.state() != null && (eci.state().running() != null || eci.state().terminated() != null);
  }

  /** An init container that ran to success. */
  private static boolean completed(ContainerStatus status) {
    ContainerStateTerminated terminated = status.getState() == null ? null : status.getState().getTerminated();
    return terminated != null && Integer.valueOf(0).equals(terminated.getExitCode());
  }

  /** The latest container start or finish time, else {@code fallback}. RFC 3339 UTC strings sort by time. */
  private static String latest(List<ContainerStatus> statuses, String fallback) {
    Optional<String> latest =
        statuses.stream()
            .map(ContainerStatus::getState)
            .filter(Objects::nonNull)
            .flatMap(
                s ->
                    Stream.of(
                        s.getRunning() == null ? null : s.getRunning().getStartedAt(),
                        s.getTerminated() == null ? null : s.getTerminated().getStartedAt(),
                        s.getTerminated() == null ? null : s.getTerminated().getFinishedAt()))
            .filter(Objects::nonNull)
            .max(String::compareTo);
    return latest.orElse(fallback);
  }

  private static PodStatus previous(Pod pod) {
    return pod.getStatus() == null ? new PodStatus() : pod.getStatus();
  }

  private static List<Container> containers(Pod pod) {
    return pod.getSpec() == null ? List.of() : orEmpty(pod.getSpec().getContainers());
  }

  private static List<Container> initContainers(Pod pod) {
    return pod.getSpec() == null ? List.of() : orEmpty(pod.getSpec().getInitContainers());
  }

  private static ContainerStatus find(List<ContainerStatus> statuses, String name) {
    return orEmpty(statuses).stream().filter(s -> Objects.equals(s.getName(), name)).findFirst().orElse(null);
  }

  private static PodCondition findCondition(List<PodCondition> conditions, String type) {
    return orEmpty(conditions).stream().filter(c -> Objects.equals(c.getType(), type)).findFirst().orElse(null);
  }

  private static boolean present(String value) {
    return value != null && !value.isEmpty();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private record Failure(String reason, String message) {}
}
