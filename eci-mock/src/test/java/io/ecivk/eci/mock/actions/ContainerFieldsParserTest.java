package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.model.ContainerGroupSpec;
import io.ecivk.eci.mock.model.ContainerSecurityContext;
import io.ecivk.eci.mock.model.ContainerSpec;
import io.ecivk.eci.mock.model.EnvVar;
import io.ecivk.eci.mock.model.HttpGetAction;
import io.ecivk.eci.mock.model.LifecycleHandler;
import io.ecivk.eci.mock.model.NameValue;
import io.ecivk.eci.mock.model.ProbeSpec;
import io.ecivk.eci.mock.model.TcpSocketAction;
import io.ecivk.eci.mock.model.VolumeMountSpec;
import io.ecivk.eci.mock.model.Region;
import io.ecivk.eci.mock.network.Ipv4Cidr;
import io.ecivk.eci.mock.network.VSwitch;
import io.ecivk.eci.mock.sizing.SpecTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Container and init container fields: literal parameters in, literal stored values or errors out. */
class ContainerFieldsParserTest {

    private final CreateRequestParser parser = new CreateRequestParser(new Region("cn-hangzhou", List.of(
            new VSwitch("vsw-a", "cn-hangzhou-i", Ipv4Cidr.parse("10.224.0.0/16"))), Set.of()),
            SpecTable.standard());

    private ContainerGroupSpec parse(Consumer<Map<String, String>> amend) {
        Map<String, String> params = new HashMap<>(ActionsFixture.minimalCreate("web-1"));
        amend.accept(params);
        return parser.parse(ApiRequest.of(params));
    }

