package io.imagebuilder.build;

import io.imagebuilder.build.source.SourceLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A direct build: a build_params file and the build host settings given next to it (null or empty: from the file,
 * the environment, or the blueprint's defaults). The first of {@code dockerHosts} is the blueprint's docker_host,
 * the others become its build_hosts, with the same settings. {@code registryPassword} is kept out of toString.
 * {@code timeout} (null: none) limits fetching the source, and building and pushing, each; {@code sourceLimits}
 * (null: the blueprint's) bound the Dockerfile and an archive's expanded size. {@code document} (null: read
 * {@code file}) is the document itself, for a caller that must not write its passwords to a file; {@code file} then
 * only names it in messages. It is kept out of toString too.
 */
public record BuildRequest(Path file, List<String> dockerHosts, Path sshKey, Path knownHosts, String dockerClient,
                           String network, List<String> platforms, Integer maxConcurrentBuilds,
                           String registryPassword, Path gitSshKey, Path gitKnownHosts, Path stateDirectory,
                           Duration timeout, SourceLimits sourceLimits, String document) {

    public BuildRequest {
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        dockerHosts = dockerHosts == null ? List.of() : List.copyOf(dockerHosts);
    }

    /** A build of the document in {@code file}. */
    public BuildRequest(Path file, List<String> dockerHosts, Path sshKey, Path knownHosts, String dockerClient,
                        String network, List<String> platforms, Integer maxConcurrentBuilds, String registryPassword,
                        Path gitSshKey, Path gitKnownHosts, Path stateDirectory, Duration timeout,
                        SourceLimits sourceLimits) {
        this(file, dockerHosts, sshKey, knownHosts, dockerClient, network, platforms, maxConcurrentBuilds,
                registryPassword, gitSshKey, gitKnownHosts, stateDirectory, timeout, sourceLimits, null);
    }

    @Override
    public String toString() {
        return "BuildRequest[file=" + file + ", dockerHosts=" + dockerHosts + "]";
    }
}
