package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import io.ecivk.eci.mock.api.ApiAction;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.api.Params;
import io.ecivk.eci.mock.exec.ExecProcess;
import io.ecivk.eci.mock.exec.ExecSessions;
import io.ecivk.eci.mock.exec.ExecTarget;
import io.ecivk.eci.mock.model.ContainerGroup;
import io.ecivk.eci.mock.model.ContainerGroupStore;
import io.ecivk.eci.mock.model.ContainerSpec;
import io.ecivk.eci.mock.model.ContainerState;
import io.ecivk.eci.mock.model.EciStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code ExecContainerCommand} (eci-openapi.md §3.4): {@code ContainerGroupId}, {@code ContainerName} and
 * {@code Command} (a JSON array of at most 20 strings of at most 256 characters) are required; {@code TTY} defaults
 * to false, {@code Stdin} to true, {@code Sync} to false. {@code Sync=true} needs {@code TTY=false} and a command
 * other than {@code /bin/bash}; it runs the command at once, without input, and answers its output as
 * {@code SyncResponse}. Otherwise the answer carries a single-use {@code WebSocketUri} and an {@code HttpUrl}, both
 * valid {@link ExecSessions#VALIDITY}, served by the simulator's exec endpoint. The group must be Running and the
 * container running.
 */
public final class ExecContainerCommandAction implements ApiAction {

    static final int MAX_COMMAND_ELEMENTS = 20;
    static final int MAX_ELEMENT_LENGTH = 256;

    private final ContainerGroupStore store;
    private final ExecSessions sessions;
    private final Supplier<String> execEndpoint;

    /** @param execEndpoint {@code host:port} of the exec endpoint, known once the simulator has started */
    public ExecContainerCommandAction(ContainerGroupStore store, ExecSessions sessions,
            Supplier<String> execEndpoint) {
        this.store = store;
        this.sessions = sessions;
        this.execEndpoint = execEndpoint;
    }

    @Override
    public String name() {
        return "ExecContainerCommand";
    }

    @Override
    public JsonObject handle(ApiRequest request) {
        Params params = request.params();
        String id = params.required("ContainerGroupId");
        String containerName = params.required("ContainerName");
        List<String> command = command(params.required("Command"));
        boolean tty = params.bool("TTY").orElse(false);
        boolean stdin = params.bool("Stdin").orElse(true);
        boolean sync = params.bool("Sync").orElse(false);
        if (sync && tty) {
            throw ApiException.invalidParameter("TTY", "TTY must be false when Sync is true.");
        }
        if (sync && command.get(0).equals("/bin/bash")) {
            throw ApiException.invalidParameter("Command", "/bin/bash cannot be run with Sync=true.");
        }
        ContainerGroupStore.Snapshot snapshot = store.snapshot();
        ContainerGroup group = snapshot.groups().stream().filter(g -> g.id().equals(id)).findFirst()
                .orElseThrow(() -> new ApiException(404, "InvalidContainerGroup.NotFound",
                        "The specified container group \"" + id + "\" does not exist."));
        EciStatus status = group.statusAt(snapshot.at());
        if (status != EciStatus.RUNNING) {
            throw new ApiException(400, "IncorrectStatus", "The container group \"" + id + "\" is "
                    + status.wireName() + "; commands can only be run in a Running container group.");
        }
        ContainerSpec container = group.spec().containers().stream()
                .filter(c -> c.name().equals(containerName)).findFirst()
                .orElseThrow(() -> new ApiException(404, "InvalidContainerName.NotFound",
                        "The specified container \"" + containerName + "\" does not exist in \"" + id + "\"."));
        ContainerState state = ContainerState.of(group, container, false, snapshot.at());
        if (!"Running".equals(state.state())) {
            throw new ApiException(400, "IncorrectStatus", "The container \"" + containerName + "\" is "
                    + state.state() + "; commands can only be run in a running container.");
        }
        String hostName = group.spec().options().hostName();
        ExecTarget target = new ExecTarget(id, hostName != null && !hostName.isEmpty() ? hostName
                : group.spec().name(), container, group.spec().volumes(), command, tty, stdin && !sync);
        JsonObject answer = new JsonObject();
        if (sync) {
            answer.addProperty("SyncResponse", runNow(target));
            return answer;
        }
        String token = sessions.issue(target);
        String endpoint = execEndpoint.get();
        answer.addProperty("WebSocketUri", "ws://" + endpoint + "/exec/?s=" + token);
        answer.addProperty("HttpUrl", "http://" + endpoint + "/terminal?param=" + token);
        return answer;
    }

    /** Runs without input; stdout then stderr, as text. Ends synchronously because no input can arrive. */
    private static String runNow(ExecTarget target) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ExecProcess process = new ExecProcess(target, new ExecProcess.Sink() {
            @Override
            public void stdout(byte[] data) {
                stdout.writeBytes(data);
            }

            @Override
            public void stderr(byte[] data) {
                stderr.writeBytes(data);
            }

            @Override
            public void exit(int code) {
                // The answer has no field for the exit code.
            }
        });
        process.start();
        if (!process.finished()) {
            throw new IllegalStateException("a process without input did not finish");
        }
        stdout.writeBytes(stderr.toByteArray());
        return stdout.toString(StandardCharsets.UTF_8);
    }

    /** Parses and checks the {@code Command} JSON array. */
    static List<String> command(String raw) {
        JsonArray array;
        try {
            JsonElement parsed = JsonParser.parseString(raw);
            if (!parsed.isJsonArray()) {
                throw ApiException.invalidParameter("Command", "expected a JSON array of strings.");
            }
            array = parsed.getAsJsonArray();
        } catch (JsonSyntaxException e) {
            throw ApiException.invalidParameter("Command", "expected a JSON array of strings.");
        }
        if (array.isEmpty()) {
            throw ApiException.invalidParameter("Command", "the command must not be empty.");
        }
        if (array.size() > MAX_COMMAND_ELEMENTS) {
            throw new ApiException(400, "InvalidParameter.ValueExceeded", "The specified parameter \"Command\" "
                    + "has " + array.size() + " elements; at most " + MAX_COMMAND_ELEMENTS + " are allowed.");
        }
        List<String> command = new ArrayList<>();
        for (JsonElement element : array) {
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
                throw ApiException.invalidParameter("Command", "expected a JSON array of strings.");
            }
            String value = element.getAsString();
            if (value.length() > MAX_ELEMENT_LENGTH) {
                throw new ApiException(400, "InvalidParameter.ValueExceeded", "The specified parameter \"Command\" "
                        + "has an element of " + value.length() + " characters; at most " + MAX_ELEMENT_LENGTH
                        + " are allowed.");
            }
            command.add(value);
        }
        if (command.get(0).isEmpty()) {
            throw ApiException.invalidParameter("Command", "the program name must not be empty.");
        }
        return command;
    }
}
