package io.ecivk.eci.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecivk.eci.client.EciClientConfig;
import io.ecivk.eci.client.EciCredentials;
import io.ecivk.eci.client.TeaEciClient;
import io.ecivk.eci.client.model.Container;
import io.ecivk.eci.client.model.CreateContainerGroupRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsRequest;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerGroup;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ContainerInfo;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.EnvironmentVarInfo;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.InitContainerInfo;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.ProbeInfo;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.SecurityContextInfo;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.VolumeInfo;
import io.ecivk.eci.client.model.DescribeContainerGroupsResponse.VolumeMountInfo;
import io.ecivk.eci.client.model.EnvironmentVar;
import io.ecivk.eci.client.model.Probe;
import io.ecivk.eci.client.model.Volume;
import io.ecivk.eci.client.model.VolumeMount;
import io.ecivk.eci.mock.EciSimulator;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every named mapping case of {@link PodFieldsMappingTest} and {@link ResolvedPodMappingTest}, sent through the
 * real client ({@link TeaEciClient}) to the simulator: the simulator accepts it, and what DescribeContainerGroups
 * echoes (containers, init containers, env, mounts, probes, security contexts, volumes with their file contents,
 * DNS, host aliases, sysctls and the group fields the echo has) is what the mapping sent, field by field.
 * Registry credentials are accepted but, like on the real API, never echoed.
 */
class MappingConformanceIT {
  private static final String AK = "LTAI5tMAPPING";
  private static final String SECRET = "FAKEsecretFAKEsecretFAKEsecret00";

  private EciSimulator simulator;
  private TeaEciClient client;

