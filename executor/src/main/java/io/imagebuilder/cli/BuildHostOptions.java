package io.imagebuilder.cli;

import io.imagebuilder.imagebuild.BuildHostSettings;
import io.imagebuilder.imagebuild.source.SourceLimits;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The build host options that build and serve share: which engines, how to reach them, and git over SSH. */
final class BuildHostOptions {

    @Option(names = "--docker-host", paramLabel = "URL",
            description = "Engine to build on: ssh://user@host[:port] or unix:///path (default: for build, the "
                    + "build_params file's docker_host; else $DOCKER_HOST, else the local engine). Repeat for "
                    + "several engines: the images' variants and platforms are spread over them, with the same SSH "
                    + "settings.")
    List<String> dockerHosts = new ArrayList<>();

    @Option(names = "--ssh-key", paramLabel = "FILE", description = "SSH private key for ssh:// engines.")
    Path sshKey;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts with the engines' host keys.")
    Path knownHosts;

    @Option(names = "--docker-client", paramLabel = "PATH", description = "Docker client executable.")
    String dockerClient;

    @Option(names = "--network", paramLabel = "MODE", description = "Network for RUN steps (e.g. none).")
    String network;

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "Platforms the engines build natively "
            + "beside their own; repeat for several (the first is the default). Emulated ones are found by probing.")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--git-ssh-key", paramLabel = "FILE", description = "Private key for git over SSH.")
    Path gitSshKey;

    @Option(names = "--git-known-hosts", paramLabel = "FILE", description = "known_hosts for git over SSH.")
    Path gitKnownHosts;

    /**
     * The settings these options give, with those the command takes its own way: the builds each engine runs at
     * once, the time limit of each operation and the bounds on fetched sources. A usage error when they are wrong.
     */
    BuildHostSettings settings(CommandSpec spec, Integer maxConcurrentBuilds, Duration timeout, SourceLimits limits) {
        if (maxConcurrentBuilds != null && maxConcurrentBuilds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-concurrent-builds must be 1 or more");
        }
        try {
            return new BuildHostSettings(dockerHosts, sshKey, knownHosts, dockerClient, network, platforms,
                    maxConcurrentBuilds, gitSshKey, gitKnownHosts, timeout, limits);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
