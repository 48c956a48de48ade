package io.imagebuilder.imagebuild.host;

import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.Platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The engine's answer to {@code docker version}: whether it is there, its version and its own platform. */
public record HostProbe(String engineVersion, Platform platform) {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /**
     * What the engine said, or why it said nothing: {@code timedOut} tells an engine that hangs from one that
     * refuses, which the pool reports differently.
     */
    public record Answer(HostProbe probe, String problem, boolean timedOut) {

        public boolean answered() {
            return probe != null;
        }
    }

    public static HostProbe run(DockerClient docker) throws BuildException {
        Answer a = ask(docker);
        if (!a.answered()) throw new BuildException(a.problem());
        return a.probe();
    }

    /** Probes the engine; throws only when the docker client itself cannot be run. */
    public static Answer ask(DockerClient docker) throws BuildException {
        List<String> out = new ArrayList<>();
        ProcessResult r = docker.run(List.of("version", "--format", "{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}"),
                null, out::add, out::add, TIMEOUT);
        String last = out.isEmpty() ? "" : out.get(out.size() - 1).trim();
        if (r.cancelled()) return new Answer(null, "cancelled", false);
        if (!r.succeeded()) {
            if (r.timedOut()) {
                return new Answer(null, "the engine did not answer within " + TIMEOUT.toSeconds() + " s", true);
            }
            return new Answer(null, "the engine did not answer: " + String.join(" ", out).trim(), false);
        }
        String[] parts = last.split(" ");
        return new Answer(new HostProbe(parts[0], parts.length > 1 ? Platform.parse(parts[1]) : null), null, false);
    }
}
