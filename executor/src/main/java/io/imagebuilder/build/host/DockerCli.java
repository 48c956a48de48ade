package io.imagebuilder.build.host;

import io.imagebuilder.build.outcome.BuildException;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs docker client commands against one engine connection, as argument lists. */
public final class DockerCli {

    private final ClientCapabilities capabilities;
    private final EngineConnection connection;
    private final Cancellation cancellation;

    public DockerCli(ClientCapabilities capabilities, EngineConnection connection, Cancellation cancellation) {
        this.capabilities = capabilities;
        this.connection = connection;
        this.cancellation = cancellation;
    }

    public ClientCapabilities capabilities() {
        return capabilities;
    }

    /** Registry credentials for every later command (see {@link EngineConnection#useCredentials}). */
    public void useCredentials(String registryHost, String username, String password) throws BuildException {
        connection.useCredentials(registryHost, username, password);
    }

    /** @param stdin bytes for standard input (how passwords are passed), or null */
    public ProcessResult run(List<String> args, byte[] stdin, LineSink out, LineSink err, Duration timeout)
            throws BuildException {
        Map<String, String> env = connection.environment();
        env.put("DOCKER_BUILDKIT", capabilities.buildkit() ? "1" : "0");
        env.put("BUILDKIT_PROGRESS", "plain");
        env.put("DOCKER_CLI_HINTS", "false");
        try {
            return ProcessRunner.run(ProcessRunner.command(capabilities.client(), args), env, null, stdin, out, err,
                    timeout, cancellation);
        } catch (IOException e) {
            throw new BuildException("cannot run " + capabilities.client() + ": " + e.getMessage(), e);
        }
    }

    /** Runs a command that must succeed; its output goes to {@code out}; a failure names {@code what}. */
    public void require(String what, List<String> args, byte[] stdin, LineSink out) throws BuildException {
        StringBuilder last = new StringBuilder();
        LineSink both = line -> {
            out.line(line);
            if (!line.isBlank()) {
                last.setLength(0);
                last.append(line.trim());
            }
        };
        ProcessResult r = run(args, stdin, both, both, null);
        if (r.cancelled()) throw new BuildException(what + ": cancelled");
        if (!r.succeeded()) throw new BuildException(what + " failed: " + last);
    }
}