    private static void assertRejected(Runnable call, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void storesStdinTtyGpuTerminationMessageAndFieldRefs() {
        ContainerSpec app = parse(p -> {
            p.put("Container.1.Gpu", "1");
            p.put("Container.1.Stdin", "true");
            p.put("Container.1.StdinOnce", "true");
            p.put("Container.1.Tty", "true");
            p.put("Container.1.TerminationMessagePath", "/dev/termination-log");
            p.put("Container.1.TerminationMessagePolicy", "FallbackToLogsOnError");
            p.put("Container.1.EnvironmentVar.1.Key", "POD_IP");
            p.put("Container.1.EnvironmentVar.1.FieldRef.FieldPath", "status.podIP");
        }).containers().get(0);
        assertThat(app.gpu()).isEqualTo(1);
        assertThat(app.stdin()).isTrue();
        assertThat(app.stdinOnce()).isTrue();
        assertThat(app.tty()).isTrue();
        assertThat(app.terminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(app.terminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        assertThat(app.environmentVars()).containsExactly(new EnvVar("POD_IP", null, "status.podIP"));
        ContainerSpec defaults = parse(p -> { }).containers().get(0);
        assertThat(defaults.gpu()).isZero();
        assertThat(defaults.stdin()).isFalse();
        assertThat(defaults.readinessProbe()).isNull();
        assertThat(defaults.postStart()).isNull();
        assertThat(defaults.securityContext()).isEqualTo(ContainerSecurityContext.NONE);
    }

    @Test
    void storesVolumeMountsWithSubPathAndPropagation() {
        ContainerSpec app = parse(p -> {
            p.put("Volume.1.Name", "data");
            p.put("Volume.1.Type", "EmptyDirVolume");
            p.put("Container.1.VolumeMount.1.Name", "data");
            p.put("Container.1.VolumeMount.1.MountPath", "/data");
            p.put("Container.1.VolumeMount.1.ReadOnly", "true");
            p.put("Container.1.VolumeMount.1.SubPath", "logs");
            p.put("Container.1.VolumeMount.1.MountPropagation", "HostToContainer");
        }).containers().get(0);
        assertThat(app.volumeMounts()).containsExactly(
                new VolumeMountSpec("data", "/data", true, "logs", "HostToContainer"));
    }

    @Test
    void storesProbesOfEachKind() {
        ContainerSpec app = parse(p -> {
            p.put("Container.1.ReadinessProbe.InitialDelaySeconds", "5");
            p.put("Container.1.ReadinessProbe.PeriodSeconds", "10");
            p.put("Container.1.ReadinessProbe.TimeoutSeconds", "2");
            p.put("Container.1.ReadinessProbe.SuccessThreshold", "1");
            p.put("Container.1.ReadinessProbe.FailureThreshold", "3");
            p.put("Container.1.ReadinessProbe.HttpGet.Path", "/ready");
            p.put("Container.1.ReadinessProbe.HttpGet.Port", "8080");
            p.put("Container.1.ReadinessProbe.HttpGet.Scheme", "HTTPS");
            p.put("Container.1.LivenessProbe.Exec.Command.1", "cat");
            p.put("Container.1.LivenessProbe.Exec.Command.2", "/tmp/healthy");
            p.put("Container.2.Name", "db");
            p.put("Container.2.Image", "mysql:8");
            p.put("Container.2.LivenessProbe.TcpSocket.Port", "3306");
        }).containers().get(0);
        assertThat(app.readinessProbe()).isEqualTo(new ProbeSpec(5, 10, 2, 1, 3, List.of(),
                new HttpGetAction(null, "/ready", 8080, "HTTPS", List.of()), null));
        assertThat(app.livenessProbe()).isEqualTo(new ProbeSpec(null, null, null, null, null,
                List.of("cat", "/tmp/healthy"), null, null));
        assertThat(parse(p -> {
            p.put("Container.1.LivenessProbe.TcpSocket.Port", "3306");
        }).containers().get(0).livenessProbe().tcpSocket()).isEqualTo(new TcpSocketAction(null, 3306));
    }

    @Test
    void aProbeNeedsExactlyOneHandlerAndValidNumbers() {
        assertRejected(() -> parse(p -> p.put("Container.1.ReadinessProbe.PeriodSeconds", "10")),
                "InvalidParameter", "The specified parameter \"Container.1.ReadinessProbe\" is not valid: "
                        + "a probe needs exactly one of Exec, HttpGet and TcpSocket, got 0.");
        assertRejected(() -> parse(p -> {
            p.put("Container.1.LivenessProbe.TcpSocket.Port", "80");
            p.put("Container.1.LivenessProbe.Exec.Command.1", "true");
        }), "InvalidParameter", "The specified parameter \"Container.1.LivenessProbe\" is not valid: "
                + "a probe needs exactly one of Exec, HttpGet and TcpSocket, got 2.");
        assertRejected(() -> parse(p -> p.put("Container.1.ReadinessProbe.HttpGet.Path", "/")),
                "MissingParameter", "The input parameter \"Container.1.ReadinessProbe.HttpGet.Port\" that is "
                        + "mandatory for processing this request is not supplied.");
        assertRejected(() -> parse(p -> p.put("Container.1.ReadinessProbe.TcpSocket.Port", "70000")),
                "InvalidParameter", "The specified parameter \"Container.1.ReadinessProbe.TcpSocket.Port\" is not "
                        + "valid: the value must be between 1 and 65535.");
        assertRejected(() -> parse(p -> {
            p.put("Container.1.ReadinessProbe.TcpSocket.Port", "80");
            p.put("Container.1.ReadinessProbe.PeriodSeconds", "often");
        }), "InvalidParameter", "The specified parameter \"Container.1.ReadinessProbe.PeriodSeconds\" is not "
                + "valid: \"often\" is not an integer.");
        assertRejected(() -> parse(p -> {
            p.put("Container.1.ReadinessProbe.HttpGet.Port", "80");
            p.put("Container.1.ReadinessProbe.HttpGet.Scheme", "FTP");
        }), "InvalidParameter", "The specified parameter \"Container.1.ReadinessProbe.HttpGet.Scheme\" is not "
                + "valid: \"FTP\" is not one of HTTP, HTTPS.");
    }

    @Test
    void storesSecurityContextAndRefusesPrivileged() {
        ContainerSecurityContext context = parse(p -> {
            p.put("Container.1.SecurityContext.Capability.Add.1", "NET_ADMIN");
            p.put("Container.1.SecurityContext.Capability.Add.2", "SYS_PTRACE");
            p.put("Container.1.SecurityContext.ReadOnlyRootFilesystem", "true");
            p.put("Container.1.SecurityContext.RunAsUser", "1000");
            p.put("Container.1.SecurityContextRunAsGroup", "3000");
            p.put("Container.1.SecurityContextRunAsNonRoot", "true");
            p.put("Container.1.SecurityContextPrivileged", "false");
        }).containers().get(0).securityContext();
        assertThat(context).isEqualTo(new ContainerSecurityContext(List.of("NET_ADMIN", "SYS_PTRACE"), true, 1000L,
                3000L, true, false));
        assertRejected(() -> parse(p -> p.put("Container.1.SecurityContextPrivileged", "true")),
                "InvalidParameter", "The specified parameter \"Container.1.SecurityContextPrivileged\" is not "
                        + "valid: privileged containers are only available to whitelisted users.");
        assertRejected(() -> parse(p -> p.put("Container.1.SecurityContext.RunAsUser", "-1")),
                "InvalidParameter", "The specified parameter \"Container.1.SecurityContext.RunAsUser\" is not "
                        + "valid: the value must be between 0 and 9223372036854775807.");
    }

    @Test
    void storesLifecycleHooks() {
        ContainerSpec app = parse(p -> {
            p.put("Container.1.LifecyclePostStartHandlerExec.1", "/bin/sh");
            p.put("Container.1.LifecyclePostStartHandlerExec.2", "-c");
            p.put("Container.1.LifecyclePreStopHandlerHttpGetHost", "10.0.0.1");
            p.put("Container.1.LifecyclePreStopHandlerHttpGetPath", "/stop");
            p.put("Container.1.LifecyclePreStopHandlerHttpGetPort", "8080");
            p.put("Container.1.LifecyclePreStopHandlerHttpGetScheme", "HTTP");
            p.put("Container.1.LifecyclePreStopHandlerHttpGetHttpHeader.1.Name", "X-Stop");
            p.put("Container.1.LifecyclePreStopHandlerHttpGetHttpHeader.1.Value", "now");
        }).containers().get(0);
        assertThat(app.postStart()).isEqualTo(new LifecycleHandler(List.of("/bin/sh", "-c"), null, null));
        assertThat(app.preStop()).isEqualTo(new LifecycleHandler(List.of(),
                new HttpGetAction("10.0.0.1", "/stop", 8080, "HTTP", List.of(new NameValue("X-Stop", "now"))),
                null));
        assertThat(parse(p -> {
            p.put("Container.1.LifecyclePreStopHandlerTcpSocketHost", "localhost");
            p.put("Container.1.LifecyclePreStopHandlerTcpSocketPort", "9000");
        }).containers().get(0).preStop()).isEqualTo(new LifecycleHandler(List.of(), null,
                new TcpSocketAction("localhost", 9000)));
        assertRejected(() -> parse(p -> {
            p.put("Container.1.LifecyclePreStopHandlerExec.1", "true");
            p.put("Container.1.LifecyclePreStopHandlerTcpSocketPort", "9000");
        }), "InvalidParameter", "The specified parameter \"Container.1.LifecyclePreStopHandler\" is not valid: "
                + "a lifecycle hook needs exactly one of Exec, HttpGet and TcpSocket, got 2.");
        assertRejected(() -> parse(p -> p.put("Container.1.LifecyclePostStartHandlerHttpGetPath", "/")),
                "MissingParameter", "The input parameter \"Container.1.LifecyclePostStartHandlerHttpGetPort\" that "
                        + "is mandatory for processing this request is not supplied.");
    }

    @Test
    void readsThePluralHeaderListOfTheUpdateModelToo() {
        ContainerSpec app = parse(p -> {
            p.put("Container.1.LifecyclePostStartHandlerHttpGetPath", "/warm");
            p.put("Container.1.LifecyclePostStartHandlerHttpGetPort", "8080");
            p.put("Container.1.LifecyclePostStartHandlerHttpGetHttpHeaders.1.Name", "X-Warm");
            p.put("Container.1.LifecyclePostStartHandlerHttpGetHttpHeaders.1.Value", "yes");
        }).containers().get(0);

        assertThat(app.postStart()).isEqualTo(new LifecycleHandler(List.of(),
                new HttpGetAction(null, "/warm", 8080, null, List.of(new NameValue("X-Warm", "yes"))), null));
    }

    @Test
    void initContainersKeepTheirOwnFields() {
        ContainerSpec init = parse(p -> {
            p.put("InitContainer.1.Name", "init");
            p.put("InitContainer.1.Image", "busybox");
            p.put("InitContainer.1.Gpu", "2");
            p.put("InitContainer.1.SecurityContext.RunAsUser", "0");
            p.put("InitContainer.1.TerminationMessagePolicy", "File");
        }).initContainers().get(0);
        assertThat(init.gpu()).isEqualTo(2);
        assertThat(init.securityContext().runAsUser()).isZero();
        assertThat(init.terminationMessagePolicy()).isEqualTo("File");
        assertThat(init.readinessProbe()).isNull();
    }

    @Test
    void validatesNamesPortsMountsAndArgs() {
        assertRejected(() -> parse(p -> {
            p.put("InitContainer.1.Name", "app");
            p.put("InitContainer.1.Image", "busybox");
        }), "InvalidParameter", "The specified parameter \"Container.1.Name\" is not valid: "
                + "container name \"app\" is used twice.");
        assertRejected(() -> parse(p -> p.put("Container.1.Port.1.Port", "0")), "InvalidParameter",
                "The specified parameter \"Container.1.Port.1.Port\" is not valid: "
                        + "the value must be between 1 and 65535.");
        assertRejected(() -> parse(p -> {
            p.put("Container.2.Name", "side");
            p.put("Container.2.Image", "envoy");
            p.put("Container.2.VolumeMount.1.Name", "missing");
            p.put("Container.2.VolumeMount.1.MountPath", "/m");
        }), "InvalidParameter", "The specified parameter \"Container.2.VolumeMount.1.Name\" is not valid: "
                + "no volume named \"missing\" is declared.");
        assertRejected(() -> parse(p -> {
            p.put("Volume.1.Name", "data");
            p.put("Volume.1.Type", "EmptyDirVolume");
            p.put("Container.1.VolumeMount.1.Name", "data");
            p.put("Container.1.VolumeMount.1.SubPath", "logs");
        }), "MissingParameter", "The input parameter \"Container.1.VolumeMount.1.MountPath\" that is mandatory "
                + "for processing this request is not supplied.");
        assertRejected(() -> parse(p -> {
            for (int i = 1; i <= 11; i++) {
                p.put("Container.1.Arg." + i, "a" + i);
            }
        }), "InvalidParameter", "The specified parameter \"Container.1.Arg\" is not valid: "
                + "at most 10 items may be given, got 11.");
        assertRejected(() -> parse(p -> p.put("Container.1.Gpu", "one")), "InvalidParameter",
                "The specified parameter \"Container.1.Gpu\" is not valid: \"one\" is not an integer.");
        assertRejected(() -> parse(p -> p.put("Container.1.Stdin", "yes")), "InvalidParameter",
                "The specified parameter \"Container.1.Stdin\" is not valid: expected true or false.");
        assertRejected(() -> parse(p -> p.put("Container.1.TerminationMessagePolicy", "Never")),
                "InvalidParameter", "The specified parameter \"Container.1.TerminationMessagePolicy\" is not valid: "
                        + "\"Never\" is not one of FallbackToLogsOnError, File.");
    }
}
