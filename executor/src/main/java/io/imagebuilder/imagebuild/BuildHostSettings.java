package io.imagebuilder.imagebuild;

import io.imagebuilder.imagebuild.source.SourceLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The build host settings, as the build and serve commands take them and the server passes them to every build and
 * deployment: the engines ({@code ssh://[user@]host[:port]} or {@code unix:///path}; the first is the blueprint's
 * docker_host, the others its build_hosts, with the same settings), the SSH key and known_hosts that reach them, the
 * docker client, the network of RUN steps, the platforms they build natively, how many builds each runs at once,
 * the key and known_hosts for git over SSH, the time limit of each operation and the bounds on fetched sources.
 * A null or empty setting is not given: a build_params file's inputs, the environment or the blueprint's defaults
 * apply. {@code imagenode.BuildHostInputs} is the one place that turns these settings into blueprint inputs.
 */
public record BuildHostSettings(List<String> dockerHosts, Path sshKey, Path knownHosts, String dockerClient,
                                String network, List<String> platforms, Integer maxConcurrentBuilds, Path gitSshKey,
                                Path gitKnownHosts, Duration timeout, SourceLimits sourceLimits) {

    private static final BuildHostSettings NONE = new BuildHostSettings(List.of(), null, null, null, null, List.of(),
            null, null, null, null, null);

    /** Checks the settings; paths become absolute, since the blueprint is read from elsewhere than they were given. */
    public BuildHostSettings {
        dockerHosts = dockerHosts == null ? List.of() : List.copyOf(dockerHosts);
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        Set<String> seen = new HashSet<>();
        for (String host : dockerHosts) {
            if (host.isBlank()) throw new IllegalArgumentException("a docker host must not be empty");
            if (!seen.add(host)) throw new IllegalArgumentException("docker host " + host + " is given twice");
        }
        for (String platform : platforms) {
            if (platform.isBlank()) throw new IllegalArgumentException("a platform must not be empty");
        }
        if (maxConcurrentBuilds != null && maxConcurrentBuilds < 1) {
            throw new IllegalArgumentException("max concurrent builds must be 1 or more, got " + maxConcurrentBuilds);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
        }
        sshKey = absolute(sshKey);
        knownHosts = absolute(knownHosts);
        gitSshKey = absolute(gitSshKey);
        gitKnownHosts = absolute(gitKnownHosts);
    }

    /** No settings: every one comes from the build_params file, the environment or the blueprint. */
    public static BuildHostSettings none() {
        return NONE;
    }

    public BuildHostSettings withTimeout(Duration limit) {
        return new BuildHostSettings(dockerHosts, sshKey, knownHosts, dockerClient, network, platforms,
                maxConcurrentBuilds, gitSshKey, gitKnownHosts, limit, sourceLimits);
    }

    public BuildHostSettings withSshKey(Path key) {
        return new BuildHostSettings(dockerHosts, key, knownHosts, dockerClient, network, platforms,
                maxConcurrentBuilds, gitSshKey, gitKnownHosts, timeout, sourceLimits);
    }

    private static Path absolute(Path path) {
        return path == null ? null : path.toAbsolutePath().normalize();
    }
}
