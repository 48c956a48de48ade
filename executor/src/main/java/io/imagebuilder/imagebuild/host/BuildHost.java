package io.imagebuilder.imagebuild.host;

import io.imagebuilder.imagebuild.params.Platform;

import java.nio.file.Path;
import java.util.List;

/**
 * A Docker engine to build on: {@code ssh://[user@]host[:port]} or {@code unix:///path}, the SSH key and known_hosts
 * to reach it (null: the SSH client's defaults), the docker client to drive it, the platforms it builds (the
 * first is the default), how many builds it runs at once, and the network RUN steps use.
 */
public record BuildHost(String dockerHost, Path privateKey, Path knownHosts, String dockerClient,
                        List<Platform> platforms, int maxConcurrentBuilds, String network) {

    public BuildHost {
        platforms = List.copyOf(platforms);
        if (maxConcurrentBuilds < 1) maxConcurrentBuilds = 1;
    }

    public boolean isSsh() {
        return dockerHost.regionMatches(true, 0, "ssh://", 0, 6);
    }

    public Platform defaultPlatform() {
        return platforms.isEmpty() ? new Platform("linux", "amd64", null) : platforms.get(0);
    }
}
