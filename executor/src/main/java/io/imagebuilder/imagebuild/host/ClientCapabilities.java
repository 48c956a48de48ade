package io.imagebuilder.imagebuild.host;

import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.imagebuild.outcome.BuildException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a docker client binary can do. Clients up to 22.x build with the engine's own BuildKit when
 * DOCKER_BUILDKIT=1; from 23.0 on BuildKit needs the buildx plugin, without which only the legacy builder is
 * left. The legacy builder cannot build FROM --platform=$BUILDPLATFORM or foreign platforms after ARG in a
 * scratch stage, so BuildKit is preferred whenever it is there.
 */
public record ClientCapabilities(String client, int major, boolean buildx) {

    private static final Pattern VERSION = Pattern.compile("Docker version (\\d+)\\.(\\d+)");
    /** Asks the client, every time; {@link ClientCapabilityCache} asks each client once. */
    public static ClientCapabilities detect(String client) throws BuildException {
        List<String> out = new ArrayList<>();
        ProcessResult r = run(client, out, "--version");
        Matcher m = VERSION.matcher(String.join(" ", out));
        if (!r.succeeded() || !m.find()) {
            throw new BuildException("cannot run the docker client " + client + ": " + String.join(" ", out));
        }
        int major = Integer.parseInt(m.group(1));
        // older clients build with BuildKit on their own; only newer ones need to be asked about the plugin
        boolean buildx = major >= 23 && run(client, new ArrayList<>(), "buildx", "version").succeeded();
        return new ClientCapabilities(client, major, buildx);
    }

    private static ProcessResult run(String client, List<String> out, String... args) throws BuildException {
        try {
            return ProcessRunner.run(ProcessRunner.command(client, args), Map.of("PATH", System.getenv("PATH")),
                    null, null, out::add, out::add, Duration.ofSeconds(20), null);
        } catch (IOException e) {
            throw new BuildException("cannot run the docker client " + client + ": " + e.getMessage(), e);
        }
    }

    /** Whether builds go through BuildKit (with DOCKER_BUILDKIT=1). */
    public boolean buildkit() {
        return buildx || major < 23;
    }
}
