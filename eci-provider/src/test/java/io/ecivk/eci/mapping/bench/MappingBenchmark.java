package io.ecivk.eci.mapping.bench;

import io.ecivk.eci.mapping.ClusterDns;
import io.ecivk.eci.mapping.MappedPod;
import io.ecivk.eci.mapping.MappingContext;
import io.ecivk.eci.mapping.PodMapper;
import io.ecivk.eci.sizing.EciSpecTable;
import io.ecivk.spi.ResolvedPod;
import io.ecivk.spi.ResolvedPod.BoundPersistentVolume;
import io.ecivk.spi.ResolvedPod.FileVolume;
import io.ecivk.spi.ResolvedPod.RegistryCredential;
import io.ecivk.spi.ResolvedPod.VolumeFile;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What mapping a large pod costs: {@link PodMapper#map(ResolvedPod, MappingContext)} on a pod of 10 containers
 * (each with 12 resolved env variables, 2 ports, liveness and readiness probes, a preStop hook, a security context
 * and 20 mounts) and 20 volumes (8 file volumes of 3 files of 2 KiB each, rendered by the framework and
 * base64-encoded by the mapping; 6 emptyDirs; 4 NFS; 2 claims bound to NFS PersistentVolumes), with 2 registry
 * credentials and 4 ECI annotations. Target: under 1 ms per pod.
 *
 * <p>Method: a warm-up of {@value #WARMUP} mappings, then {@value #ROUNDS} timed rounds of {@value #PER_ROUND}
 * mappings each; every result feeds a sink so that the JIT cannot drop the work. Prints each round's ns/op and the
 * median. Run from the repository root (offline, without installing anything):
 *
 * <pre>
 * mvn -B -q -o -pl eci-provider -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -cp "eci-provider/target/test-classes:eci-provider/target/classes:$(cat eci-provider/target/bench.cp)" \
 *     io.ecivk.eci.mapping.bench.MappingBenchmark
 * </pre>
 */
public final class MappingBenchmark {
  static final int WARMUP = 20_000;
  static final int ROUNDS = 10;
  static final int PER_ROUND = 10_000;

  private MappingBenchmark() {}

  public static void main(String[] args) {
    ResolvedPod pod = pod();
    MappingContext ctx = new MappingContext("c-bench", "virtual-kubelet-cn-hangzhou-j", List.of("vsw-a", "vsw-b"),
        "sg-a", EciSpecTable.standard(), new ClusterDns(List.of("10.96.0.10"), "cluster.local"));
    MappedPod sample = PodMapper.map(pod, ctx);
    System.out.printf("pod: %d containers, %d volumes, %d files; request: %d containers, %d volumes%n",
        pod.pod().getSpec().getContainers().size(), pod.pod().getSpec().getVolumes().size(),
        pod.volumes().values().stream().mapToInt(v -> v instanceof FileVolume f ? f.files().size() : 0).sum(),
        sample.request().containers().size(), sample.request().volumes().size());

    long sink = 0;
    for (int i = 0; i < WARMUP; i++) {
      sink += PodMapper.map(pod, ctx).request().volumes().size();
    }
    double[] nsPerOp = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < PER_ROUND; i++) {
        sink += PodMapper.map(pod, ctx).request().containers().size();
      }
      nsPerOp[r] = (System.nanoTime() - start) / (double) PER_ROUND;
      System.out.printf("round %2d: %,10.0f ns/op%n", r + 1, nsPerOp[r]);
    }
    Arrays.sort(nsPerOp);
    double median = (nsPerOp[ROUNDS / 2 - 1] + nsPerOp[ROUNDS / 2]) / 2;
    System.out.printf("median: %,.0f ns/op (%.3f ms), min %,.0f, max %,.0f; goal < 1 ms: %s (sink %d)%n",
        median, median / 1e6, nsPerOp[0], nsPerOp[ROUNDS - 1], median < 1_000_000 ? "met" : "MISSED", sink);
  }

  static ResolvedPod pod() {
    List<Volume> volumes = new ArrayList<>();
    Map<String, ResolvedPod.ResolvedVolume> resolved = new HashMap<>();
    byte[] content = new byte[2048];
    Arrays.fill(content, (byte) 'x');
    for (int i = 0; i < 8; i++) {
      String name = "cfg-" + i;
      volumes.add(new VolumeBuilder().withName(name).withNewConfigMap().withName(name).endConfigMap().build());
      resolved.put(name, new FileVolume(List.of(new VolumeFile("a.conf", content, 0644),
          new VolumeFile("b.conf", content, 0644), new VolumeFile("dir/c.conf", content, 0400))));
    }
    for (int i = 0; i < 6; i++) {
      volumes.add(new VolumeBuilder().withName("scratch-" + i).withNewEmptyDir().withMedium(i % 2 == 0 ? "Memory" : "")
          .withSizeLimit(new Quantity("256Mi")).endEmptyDir().build());
    }
    for (int i = 0; i < 4; i++) {
      volumes.add(new VolumeBuilder().withName("nfs-" + i).withNewNfs().withServer("nas.example").withPath("/s" + i)
          .endNfs().build());
    }
    for (int i = 0; i < 2; i++) {
      String name = "claim-" + i;
      volumes.add(new VolumeBuilder().withName(name).withNewPersistentVolumeClaim().withClaimName(name)
          .endPersistentVolumeClaim().build());
      resolved.put(name, new BoundPersistentVolume(name, new PersistentVolumeBuilder().withNewMetadata()
          .withName("pv-" + i).endMetadata().withNewSpec().withNewNfs().withServer("nas.example").withPath("/pv" + i)
          .endNfs().endSpec().build(), false));
    }
    List<VolumeMount> mounts = volumes.stream().map(v -> new VolumeMountBuilder().withName(v.getName())
        .withMountPath("/mnt/" + v.getName()).withReadOnly(v.getConfigMap() != null).build()).toList();

    List<Container> containers = new ArrayList<>();
    Map<String, List<EnvVar>> env = new LinkedHashMap<>();
    for (int c = 0; c < 10; c++) {
      String name = "c" + c;
      containers.add(new ContainerBuilder().withName(name).withImage("registry.example.com/app/" + name + ":1.0")
          .withCommand("/bin/app").withArgs("--port=8080", "--verbose")
          .withNewResources().addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("512Mi"))
          .endResources()
          .addNewPort().withName("http").withContainerPort(8080 + c).endPort()
          .addNewPort().withName("metrics").withContainerPort(9100 + c).endPort()
          .withNewLivenessProbe().withNewHttpGet().withPath("/healthz").withPort(new IntOrString("http"))
          .endHttpGet().withPeriodSeconds(10).endLivenessProbe()
          .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString("http")).endTcpSocket()
          .endReadinessProbe()
          .withNewLifecycle().withNewPreStop().withNewExec().withCommand("sh", "-c", "sleep 5").endExec()
          .endPreStop().endLifecycle()
          .withNewSecurityContext().withRunAsUser(1000L).withAllowPrivilegeEscalation(false).withNewCapabilities()
          .withDrop("ALL").endCapabilities().endSecurityContext()
          .withVolumeMounts(mounts)
          .build());
      List<EnvVar> vars = new ArrayList<>();
      for (int e = 0; e < 10; e++) {
        vars.add(new EnvVarBuilder().withName("VAR_" + e).withValue("value-" + e).build());
      }
      vars.add(new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef()
          .withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
      vars.add(new EnvVarBuilder().withName("KUBERNETES_SERVICE_HOST").withValue("10.96.0.1").build());
      env.put(name, vars);
    }
    Pod pod = new PodBuilder()
        .withNewMetadata().withNamespace("bench").withName("big-7d4b9c6f5-x2k8p")
        .withUid("6f1c2a9e-0c47-4b8e-9d3a-1f0e8c7b5a21")
        .addToAnnotations("k8s.aliyun.com/eci-use-specs", "8-16Gi,ecs.c6.2xlarge")
        .addToAnnotations("k8s.aliyun.com/eci-spot-strategy", "SpotAsPriceGo")
        .addToAnnotations("k8s.aliyun.com/eci-custom-tags", "team:shop,env:prod")
        .addToAnnotations("kubernetes.io/egress-bandwidth", "100M")
        .endMetadata()
        .withNewSpec().withDnsPolicy("ClusterFirst").withContainers(containers).withVolumes(volumes)
        .withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()
        .addNewImagePullSecret("acr").addNewImagePullSecret("hub")
        .endSpec().build();
    return new ResolvedPod(pod, env, resolved, List.of(
        new RegistryCredential("registry.example.com", "robot", "pw1"),
        new RegistryCredential("https://index.docker.io/v1/", "me", "pw2")));
  }
}
