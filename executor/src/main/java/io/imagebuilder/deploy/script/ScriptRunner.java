package io.imagebuilder.deploy.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.deploy.operation.OperationFailedException;
import io.imagebuilder.deploy.operation.OperationRequest;
import io.imagebuilder.deploy.operation.OperationResult;
import io.imagebuilder.deploy.operation.OperationRunner;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.tosca.topology.Implementation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Runs operations implemented by shell scripts ({@code .sh}) as {@code /bin/sh SCRIPT} on the local machine.
 * <p>
 * <b>Local only.</b> Scripts run where image-builder runs. An operation of a node hosted on a remote (SSH) host
 * fails before anything starts; use an Ansible playbook to run commands on a remote host. (A local script may
 * still reach remote hosts itself, e.g. with {@code DOCKER_HOST=ssh://…}.)
 * <p>
 * <b>Inputs</b> become environment variables named as the input: strings as they are, numbers and booleans as
 * their text, lists and maps as JSON, null as the empty string. The rest of the environment is image-builder's.
 * Secret inputs may be among them: the environment of a process is readable only by its owner (and root) on
 * Linux ({@code /proc/PID/environ} has mode 0400), unlike its argument list, which every user can read.
 * <p>
 * <b>Outputs.</b> The environment variable {@code IMAGE_BUILDER_OUTPUTS} names an empty file of mode 0600 in the
 * operation's work directory. The script may write {@code name=value} lines to it; each becomes an attribute of
 * the node and an output of the operation (value: the rest of the line after the first {@code =}, a string;
 * blank lines are ignored, a later line wins). The file is deleted after it is read.
 * <p>
 * The script's working directory is the operation's work directory (private to the run, removed afterwards);
 * the script finds files next to it through {@code $(dirname "$0")}. Its output is streamed line by line. A
 * non-zero exit status fails the operation, with the last non-empty line the script wrote to stderr as the
 * cause. A timeout or a cancellation stops the script and every process it started.
 */
public final class ScriptRunner implements OperationRunner {

    public static final String OUTPUTS_VARIABLE = "IMAGE_BUILDER_OUTPUTS";
    public static final String DEFAULT_SHELL = "/bin/sh";

    private final String shell;

    public ScriptRunner() {
        this(DEFAULT_SHELL);
    }

    public ScriptRunner(String shell) {
        this.shell = shell;
    }

    @Override
    public boolean handles(String primary) {
        return primary.toLowerCase(Locale.ROOT).endsWith(".sh");
    }

    @Override
    public OperationResult run(OperationRequest request) throws OperationFailedException {
        Implementation implementation = request.implementation();
        String name = implementation.primary();
        Path script = scriptPath(implementation);
        if (!Files.isRegularFile(script)) throw new OperationFailedException(request, "script not found: " + script);
        if (!request.host().local()) {
            throw new OperationFailedException(request, "script " + name + " cannot run on " + request.host()
                    .describe() + ": shell scripts run on the local machine only; use an Ansible playbook for"
                    + " remote hosts");
        }
        if (request.cancellation() != null && request.cancellation().isCancelled()) {
            throw new OperationFailedException(request, "cancelled");
        }
        Map<String, String> environment = environment(request);
        Path workDir = request.workDirectory().toAbsolutePath();
        Path outputsFile = workDir.resolve("outputs-" + UUID.randomUUID() + ".env");
        LineSink output = request.output() == null ? LineSink.DISCARD : request.output();
        LastLine lastError = new LastLine(output);
        try {
            Files.createDirectories(workDir);
            createPrivateFile(outputsFile);
            environment.put(OUTPUTS_VARIABLE, outputsFile.toString());
            ProcessResult result;
            try {
                result = ProcessRunner.run(ProcessRunner.command(shell, script.toString()), environment, workDir,
                        null, output, lastError, request.timeout(), request.cancellation());
            } catch (IOException e) {
                throw new OperationFailedException(request, "cannot run " + shell + ": " + e.getMessage());
            }
            if (result.cancelled()) throw new OperationFailedException(request, "cancelled");
            if (result.timedOut()) {
                throw OperationFailedException.timedOut(request, java.util.Map.of());
            }
            if (result.exitCode() != 0) {
                String cause = lastError.get();
                throw new OperationFailedException(request, "script " + name + " exited with status "
                        + result.exitCode() + (cause == null ? "" : ": " + cause));
            }
            Map<String, Object> outputs = readOutputs(request, outputsFile);
            return new OperationResult(outputs, outputs);
        } catch (IOException e) {
            throw new OperationFailedException(request, "script " + name + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(outputsFile);
            } catch (IOException e) {
                output.line("warning: could not delete " + outputsFile + ": " + e.getMessage());
            }
        }
    }

    static Path scriptPath(Implementation implementation) {
        Path base = implementation.baseDirectory() == null ? Path.of("") : Path.of(implementation.baseDirectory());
        return base.resolve(implementation.primary()).toAbsolutePath().normalize();
    }

    /** image-builder's environment plus one variable per input. */
    private static Map<String, String> environment(OperationRequest request) throws OperationFailedException {
        Map<String, String> env = new HashMap<>(System.getenv());
        Map<String, Object> inputs = request.inputs() == null ? Map.of() : request.inputs();
        for (Map.Entry<String, Object> input : inputs.entrySet()) {
            String key = input.getKey();
            if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
                throw new OperationFailedException(request, "input \"" + key
                        + "\" cannot be passed to a script: its name is not a valid environment variable name");
            }
            if (key.equals(OUTPUTS_VARIABLE)) {
                throw new OperationFailedException(request, "input \"" + key + "\" cannot be passed to a script:"
                        + " the name is reserved for the outputs file");
            }
            String value = environmentValue(input.getValue());
            if (value.indexOf('\0') >= 0) {
                throw new OperationFailedException(request, "input \"" + key
                        + "\" cannot be passed to a script: its value contains a NUL character");
            }
            env.put(key, value);
        }
        return env;
    }

    static String environmentValue(Object value) {
        if (value == null) return "";
        if (value instanceof String s) return s;
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            try {
                return new ObjectMapper().writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write the value as JSON", e);
            }
        }
        return String.valueOf(value);
    }

    private static void createPrivateFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))) {
            out.flush();
        }
    }

    private static Map<String, Object> readOutputs(OperationRequest request, Path file)
            throws IOException, OperationFailedException {
        Map<String, Object> outputs = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) return outputs; // the script removed it: no outputs
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isBlank()) continue;
            int eq = line.indexOf('=');
            String name = eq < 0 ? "" : line.substring(0, eq).strip();
            if (name.isEmpty()) {
                // the line itself is not shown: it may hold a secret
                throw new OperationFailedException(request, "script " + request.implementation().primary()
                        + " wrote line " + (i + 1) + " of $" + OUTPUTS_VARIABLE + " without a \"name=\" prefix");
            }
            outputs.put(name, line.substring(eq + 1));
        }
        return outputs;
    }


    /** Passes stderr lines on and keeps the last non-empty one, the usual place for the reason of a failure. */
    private static final class LastLine implements LineSink {
        private final LineSink sink;
        private volatile String last;

        LastLine(LineSink sink) {
            this.sink = sink;
        }

        @Override
        public void line(String text) {
            sink.line(text);
            if (!text.isBlank()) last = text.strip();
        }

        String get() {
            return last;
        }
    }
}
