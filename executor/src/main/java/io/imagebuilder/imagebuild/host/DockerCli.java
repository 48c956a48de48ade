package io.imagebuilder.imagebuild.host;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.imagebuild.outcome.BuildException;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs the docker client binary against one engine connection. */
public final class DockerCli implements DockerClient {

    private final ClientCapabilities capabilities;
    private final EngineConnection connection;
    private final Cancellation cancellation;

    public DockerCli(ClientCapabilities capabilities, EngineConnection connection, Cancellation cancellation) {
        this.capabilities = capabilities;
        this.connection = connection;
        this.cancellation = cancellation;
    }

    @Override
    public ClientCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public void useCredentials(String registryHost, String username, String password) throws BuildException {
        connection.useCredentials(registryHost, username, password);
    }

    @Override
    public EngineApi.Response get(String path, Duration timeout) throws IOException {
        java.nio.file.Path socket = connection.engineSocket();
        return socket == null ? null : EngineApi.get(socket, path, timeout, cancellation);
    }

    @Override
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
}
