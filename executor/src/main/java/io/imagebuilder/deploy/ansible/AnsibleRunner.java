package io.imagebuilder.deploy.ansible;

import io.imagebuilder.deploy.operation.HostConnection;
import io.imagebuilder.deploy.operation.OperationFailedException;
import io.imagebuilder.deploy.operation.OperationRequest;
import io.imagebuilder.deploy.operation.OperationResult;
import io.imagebuilder.deploy.operation.OperationRunner;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.tosca.topology.Implementation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs operations implemented by Ansible playbooks ({@code .yml}, {@code .yaml}) with ansible-runner, as
 * <pre>ansible-runner run WORK_DIR -p PLAYBOOK --project-dir PLAYBOOK_DIR --ident ID</pre>
 * would, through a {@link RunnerWorker} kept between operations when ansible-runner is a Python program (else as
 * that command).
 * The request's work directory is ansible-runner's private data directory:
 * <ul>
 *   <li>{@code env/extravars} (mode 0600) holds the operation inputs as extra vars, strings marked
 *       {@code !unsafe} so Ansible never evaluates templates inside them (see {@link ExtraVars});</li>
 *   <li>{@code env/envvars} turns off colours and retry files and turns host key checking on;</li>
 *   <li>{@code inventory/hosts} names the one host of the run: {@code localhost} with the local connection, or the
 *       SSH host with its port, user, key and known hosts file (see {@link InventoryWriter}).</li>
 * </ul>
 * Output is streamed to the request's sink as it comes. Afterwards the job events tell what the playbook
 * published with {@code set_stats} (returned as both attributes and outputs, as xOpera does) or why it failed.
 * {@code env/}, {@code artifacts/} and {@code tmp/} (Ansible's temporary files) are deleted before returning,
 * whatever happened, since they hold inputs and task results.
 * <p>
 * Inputs never appear in ansible-runner's argument list or environment: ansible-playbook reads them from
 * {@code -e @WORK_DIR/env/extravars}.
 */
public final class AnsibleRunner implements OperationRunner {

    public static final String DEFAULT_EXECUTABLE = "ansible-runner";
    /** Stopping SSH connection masters left by a run must not hang the deployment. */
    private static final Duration SSH_EXIT_TIMEOUT = Duration.ofSeconds(10);
    /** Unix socket paths are limited to 107 bytes; ssh adds a 17-character suffix while it creates one. */
    private static final int MAX_CONTROL_DIR_LENGTH = 60;

    private final String executable;

    public AnsibleRunner() {
        this(DEFAULT_EXECUTABLE);
    }

    /** @param executable the ansible-runner program, a path or a name looked up on the PATH */
    public AnsibleRunner(String executable) {
        this.executable = executable;
    }

    @Override
    public boolean handles(String primary) {
        String p = primary.toLowerCase(Locale.ROOT);
        return p.endsWith(".yml") || p.endsWith(".yaml");
    }

    @Override
    public OperationResult run(OperationRequest request) throws OperationFailedException {
        Path playbook = primaryPath(request.implementation());
        if (!Files.isRegularFile(playbook)) {
            throw new OperationFailedException(request, "playbook not found: " + playbook);
        }
        if (request.cancellation() != null && request.cancellation().isCancelled()) {
            throw new OperationFailedException(request, "cancelled");
        }
        Path workDir = request.workDirectory().toAbsolutePath();
        Path envDir = workDir.resolve("env");
        Path artifactsDir = workDir.resolve("artifacts");
        Path tempDir = workDir.resolve("tmp");
        String ident = UUID.randomUUID().toString();
        OutputTail output = new OutputTail(request.output());
        Path controlDir = null;
        try {
            PrivateFiles.directory(workDir);
            PrivateFiles.deleteTree(envDir);
            PrivateFiles.deleteTree(artifactsDir);
            PrivateFiles.deleteTree(tempDir);
            PrivateFiles.directory(tempDir);
            writeEnv(envDir, request.inputs(), tempDir);
            if (!request.host().local()) controlDir = controlPathDir();
            Path inventoryDir = PrivateFiles.directory(workDir.resolve("inventory"));
            PrivateFiles.write(inventoryDir.resolve("hosts"),
                    utf8(InventoryWriter.toDocument(request.host(), controlDir, tempDir)));

            ProcessResult result;
            RunnerWorker worker = RunnerWorker.acquire(executable);
            try {
                result = worker != null
                        ? worker.run(workDir, playbook, ident, output, request.timeout(), request.cancellation())
                        : ProcessRunner.run(ProcessRunner.command(executable, arguments(workDir, playbook, ident)),
                                null, workDir, null, output, output, request.timeout(), request.cancellation());
            } catch (IOException e) {
                throw new OperationFailedException(request, "cannot run " + executable + ": " + e.getMessage());
            } finally {
                if (worker != null) worker.release();
            }
            if (result.cancelled()) throw new OperationFailedException(request, "cancelled");
            if (result.timedOut()) {
                throw OperationFailedException.timedOut(request, java.util.Map.of());
            }
            Path artifacts = artifactsDir.resolve(ident);
            JobEvents events = JobEvents.read(artifacts.resolve("job_events"));
            // ansible-runner exits with 0 when ansible-playbook was killed by a signal; its status file tells
            String status = readArtifact(artifacts.resolve("status"));
            if (result.exitCode() != 0 || !"successful".equals(status)) {
                throw failure(request, events, output, result.exitCode(), status,
                        readArtifact(artifacts.resolve("rc")));
            }
            Map<String, Object> published = events.artifactData();
            return new OperationResult(published, published);
        } catch (IOException e) {
            throw new OperationFailedException(request, "cannot prepare the playbook run in " + workDir + ": "
                    + e.getMessage());
        } finally {
            if (controlDir != null) closeConnections(controlDir, request.host());
            deleteQuietly(envDir, output);
            deleteQuietly(artifactsDir, output);
            deleteQuietly(tempDir, output);
        }
    }

    /** The argument list (never a shell string); it holds paths and names only, never input values. */
    List<String> arguments(Path workDir, Path playbook, String ident) {
        return List.of("run", workDir.toString(),
                "-p", playbook.getFileName().toString(),
                "--project-dir", playbook.getParent().toString(),
                "--ident", ident);
    }

    static Path primaryPath(Implementation implementation) {
        Path primary = Path.of(implementation.primary());
        Path base = implementation.baseDirectory() == null ? Path.of("") : Path.of(implementation.baseDirectory());
        return base.resolve(primary).toAbsolutePath().normalize();
    }

    private static void writeEnv(Path envDir, Map<String, Object> inputs, Path tempDir) throws IOException {
        PrivateFiles.directory(envDir);
        PrivateFiles.write(envDir.resolve("extravars"), utf8(ExtraVars.toDocument(inputs == null ? Map.of() : inputs)));
        StringBuilder localTemp = new StringBuilder();
        ExtraVars.quote(tempDir.toString(), localTemp);
        // Ansible's local temporary files (rendered templates, modules) stay in the work directory and are
        // deleted with it, even when the run is stopped before Ansible removes them itself
        PrivateFiles.write(envDir.resolve("envvars"), utf8("""
                ANSIBLE_NOCOLOR: "1"
                ANSIBLE_HOST_KEY_CHECKING: "True"
                ANSIBLE_RETRY_FILES_ENABLED: "False"
                ANSIBLE_LOCAL_TEMP: %s
                """.formatted(localTemp)));
        // the output is streamed to the caller, who keeps it; artifacts/ID/stdout would be a second copy on disk
        PrivateFiles.write(envDir.resolve("settings"), utf8("""
                suppress_ansible_output: false
                suppress_output_file: true
                """));
    }

    private OperationFailedException failure(OperationRequest request, JobEvents events, OutputTail output,
                                             int exitCode, String status, String playbookRc) {
        JobEvents.Failure failure = events.failure();
        String playbook = request.implementation().primary();
        if (failure != null && failure.unreachable()) {
            return new OperationFailedException(request, "host " + request.host().describe() + " is unreachable: "
                    + (failure.cause().isEmpty() ? "no reason given" : failure.cause()));
        }
        if (failure != null) {
            String task = failure.task().isEmpty() ? "" : "task \"" + failure.task() + "\": ";
            String cause = failure.cause().isEmpty() ? "no reason given" : failure.cause();
            return new OperationFailedException(request, "playbook " + playbook + " failed: " + task + cause);
        }
        if (exitCode == 0 && "None".equals(playbookRc)) {
            return new OperationFailedException(request, "playbook " + playbook
                    + " failed: ansible-playbook was stopped by a signal");
        }
        String explanation = output.explanation();
        String end = exitCode != 0 ? "exit status " + exitCode
                : "status " + (status == null ? "unknown" : status) + ", ansible-playbook exit status " + playbookRc;
        return new OperationFailedException(request, "playbook " + playbook + " failed: "
                + (explanation == null ? executable + " ended with " + end : explanation + " (" + end + ")"));
    }

    /** A one-line file ansible-runner writes at the end of a run ("status", "rc"); null when missing. */
    private static String readArtifact(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** A directory for this run's SSH connection sockets, short enough for a Unix socket path, mode 0700. */
    private static Path controlPathDir() throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        if (base.toAbsolutePath().toString().length() > MAX_CONTROL_DIR_LENGTH - 20) base = Path.of("/tmp");
        return Files.createTempDirectory(base, "ib-ssh-");
    }

    /** Stops the SSH connection masters (ControlPersist) the run left behind, then removes their directory. */
    private static void closeConnections(Path controlDir, HostConnection host) {
        try (Stream<Path> sockets = Files.list(controlDir)) {
            for (Path socket : sockets.toList()) {
                try {
                    ProcessRunner.run(ProcessRunner.command("ssh", "-o", "ControlPath=" + socket, "-O", "exit",
                                    host.ssh().destination()),
                            null, null, null, LineSink.DISCARD, LineSink.DISCARD, SSH_EXIT_TIMEOUT, null);
                } catch (IOException e) {
                    // without an ssh client there is no master either
                }
            }
        } catch (IOException e) {
            // nothing to stop
        }
        try {
            PrivateFiles.deleteTree(controlDir);
        } catch (IOException e) {
            // sockets only; nothing secret
        }
    }

    private static void deleteQuietly(Path dir, LineSink output) {
        try {
            PrivateFiles.deleteTree(dir);
        } catch (IOException e) {
            output.line("warning: could not delete " + dir + ": " + e.getMessage());
        }
    }


    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
