package io.imagebuilder.imagebuild.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.Platform;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The engine's answer to the version question: whether it is there, its version and its own platform. */
public record HostProbe(String engineVersion, Platform platform) {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * Probes the engine, through its HTTP API where this process reaches its socket, else with the docker client;
     * throws only when the docker client itself cannot be run.
     */
    public static Answer ask(DockerClient docker) throws BuildException {
        try {
            EngineApi.Response version = docker.get("/version", TIMEOUT);
            if (version != null) return answer(version);
        } catch (EngineApi.TimedOutException e) {
            return timedOut();
        } catch (EngineApi.CancelledException e) {
            return new Answer(null, "cancelled", false);
        } catch (IOException e) {
            return new Answer(null, "the engine did not answer: " + e.getMessage(), false);
        }
        List<String> out = new ArrayList<>();
        ProcessResult r = docker.run(List.of("version", "--format", "{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}"),
                null, out::add, out::add, TIMEOUT);
        String last = out.isEmpty() ? "" : out.get(out.size() - 1).trim();
        if (r.cancelled()) return new Answer(null, "cancelled", false);
        if (!r.succeeded()) {
            if (r.timedOut()) return timedOut();
            return new Answer(null, "the engine did not answer: " + String.join(" ", out).trim(), false);
        }
        String[] parts = last.split(" ");
        return new Answer(new HostProbe(parts[0], parts.length > 1 ? Platform.parse(parts[1]) : null), null, false);
    }

    private static Answer timedOut() {
        return new Answer(null, "the engine did not answer within " + TIMEOUT.toSeconds() + " s", true);
    }

    /** The engine's GET /version: {"Version": "24.0.5", "Os": "linux", "Arch": "amd64", ...}. */
    private static Answer answer(EngineApi.Response r) {
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            body = null;
        }
        if (r.status() != 200 || body == null || !body.path("Version").isTextual()) {
            String said = body != null && body.path("message").isTextual() ? body.path("message").asText()
                    : r.body().strip();
            return new Answer(null, "the engine did not answer: HTTP " + r.status()
                    + (said.isEmpty() ? "" : ": " + said), false);
        }
        String os = body.path("Os").asText("");
        String arch = body.path("Arch").asText("");
        Platform platform = os.isEmpty() || arch.isEmpty() ? null : Platform.parse(os + "/" + arch);
        return new Answer(new HostProbe(body.path("Version").asText(), platform), null, false);
    }
}
