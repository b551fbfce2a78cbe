package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.exec.ExecSessions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecContainerCommandActionTest {

    private final ActionsFixture fixture = new ActionsFixture();
    private final ExecSessions sessions = new ExecSessions(fixture.clock, new SecureRandom());
    private final ExecContainerCommandAction exec =
            new ExecContainerCommandAction(fixture.store, sessions, () -> "127.0.0.1:4711");

    private String runningGroup() {
        Map<String, String> create = ActionsFixture.minimalCreate("web-0");
        create.put("Container.1.EnvironmentVar.1.Key", "A");
        create.put("Container.1.EnvironmentVar.1.Value", "1");
        String id = fixture.create(create);
        fixture.clock.advance(Duration.ofSeconds(3));
        return id;
    }

    private JsonObject exec(String id, String command, String... more) {
        Map<String, String> params = new HashMap<>();
        params.put("RegionId", "cn-hangzhou");
        params.put("ContainerGroupId", id);
        params.put("ContainerName", "app");
        if (command != null) {
            params.put("Command", command);
        }
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        return exec.handle(ApiRequest.of(params));
    }

    private static void assertError(Runnable call, int status, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void answersASingleUseWebSocketUriAndHttpUrl() {
        String id = runningGroup();
        JsonObject answer = exec(id, "[\"sh\",\"-c\",\"echo hi\"]", "TTY", "true");
        String uri = answer.get("WebSocketUri").getAsString();
        assertThat(uri).matches("ws://127\\.0\\.0\\.1:4711/exec/\\?s=[A-Za-z0-9_-]{43}");
        String token = uri.substring(uri.indexOf("s=") + 2);
        assertThat(answer.get("HttpUrl").getAsString()).isEqualTo("http://127.0.0.1:4711/terminal?param=" + token);
        assertThat(answer.has("SyncResponse")).isFalse();
        assertThat(sessions.peek(token)).hasValueSatisfying(target -> {
            assertThat(target.command()).containsExactly("sh", "-c", "echo hi");
            assertThat(target.tty()).isTrue();
            assertThat(target.stdin()).isTrue();
            assertThat(target.hostname()).isEqualTo("web-0");
        });
        assertThat(sessions.redeem(token)).isPresent();
        assertThat(sessions.redeem(token)).isEmpty();
    }

    @Test
    void sessionsExpireAfterThirtySeconds() {
        String id = runningGroup();
        String uri = exec(id, "[\"env\"]").get("WebSocketUri").getAsString();
        String token = uri.substring(uri.indexOf("s=") + 2);
        fixture.clock.advance(Duration.ofSeconds(30));
        assertThat(sessions.redeem(token)).isEmpty();
    }

    @Test
    void syncRunsTheCommandAtOnce() {
        String id = runningGroup();
        JsonObject answer = exec(id, "[\"sh\",\"-c\",\"env; nope\"]", "Sync", "true");
        assertThat(answer.get("SyncResponse").getAsString()).isEqualTo("A=1\nnope: command not found\n");
        assertThat(answer.has("WebSocketUri")).isFalse();
    }

    @Test
    void validatesTheCommand() {
        String id = runningGroup();
        assertError(() -> exec(id, null), 400, "MissingParameter");
        assertError(() -> exec(id, "ls -l"), 400, "InvalidParameter");
        assertError(() -> exec(id, "[]"), 400, "InvalidParameter");
        assertError(() -> exec(id, "[1]"), 400, "InvalidParameter");
        assertError(() -> exec(id, "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\",\"m\","
                + "\"n\",\"o\",\"p\",\"q\",\"r\",\"s\",\"t\",\"u\"]"), 400, "InvalidParameter.ValueExceeded");
        assertError(() -> exec(id, "[\"echo\",\"" + "x".repeat(257) + "\"]"), 400, "InvalidParameter.ValueExceeded");
        assertThat(exec(id, "[\"echo\",\"" + "x".repeat(256) + "\"]").has("WebSocketUri")).isTrue();
        assertError(() -> exec(id, "[\"echo\"]", "Sync", "true", "TTY", "true"), 400, "InvalidParameter");
        assertError(() -> exec(id, "[\"/bin/bash\"]", "Sync", "true"), 400, "InvalidParameter");
    }

    @Test
    void needsARunningGroupAndAnExistingContainer() {
        String pending = fixture.createNamed("pending");
        assertError(() -> exec(pending, "[\"echo\"]"), 400, "IncorrectStatus");
        assertError(() -> exec("eci-missing", "[\"echo\"]"), 404, "InvalidContainerGroup.NotFound");
        String id = runningGroup();
        assertError(() -> exec.handle(ApiRequest.of(Map.of("RegionId", "cn-hangzhou", "ContainerGroupId", id,
                "ContainerName", "sidecar", "Command", "[\"echo\"]"))), 404, "InvalidContainerName.NotFound");
        fixture.delete(id, false);
        assertError(() -> exec(id, "[\"echo\"]"), 400, "IncorrectStatus");
    }
}
