package io.imagebuilder.imagebuild.host;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.imagebuild.outcome.BuildException;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * What the build steps need of a Docker engine: docker client commands against it, as argument lists. The steps
 * see only this, so they run as well against an engine kept in memory as against a remote one.
 */
public interface DockerClient {

    ClientCapabilities capabilities();

    /** Registry credentials for every later command (see {@link EngineConnection#useCredentials}). */
    void useCredentials(String registryHost, String username, String password) throws BuildException;

    /**
     * The engine's answer to a GET on its HTTP API (such as {@code /version}), when this client reaches the engine
     * through a unix socket this process can open itself; null when it cannot, and the docker client is asked.
     */
    default EngineApi.Response get(String path, Duration timeout) throws IOException {
        return null;
    }

    /** @param stdin bytes for standard input (how passwords are passed), or null */
    ProcessResult run(List<String> args, byte[] stdin, LineSink out, LineSink err, Duration timeout)
            throws BuildException;

    /** Runs a command that must succeed; its output goes to {@code out}; a failure names {@code what}. */
    default void require(String what, List<String> args, byte[] stdin, LineSink out) throws BuildException {
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
