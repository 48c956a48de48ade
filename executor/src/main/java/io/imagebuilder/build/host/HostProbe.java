package io.imagebuilder.build.host;

import io.imagebuilder.build.outcome.BuildException;
import io.imagebuilder.build.params.Platform;
import io.imagebuilder.exec.ProcessResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The engine's answer to {@code docker version}: whether it is there, its version and its own platform. */
public record HostProbe(String engineVersion, Platform platform) {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    public static HostProbe run(DockerCli docker) throws BuildException {
        List<String> out = new ArrayList<>();
        ProcessResult r = docker.run(List.of("version", "--format", "{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}"),
                null, out::add, out::add, TIMEOUT);
        String last = out.isEmpty() ? "" : out.get(out.size() - 1).trim();
        if (r.cancelled()) throw new BuildException("cancelled");
        if (!r.succeeded()) {
            throw new BuildException(r.timedOut() ? "the engine did not answer within " + TIMEOUT.toSeconds() + " s"
                    : "the engine did not answer: " + String.join(" ", out).trim());
        }
        String[] parts = last.split(" ");
        return new HostProbe(parts[0], parts.length > 1 ? Platform.parse(parts[1]) : null);
    }
}
