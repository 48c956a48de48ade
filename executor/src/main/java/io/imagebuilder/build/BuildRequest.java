package io.imagebuilder.build;

import java.nio.file.Path;
import java.util.List;

/**
 * A direct build: a build_params file and the build host settings given next to it (null: from the file, the
 * environment, or the blueprint's defaults). {@code registryPassword} is kept out of toString.
 */
public record BuildRequest(Path file, String dockerHost, Path sshKey, Path knownHosts, String dockerClient,
                           String network, List<String> platforms, Integer maxConcurrentBuilds,
                           String registryPassword, Path gitSshKey, Path gitKnownHosts, Path stateDirectory) {

    public BuildRequest {
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
    }

    @Override
    public String toString() {
        return "BuildRequest[file=" + file + ", dockerHost=" + dockerHost + "]";
    }
}