  @BeforeEach
  void start() {
    simulator = EciSimulator.builder().port(0).region("cn-hangzhou").accessKey(AK, SECRET)
        .vswitch("vsw-bp1a", "cn-hangzhou-j", "10.224.0.0/20")
        .vswitch("vsw-bp1b", "cn-hangzhou-k", "10.224.16.0/20")
        .vswitch("vsw-x1", "cn-hangzhou-i", "10.225.0.0/20")
        .vswitch("vsw-x2", "cn-hangzhou-j", "10.225.16.0/20")
        .vswitch("vsw-x3", "cn-hangzhou-k", "10.225.32.0/20")
        .clock(new ManualClock(Instant.now())).build();
    simulator.start();
    client = new TeaEciClient(EciClientConfig.of(URI.create("http://127.0.0.1:" + simulator.port()), "cn-hangzhou",
        EciCredentials.accessKey(AK, SECRET)));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  static Stream<Arguments> cases() {
    Stream<Arguments> fields = PodFieldsMappingTest.mapped().map(a -> {
      Object[] args = a.get();
      return Arguments.of(args[0], args[1], ResolvedPod.of((Pod) args[2]));
    });
    Stream<Arguments> resolved = ResolvedPodMappingTest.mapped().map(a -> {
      Object[] args = a.get();
      return Arguments.of(args[0], PodFieldsMappingTest.NO_DNS, args[1]);
    });
    return Stream.concat(fields, resolved);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theSimulatorStoresWhatTheMappingSent(String name, MappingContext ctx, ResolvedPod pod) {
    CreateContainerGroupRequest request = PodMapper.map(pod, ctx).request();

    String id = client.createContainerGroup(request).containerGroupId();
    ContainerGroup group = client.describeContainerGroups(DescribeContainerGroupsRequest.byIds(List.of(id)))
        .containerGroups().get(0);

    assertThat(group.containerGroupName()).isEqualTo(request.containerGroupName());
    assertThat(group.restartPolicy()).isEqualTo(request.restartPolicy());
    assertThat(group.securityGroupId()).isEqualTo(request.securityGroupId());
    assertThat(request.vSwitchIds()).contains(group.vSwitchId());
    assertThat(group.tags()).containsExactlyElementsOf(request.tags());
    assertThat(group.containers()).extracting(MappingConformanceIT::echoed)
        .containsExactlyElementsOf(request.containers().stream().map(c -> sent(c, false)).toList());
    assertThat(group.initContainers()).extracting(MappingConformanceIT::echoed)
        .containsExactlyElementsOf(request.initContainers().stream().map(c -> sent(c, true)).toList());
    assertThat(group.volumes()).extracting(MappingConformanceIT::echoed)
        .containsExactlyElementsOf(request.volumes().stream().map(MappingConformanceIT::sent).toList());
    assertThat(emptyToNull(group.dnsPolicy())).isEqualTo(request.dnsPolicy());
    if (request.dnsConfig() == null) {
      assertThat(group.dnsConfig()).isNull();
    } else {
      assertThat(group.dnsConfig().nameServers()).isEqualTo(request.dnsConfig().nameServers());
      assertThat(group.dnsConfig().searches()).isEqualTo(request.dnsConfig().searches());
      assertThat(group.dnsConfig().options()).extracting(o -> o.name() + "=" + emptyToNull(o.value()))
          .isEqualTo(request.dnsConfig().options().stream().map(o -> o.name() + "=" + o.value()).toList());
    }
    assertThat(group.hostAliases()).extracting(h -> h.ip() + " " + h.hostnames())
        .isEqualTo(request.hostAliases().stream().map(h -> h.ip() + " " + h.hostnames()).toList());
    List<String> sysctls = group.eciSecurityContext() == null ? List.of()
        : group.eciSecurityContext().sysctls().stream().map(s -> s.name() + "=" + s.value()).toList();
    assertThat(sysctls).isEqualTo(request.sysctls().stream().map(s -> s.name() + "=" + s.value()).toList());
    assertThat(group.spotStrategy()).isEqualTo(request.spotStrategy() == null ? "NoSpot" : request.spotStrategy());
    assertThat(emptyToNull(group.ramRoleName())).isEqualTo(request.ramRoleName());
    assertThat(group.ephemeralStorage()).isEqualTo(request.ephemeralStorage());
    if (!request.computeCategories().isEmpty()) {
      assertThat(request.computeCategories()).contains(group.computeCategory());
    }
  }

  // ---- one comparable view per object, built the same way from what was sent and from what was echoed

  private static Map<String, Object> sent(Container c, boolean init) {
    return view(c.name(), c.image(), c.commands(), c.args(), c.workingDir(), c.gpu(),
        c.environmentVars().stream().map(MappingConformanceIT::env).toList(),
        c.ports().stream().map(p -> p.port() + "/" + p.protocol()).toList(),
        c.volumeMounts().stream().map(m -> mount(m, init)).toList(),
        init ? null : probe(c.livenessProbe()), init ? null : probe(c.readinessProbe()),
        c.securityContext() == null ? null : securityContext(c.securityContext().capabilityAdd(),
            c.securityContext().readOnlyRootFilesystem(), c.securityContext().runAsUser()),
        init ? List.of() : flags(c.stdin(), c.stdinOnce(), c.tty()));
  }

  private static Map<String, Object> echoed(ContainerInfo c) {
    return view(c.name(), c.image(), c.commands(), c.args(), c.workingDir(), c.gpu(),
        c.environmentVars().stream().map(MappingConformanceIT::env).toList(),
        c.ports().stream().map(p -> p.port() + "/" + p.protocol()).toList(),
        c.volumeMounts().stream().map(MappingConformanceIT::mount).toList(),
        probe(c.livenessProbe()), probe(c.readinessProbe()), securityContext(c.securityContext()),
        flags(c.stdin(), c.stdinOnce(), c.tty()));
  }

  private static Map<String, Object> echoed(InitContainerInfo c) {
    return view(c.name(), c.image(), c.commands(), c.args(), c.workingDir(), c.gpu(),
        c.environmentVars().stream().map(MappingConformanceIT::env).toList(),
        c.ports().stream().map(p -> p.port() + "/" + p.protocol()).toList(),
        c.volumeMounts().stream().map(MappingConformanceIT::mount).toList(), null, null,
        securityContext(c.securityContext()), List.of());
  }

  private static Map<String, Object> view(String name, String image, List<String> commands, List<String> args,
      String workingDir, Integer gpu, List<String> env, List<String> ports, List<String> mounts, String liveness,
      String readiness, String securityContext, List<String> flags) {
    Map<String, Object> view = new java.util.LinkedHashMap<>();
    view.put("name", name);
    view.put("image", image);
    view.put("commands", commands);
    view.put("args", args);
    view.put("workingDir", String.valueOf(workingDir == null || workingDir.isEmpty() ? null : workingDir));
    view.put("gpu", String.valueOf(gpu == null || gpu == 0 ? null : gpu));
    view.put("env", env);
    view.put("ports", ports);
    view.put("mounts", mounts);
    view.put("liveness", String.valueOf(liveness));
    view.put("readiness", String.valueOf(readiness));
    view.put("securityContext", String.valueOf(securityContext));
    view.put("flags", flags);
    return view;
  }

  private static String env(EnvironmentVar v) {
    return v.fieldPath() != null ? v.key() + "<-" + v.fieldPath() : v.key() + "=" + v.value();
  }

  private static String env(EnvironmentVarInfo v) {
    return v.fieldPath() != null ? v.key() + "<-" + v.fieldPath() : v.key() + "=" + (v.value() == null ? ""
        : v.value());
  }

  /** Init container mounts are echoed without SubPath (as the SDK's response model). */
  private static String mount(VolumeMount m, boolean init) {
    return m.name() + ":" + m.mountPath() + ":" + Boolean.TRUE.equals(m.readOnly()) + ":"
        + (init ? null : m.subPath()) + ":" + emptyToNull(m.mountPropagation());
  }

  private static String mount(VolumeMountInfo m) {
    return m.name() + ":" + m.mountPath() + ":" + Boolean.TRUE.equals(m.readOnly()) + ":"
        + emptyToNull(m.subPath()) + ":" + emptyToNull(m.mountPropagation());
  }

  private static String probe(Probe p) {
    if (p == null) {
      return null;
    }
    return List.of(String.valueOf(p.initialDelaySeconds()), String.valueOf(p.periodSeconds()),
        String.valueOf(p.timeoutSeconds()), String.valueOf(p.successThreshold()),
        String.valueOf(p.failureThreshold()),
        String.valueOf(p.execCommand() == null || p.execCommand().isEmpty() ? null : p.execCommand()),
        p.httpGet() == null ? "-" : p.httpGet().path() + "|" + p.httpGet().port() + "|" + p.httpGet().scheme(),
        String.valueOf(p.tcpSocketPort())).toString();
  }

  private static String probe(ProbeInfo p) {
    if (p == null) {
      return null;
    }
    return List.of(String.valueOf(p.initialDelaySeconds()), String.valueOf(p.periodSeconds()),
        String.valueOf(p.timeoutSeconds()), String.valueOf(p.successThreshold()),
        String.valueOf(p.failureThreshold()), String.valueOf(p.execs().isEmpty() ? null : p.execs()),
        p.httpGet() == null ? "-" : p.httpGet().path() + "|" + p.httpGet().port() + "|" + p.httpGet().scheme(),
        String.valueOf(p.tcpSocket() == null ? null : p.tcpSocket().port())).toString();
  }

  private static String securityContext(List<String> adds, Boolean readOnlyRoot, Long runAsUser) {
    if (adds.isEmpty() && readOnlyRoot == null && runAsUser == null) {
      return null;
    }
    return adds + "|" + Boolean.TRUE.equals(readOnlyRoot) + "|" + runAsUser;
  }

  private static String securityContext(SecurityContextInfo s) {
    return s == null ? null : securityContext(s.capabilityAdds(), s.readOnlyRootFilesystem(), s.runAsUser());
  }

  private static List<String> flags(Boolean stdin, Boolean stdinOnce, Boolean tty) {
    List<String> flags = new ArrayList<>();
    if (Boolean.TRUE.equals(stdin)) {
      flags.add("stdin");
    }
    if (Boolean.TRUE.equals(stdinOnce)) {
      flags.add("stdinOnce");
    }
    if (Boolean.TRUE.equals(tty)) {
      flags.add("tty");
    }
    return flags;
  }

  private static String sent(Volume v) {
    return switch (v.type()) {
      case Volume.EMPTY_DIR -> v.name() + " EmptyDir " + v.emptyDir().medium() + " " + v.emptyDir().sizeLimit();
      case Volume.NFS -> v.name() + " NFS " + v.nfs().server() + " " + v.nfs().path() + " "
          + Boolean.TRUE.equals(v.nfs().readOnly());
      case Volume.CONFIG_FILE -> v.name() + " ConfigFile " + v.configFile().files().stream()
          .map(f -> f.path() + "=" + f.content()).toList();
      default -> v.name() + " " + v.type();
    };
  }

  private static String echoed(VolumeInfo v) {
    return switch (v.type()) {
      case Volume.EMPTY_DIR -> v.name() + " EmptyDir " + emptyToNull(v.emptyDirVolumeMedium()) + " "
          + emptyToNull(v.emptyDirVolumeSizeLimit());
      case Volume.NFS -> v.name() + " NFS " + v.nfsVolumeServer() + " " + v.nfsVolumePath() + " "
          + Boolean.TRUE.equals(v.nfsVolumeReadOnly());
      case Volume.CONFIG_FILE -> v.name() + " ConfigFile " + v.configFileVolumeConfigFileToPaths().stream()
          .map(f -> f.path() + "=" + (f.content() == null ? "" : f.content())).toList();
      default -> v.name() + " " + v.type();
    };
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

}
