package io.ecivk.agent.burst;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.agent.burst.BurstMarkers.Route;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BurstDecisionTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Fit NO_ROOM = Fit.refused("Resources", "insufficient cpu");

  /** name, pod, route, seconds since T0, delay seconds, fit, expected decision. */
  static Stream<Arguments> cases() {
    Pod unschedulable = pod(p -> p.editStatus().addNewCondition().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withLastTransitionTime("2026-11-23T10:00:00Z").endCondition().endStatus());
    return Stream.of(
        Arguments.of("no marker", unschedulable, Route.NONE, 0, 0, Fit.fits(), new BurstDecision.Skip("no ECI marker")),
        Arguments.of("burst, unschedulable, no delay", unschedulable, Route.BURST, 7, 0, Fit.fits(),
            new BurstDecision.Bind(Route.BURST, Duration.ofSeconds(7))),
        Arguments.of("burst, unschedulable 10 s of a 30 s delay", unschedulable, Route.BURST, 10, 30, Fit.fits(),
            new BurstDecision.Wait(Duration.ofSeconds(20))),
        Arguments.of("burst, delay just passed", unschedulable, Route.BURST, 30, 30, Fit.fits(),
            new BurstDecision.Bind(Route.BURST, Duration.ofSeconds(30))),
        Arguments.of("burst, delay passed, does not fit", unschedulable, Route.BURST, 31, 30, NO_ROOM,
            new BurstDecision.Refuse(NO_ROOM)),
        Arguments.of("burst, not yet looked at by the scheduler", pod(p -> p), Route.BURST, 0, 0, Fit.fits(),
            new BurstDecision.Skip("not marked Unschedulable by the scheduler")),
        Arguments.of("burst, PodScheduled=False for another reason", pod(p -> p.editStatus().addNewCondition()
                .withType("PodScheduled").withStatus("False").withReason("SchedulerError").endCondition().endStatus()),
            Route.BURST, 0, 0, Fit.fits(), new BurstDecision.Skip("not marked Unschedulable by the scheduler")),
        Arguments.of("burst, no transition time: the delay starts now", pod(p -> p.editStatus().addNewCondition()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable").endCondition().endStatus()),
            Route.BURST, 5, 30, Fit.fits(), new BurstDecision.Wait(Duration.ofSeconds(30))),
        Arguments.of("direct, never looked at by the scheduler", pod(p -> p), Route.DIRECT, 0, 30, Fit.fits(),
            new BurstDecision.Bind(Route.DIRECT, Duration.ZERO)),
        Arguments.of("direct ignores the delay", unschedulable, Route.DIRECT, 3, 30, Fit.fits(),
            new BurstDecision.Bind(Route.DIRECT, Duration.ofSeconds(3))),
        Arguments.of("direct, does not fit", pod(p -> p), Route.DIRECT, 0, 0, NO_ROOM,
            new BurstDecision.Refuse(NO_ROOM)),
        Arguments.of("already bound", pod(p -> p.editSpec().withNodeName("ecs-1").endSpec()), Route.DIRECT, 0, 0,
            Fit.fits(), new BurstDecision.Skip("already bound")),
        Arguments.of("being deleted", pod(p -> p.editMetadata().withDeletionTimestamp("2026-11-23T09:59:00Z")
            .endMetadata()), Route.DIRECT, 0, 0, Fit.fits(), new BurstDecision.Skip("being deleted")),
        Arguments.of("failed", pod(p -> p.editStatus().withPhase("Failed").endStatus()), Route.DIRECT, 0, 0,
            Fit.fits(), new BurstDecision.Skip("phase Failed")),
        Arguments.of("scheduling gates", pod(p -> p.editSpec().addNewSchedulingGate().withName("quota")
            .endSchedulingGate().endSpec()), Route.DIRECT, 0, 0, Fit.fits(),
            new BurstDecision.Skip("scheduling gates")),
        Arguments.of("nominated for preemption", pod(p -> p.editStatus().withNominatedNodeName("ecs-1").endStatus()),
            Route.BURST, 0, 0, Fit.fits(), new BurstDecision.Skip("nominated to node ecs-1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decide(String name, Pod pod, Route route, int secondsAfterT0, int delaySeconds, Fit fit,
      BurstDecision expected) {
    ManualClock clock = new ManualClock(T0);
    clock.advance(Duration.ofSeconds(secondsAfterT0));

    BurstDecision decision = BurstDecision.decide(pod, route, clock.instant(), Duration.ofSeconds(delaySeconds),
        () -> fit);

    assertThat(decision).isEqualTo(expected);
  }

  @Test
  void fitIsOnlyCheckedWhenEverythingElseSaysBind() {
    AtomicInteger checks = new AtomicInteger();
    ManualClock clock = new ManualClock(T0);
    Pod unschedulable = pod(p -> p.editStatus().addNewCondition().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withLastTransitionTime("2026-11-23T10:00:00Z").endCondition().endStatus());

    BurstDecision.decide(unschedulable, Route.BURST, clock.instant(), Duration.ofSeconds(30), () -> {
      checks.incrementAndGet();
      return Fit.fits();
    });
    assertThat(checks).hasValue(0);

    clock.advance(Duration.ofSeconds(30));
    BurstDecision.decide(unschedulable, Route.BURST, clock.instant(), Duration.ofSeconds(30), () -> {
      checks.incrementAndGet();
      return Fit.fits();
    });
    assertThat(checks).hasValue(1);
  }

  static Stream<Arguments> routes() {
    Namespace plain = new NamespaceBuilder().withNewMetadata().withName("burst").endMetadata().build();
    Namespace eci = new NamespaceBuilder().withNewMetadata().withName("burst")
        .addToLabels("alibabacloud.com/eci", "true")
        .endMetadata().build();
    return Stream.of(
        Arguments.of("nothing", pod(p -> p), plain, Route.NONE),
        Arguments.of("burst-resource=eci", annotated("eci"), plain, Route.BURST),
        Arguments.of("burst-resource=eci_only", annotated("eci_only"), plain, Route.DIRECT),
        Arguments.of("burst-resource=ecs is not ours", annotated("ecs"), plain, Route.NONE),
        Arguments.of("pod label", pod(p -> p.editMetadata().addToLabels("alibabacloud.com/eci", "true").endMetadata()),
            plain, Route.DIRECT),
        Arguments.of("pod label false", pod(p -> p.editMetadata().addToLabels("alibabacloud.com/eci", "false")
            .endMetadata()), plain, Route.NONE),
        Arguments.of("namespace label", pod(p -> p), eci, Route.DIRECT),
        Arguments.of("namespace label wins over burst", annotated("eci"), eci, Route.DIRECT),
        Arguments.of("namespace unknown", annotated("eci"), null, Route.BURST));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void route(String name, Pod pod, Namespace namespace, Route expected) {
    assertThat(BurstMarkers.route(pod, namespace)).isEqualTo(expected);
  }

  private static Pod annotated(String value) {
    return pod(p -> p.editMetadata().addToAnnotations("alibabacloud.com/burst-resource", value).endMetadata());
  }

  private static Pod pod(UnaryOperator<PodBuilder> edit) {
    return edit.apply(new PodBuilder()
        .withNewMetadata().withName("web-x").withNamespace("burst").withUid("uid-x").endMetadata()
        .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.15.4").endContainer().endSpec()
        .withNewStatus().withPhase("Pending").endStatus()).build();
  }
}
