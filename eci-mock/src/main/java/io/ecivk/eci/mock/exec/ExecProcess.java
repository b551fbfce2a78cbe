package io.ecivk.eci.mock.exec;

import io.ecivk.eci.mock.exec.ExecFraming.TerminalSize;
import io.ecivk.eci.mock.model.EnvVar;
import io.ecivk.eci.mock.model.VolumeMountSpec;
import io.ecivk.eci.mock.model.VolumeSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The simulated process behind one exec session: a tiny command interpreter working on the container's stored
 * spec. Commands: {@code echo ARGS}, {@code env} (the container's literal environment variables), {@code hostname},
 * {@code cat PATH...} (files of mounted ConfigFile volumes, base64-decoded), {@code cat} alone (copies stdin to
 * stdout until end of input), {@code stty size} (the latest terminal size, TTY only), {@code seq [FIRST] LAST} (the integers from FIRST,
 * default 1, to LAST, one a line, written only while the sink is writable), {@code true}, {@code false},
 * {@code exit [N]}, and {@code sh}/{@code bash} ({@code -c "a; b"} runs a script of such commands; without arguments
 * an interactive shell reading commands from stdin). Anything else: {@code NAME: command not found} on stderr and
 * exit code 127.
 * <p>
 * With a TTY it behaves like a terminal in cooked mode: input is echoed, a line is delivered on Enter, {@code ^C}
 * interrupts, {@code ^D} on an empty line ends input, output lines end in CRLF, stderr is merged into stdout and an
 * interactive shell prints a {@code "# "} prompt.
 * <p>
 * Not thread-safe: a session confines it to one thread (its channel's event loop). Nothing here blocks.
 */
public final class ExecProcess {

    /** Where the process's output goes. */
    public interface Sink {

        void stdout(byte[] data);

        void stderr(byte[] data);

        /** The process ended; called once, nothing follows. */
        void exit(int code);

        /**
         * Whether output may be written now. A generating command ({@code seq}) stops while not, until
         * {@link ExecProcess#outputDrained()}, as a process blocks on a full pipe.
         */
        default boolean writable() {
            return true;
        }
    }

    /** What the process waits for: nothing (runs), stdin for cat or the shell, or room for seq's output. */
    private enum Reader { NONE, CAT, SHELL, SEQ }

    /** Bytes of output seq writes at a time. */
    static final int SEQ_CHUNK = 8192;

    static final String PROMPT = "# ";

    private final ExecTarget target;
    private final Sink sink;
    private final Deque<List<String>> queue = new ArrayDeque<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<TerminalSize> resizes = new ArrayList<>();
    private Reader reader = Reader.NONE;
    private boolean interactive;
    private boolean stdinOpen;
    private boolean finished;
    /** The previous input byte was CR: a LF right after it belongs to the same Enter. */
    private boolean afterCr;
    private int lastExit;
    /** The next number seq prints, and its last one. */
    private long seqNext;
    private long seqLast;

    public ExecProcess(ExecTarget target, Sink sink) {
        this.target = target;
        this.sink = sink;
        this.stdinOpen = target.stdin();
    }

    /** Runs the command until it ends or waits for input. */
    public void start() {
        List<String> command = target.command();
        String name = basename(command.get(0));
        if (isShell(name)) {
            List<String> args = command.subList(1, command.size());
            if (args.isEmpty()) {
                interactive = true;
            } else if (args.get(0).equals("-c") && args.size() >= 2) {
                if (!enqueueScript(name, args.get(1))) {
                    finish(2);
                    return;
                }
            } else {
                error(name + ": " + args.get(0) + ": No such file or directory\n");
                finish(127);
                return;
            }
        } else {
            queue.add(command);
        }
        run();
    }

    /** Input from the client's stdin (ignored once input ended or when the session has no stdin). */
    public void stdin(byte[] data) {
        if (finished || !stdinOpen) {
            return;
        }
        if (target.tty()) {
            for (byte b : data) {
                if (finished) {
                    return;
                }
                terminalInput(b);
            }
        } else {
            rawInput(data);
        }
    }

    /** End of the client's stdin. */
    public void closeStdin() {
        if (finished || !stdinOpen) {
            return;
        }
        if (line.size() > 0 && reader == Reader.SHELL) {
            // A last line without a newline still runs, as in sh.
            deliverLine(takeLine());
        }
        endOfInput();
    }

    /** The client's terminal changed size; {@code stty size} answers the latest. */
    public void resize(TerminalSize size) {
        resizes.add(size);
    }

    /** Every size announced so far, oldest first. */
    public List<TerminalSize> resizes() {
        return List.copyOf(resizes);
    }

    /** Whether the process has exited. */
    public boolean finished() {
        return finished;
    }

    /** The client went away: the process ends without further output. */
    public void abandon() {
        finished = true;
    }

    private void run() {
        while (!finished && reader == Reader.NONE) {
            List<String> command = queue.poll();
            if (command == null) {
                if (interactive) {
                    if (!stdinOpen) {
                        finish(lastExit);
                        return;
                    }
                    if (target.tty()) {
                        out(PROMPT);
                    }
                    reader = Reader.SHELL;
                    return;
                }
                finish(lastExit);
                return;
            }
            execute(command);
        }
    }

    private void execute(List<String> command) {
        String name = basename(command.get(0));
        List<String> args = command.subList(1, command.size());
        switch (name) {
            case "echo" -> {
                out(String.join(" ", args) + "\n");
                lastExit = 0;
            }
            case "env" -> {
                StringBuilder env = new StringBuilder();
                for (EnvVar variable : target.container().environmentVars()) {
                    if (variable.value() != null) {
                        env.append(variable.key()).append('=').append(variable.value()).append('\n');
                    }
                }
                out(env.toString());
                lastExit = 0;
            }
            case "hostname" -> {
                out(target.hostname() + "\n");
                lastExit = 0;
            }
            case "true" -> lastExit = 0;
            case "false" -> lastExit = 1;
            case "cat" -> cat(args);
            case "stty" -> stty(args);
            case "seq" -> seq(args);
            case "exit" -> exit(args);
            case "sh", "bash" -> {
                if (args.size() >= 2 && args.get(0).equals("-c")) {
                    List<List<String>> script;
                    try {
                        script = ScriptParser.parse(args.get(1));
                    } catch (IllegalArgumentException e) {
                        error(name + ": " + e.getMessage() + "\n");
                        lastExit = 2;
                        return;
                    }
                    for (int i = script.size() - 1; i >= 0; i--) {
                        queue.addFirst(script.get(i));
                    }
                } else {
                    error(name + ": only \"" + name + " -c SCRIPT\" can be nested in the simulator\n");
                    lastExit = 2;
                }
            }
            default -> {
                error(command.get(0) + ": command not found\n");
                lastExit = 127;
            }
        }
    }

    private void cat(List<String> paths) {
        if (paths.isEmpty()) {
            if (stdinOpen) {
                reader = Reader.CAT;
            } else {
                lastExit = 0;
            }
            return;
        }
        lastExit = 0;
        for (String path : paths) {
            Optional<byte[]> content = file(path);
            if (content.isPresent()) {
                sink(content.get());
            } else {
                error("cat: " + path + ": No such file or directory\n");
                lastExit = 1;
            }
        }
    }

    private void stty(List<String> args) {
        if (!args.equals(List.of("size"))) {
            error("stty: only \"stty size\" is simulated\n");
            lastExit = 1;
        } else if (!target.tty()) {
            error("stty: 'standard input': Inappropriate ioctl for device\n");
            lastExit = 1;
        } else {
            TerminalSize size = resizes.isEmpty() ? new TerminalSize(0, 0) : resizes.get(resizes.size() - 1);
            out(size.height() + " " + size.width() + "\n");
            lastExit = 0;
        }
    }

    private void seq(List<String> args) {
        if (args.isEmpty() || args.size() > 2) {
            error(args.isEmpty() ? "seq: missing operand\n" : "seq: only \"seq [FIRST] LAST\" is simulated\n");
            lastExit = 1;
            return;
        }
        long[] bounds = new long[args.size()];
        for (int i = 0; i < args.size(); i++) {
            try {
                bounds[i] = Long.parseLong(args.get(i));
            } catch (NumberFormatException e) {
                error("seq: invalid floating point argument: '" + args.get(i) + "'\n");
                lastExit = 1;
                return;
            }
        }
        seqNext = bounds.length == 2 ? bounds[0] : 1;
        seqLast = bounds[bounds.length - 1];
        reader = Reader.SEQ;
        pumpSeq(false);
    }

    /** Writes seq's lines while the sink takes them; then the next command runs (from {@code run} if resumed). */
    private void pumpSeq(boolean resumed) {
        StringBuilder chunk = new StringBuilder(SEQ_CHUNK + 24);
        while (!finished && seqNext <= seqLast && sink.writable()) {
            while (seqNext <= seqLast && chunk.length() < SEQ_CHUNK) {
                chunk.append(seqNext++).append('\n');
            }
            out(chunk.toString());
            chunk.setLength(0);
        }
        if (!finished && seqNext > seqLast) {
            reader = Reader.NONE;
            lastExit = 0;
            if (resumed) {
                run();
            }
        }
    }

    /** The sink became writable again: a paused {@code seq} goes on. */
    public void outputDrained() {
        if (!finished && reader == Reader.SEQ) {
            pumpSeq(true);
        }
    }

    private void exit(List<String> args) {
        int code = lastExit;
        if (!args.isEmpty()) {
            try {
                code = Integer.parseInt(args.get(0)) & 0xff;
            } catch (NumberFormatException e) {
                error("exit: Illegal number: " + args.get(0) + "\n");
                code = 2;
            }
        }
        finish(code);
    }

    /** The content of a file under a ConfigFile volume mount of the container. */
    private Optional<byte[]> file(String path) {
        String wanted = normalize(path);
        for (VolumeMountSpec mount : target.container().volumeMounts()) {
            VolumeSpec volume = target.volumes().stream().filter(v -> v.name().equals(mount.name())).findFirst()
                    .orElse(null);
            if (volume == null || volume.configFile() == null) {
                continue;
            }
            for (VolumeSpec.ConfigFileToPath file : volume.configFile().files()) {
                String full = mount.subPath() != null && !mount.subPath().isEmpty()
                        ? (normalize(file.path()).equals(normalize(mount.subPath())) ? normalize(mount.mountPath()) : null)
                        : normalize(mount.mountPath() + "/" + file.path());
                if (wanted.equals(full)) {
                    return Optional.of(Base64.getDecoder().decode(file.content() == null ? "" : file.content()));
                }
            }
        }
        return Optional.empty();
    }

    private static String normalize(String path) {
        StringBuilder normal = new StringBuilder();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                normal.append('/').append(part);
            }
        }
        return normal.length() == 0 ? "/" : normal.toString();
    }

    private void rawInput(byte[] data) {
        int offset = 0;
        while (offset < data.length && !finished) {
            if (reader == Reader.CAT) {
                sink(java.util.Arrays.copyOfRange(data, offset, data.length));
                return;
            }
            if (reader != Reader.SHELL) {
                return;
            }
            byte b = data[offset++];
            if (b == '\n') {
                deliverLine(takeLine());
            } else {
                line.write(b);
            }
        }
    }

    /** Cooked-mode line discipline. */
    private void terminalInput(byte b) {
        boolean crlf = afterCr && b == '\n';
        afterCr = b == '\r';
        if (crlf) {
            return;
        }
        switch (b) {
            case 0x03 -> {
                out("^C\n");
                line.reset();
                if (reader == Reader.CAT || !interactive) {
                    reader = Reader.NONE;
                    queue.clear();
                    finishOrPrompt(130);
                } else {
                    lastExit = 130;
                    reader = Reader.NONE;
                    run();
                }
            }
            case 0x04 -> {
                if (line.size() == 0) {
                    endOfInput();
                }
            }
            case 0x7f, 0x08 -> {
                if (line.size() > 0) {
                    byte[] kept = line.toByteArray();
                    line.reset();
                    line.write(kept, 0, kept.length - 1);
                    out("\b \b");
                }
            }
            case '\r', '\n' -> {
                out("\n");
                deliverLine(takeLine());
            }
            default -> {
                line.write(b);
                sink.stdout(new byte[] {b});
            }
        }
    }

    private void finishOrPrompt(int code) {
        if (interactive) {
            lastExit = code;
            run();
        } else {
            finish(code);
        }
    }

    private String takeLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        return text;
    }

    private void deliverLine(String text) {
        if (reader == Reader.CAT) {
            out(text + "\n");
        } else if (reader == Reader.SHELL) {
            reader = Reader.NONE;
            String shell = basename(target.command().get(0));
            if (enqueueScript(shell, text)) {
                run();
            } else {
                lastExit = 2;
                run();
            }
        }
    }

    private boolean enqueueScript(String shell, String script) {
        try {
            queue.addAll(ScriptParser.parse(script));
            return true;
        } catch (IllegalArgumentException e) {
            error(shell + ": " + e.getMessage() + "\n");
            return false;
        }
    }

    private void endOfInput() {
        stdinOpen = false;
        if (reader == Reader.CAT) {
            reader = Reader.NONE;
            lastExit = 0;
            run();
        } else if (reader == Reader.SHELL) {
            reader = Reader.NONE;
            if (target.tty()) {
                out("exit\n");
            }
            finish(lastExit);
        }
    }

    private void finish(int code) {
        if (!finished) {
            finished = true;
            reader = Reader.NONE;
            sink.exit(code);
        }
    }

    /** Text for stdout; with a TTY, LF becomes CRLF. */
    private void out(String text) {
        sink(text.getBytes(StandardCharsets.UTF_8));
    }

    private void sink(byte[] data) {
        if (data.length == 0) {
            return;
        }
        sink.stdout(target.tty() ? crlf(data) : data);
    }

    /** Text for stderr; a TTY merges it into stdout. */
    private void error(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        if (target.tty()) {
            sink.stdout(crlf(data));
        } else {
            sink.stderr(data);
        }
    }

    private static byte[] crlf(byte[] data) {
        ByteArrayOutputStream converted = new ByteArrayOutputStream(data.length + 8);
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) {
                converted.write('\r');
            }
            converted.write(data[i]);
        }
        return converted.toByteArray();
    }

    private static boolean isShell(String name) {
        return name.equals("sh") || name.equals("bash");
    }

    private static String basename(String command) {
        int slash = command.lastIndexOf('/');
        return slash < 0 ? command : command.substring(slash + 1);
    }
}
