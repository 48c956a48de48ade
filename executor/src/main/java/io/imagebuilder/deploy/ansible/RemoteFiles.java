package io.imagebuilder.deploy.ansible;

import io.imagebuilder.deploy.operation.HostConnection;
import io.imagebuilder.deploy.operation.OperationFailedException;
import io.imagebuilder.deploy.operation.OperationRequest;
import io.imagebuilder.deploy.operation.OperationResult;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.tosca.topology.Implementation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Copies files of the local machine to the SSH host of an operation and removes them again, by running playbooks
 * of its own ({@code copy-file.yml}, {@code remove-files.yml}) with the {@link AnsibleRunner}. The files thus reach
 * the host exactly as the operation's own playbook does: the same inventory, user, key, verified host key and
 * private connection sockets. Paths travel as extra vars marked {@code !unsafe}, so none is evaluated as a template.
 * <p>
 * Each run has a private data directory of its own under {@code directory}, which the caller deletes afterwards.
 * A target path may start with {@code ~/}, the home directory of the SSH user.
 */
public final class RemoteFiles {

    private static final String COPY = "copy-file.yml";
    private static final String REMOVE = "remove-files.yml";

    private final AnsibleRunner runner;
    private final HostConnection host;
    private final Path directory;
    private final LineSink output;
    private final Duration timeout;
    private final Cancellation cancellation;
    private int runs;

    public RemoteFiles(AnsibleRunner runner, HostConnection host, Path directory, LineSink output, Duration timeout,
                       Cancellation cancellation) {
        if (host.local()) throw new IllegalArgumentException("remote files need an SSH host, not " + host.describe());
        this.runner = runner;
        this.host = host;
        this.directory = directory.toAbsolutePath();
        this.output = output;
        this.timeout = timeout;
        this.cancellation = cancellation;
    }

    /**
     * Copies {@code source} to {@code target} on the host, keeping its mode, after creating {@code directories}
     * (mode 0700) in order. A target that is an existing directory receives the file under its own name.
     *
     * @return the absolute path of the copy on the host
     * @throws IOException when the copy fails, with the reason
     */
    public String copy(Path source, String target, List<String> directories) throws IOException {
        OperationResult result = run(COPY, Map.of("source", source.toAbsolutePath().toString(), "target", target,
                "directories", List.copyOf(directories)));
        if (!(result.outputs().get("path") instanceof String path)) {
            throw new IOException("the copy on " + host.describe() + " did not say where it is");
        }
        return path;
    }

    /** Removes {@code paths} from the host; a path that does not exist is no error. */
    public void remove(List<String> paths) throws IOException {
        run(REMOVE, Map.of("paths", List.copyOf(paths)));
    }

    private OperationResult run(String playbook, Map<String, Object> vars) throws IOException {
        Path project = PrivateFiles.directory(directory.resolve("project"));
        try (InputStream in = RemoteFiles.class.getResourceAsStream(playbook)) {
            if (in == null) throw new IOException("the playbook " + playbook + " is missing from image-builder");
            PrivateFiles.write(project.resolve(playbook), in.readAllBytes());
        }
        Path work = PrivateFiles.directory(directory.resolve("run-" + ++runs));
        OperationRequest request = new OperationRequest(host.describe(), playbook,
                new Implementation(playbook, List.of(), null, project.toString()), vars, host, work, output, timeout,
                cancellation);
        try {
            return runner.run(request);
        } catch (OperationFailedException e) {
            throw new IOException(e.reason());
        }
    }
}
