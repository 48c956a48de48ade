package io.imagebuilder.imagebuild.host;

import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.ssh.SshEndpoint;
import io.imagebuilder.ssh.SshIdentity;

import java.util.List;

/**
 * A Docker engine to build on: {@code ssh://[user@]host[:port]} or {@code unix:///path}, the SSH key and known_hosts
 * to reach it, the docker client to drive it, the platforms it builds (the
 * first is the default), how many builds it runs at once, and the network RUN steps use.
 */
public record BuildHost(String dockerHost, SshIdentity ssh, String dockerClient,
                        List<Platform> platforms, int maxConcurrentBuilds, String network) {

    public BuildHost {
        ssh = ssh == null ? SshIdentity.DEFAULTS : ssh;
        platforms = List.copyOf(platforms);
        if (maxConcurrentBuilds < 1) maxConcurrentBuilds = 1;
    }

    public boolean isSsh() {
        return dockerHost.regionMatches(true, 0, "ssh://", 0, 6);
    }

    /** Where an {@code ssh://} engine's host is reached. */
    public SshEndpoint endpoint() throws BuildException {
        try {
            return SshEndpoint.parse(dockerHost, ssh);
        } catch (IllegalArgumentException e) {
            throw new BuildException("docker host " + e.getMessage());
        }
    }

    public Platform defaultPlatform() {
        return platforms.isEmpty() ? new Platform("linux", "amd64", null) : platforms.get(0);
    }
}
