package io.imagebuilder.server.api;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.BuildHostSettings;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.host.ClientCapabilityCache;
import io.imagebuilder.imagebuild.host.DockerCli;
import io.imagebuilder.imagebuild.host.EngineConnection;
import io.imagebuilder.imagebuild.host.HostPlatforms;
import io.imagebuilder.imagebuild.host.HostProbe;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagenode.BuildHostInputs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the server's build hosts answer: each is reached as a build reaches it and asked for its engine and
 * platforms. Probing costs an SSH connection per host, so answers are kept for a short while and shared by every
 * caller.
 */
final class HostProbes {

    static final Duration KEEP = Duration.ofSeconds(15);

    /** One host's probe: the engine and what it builds, or why it could not be asked. */
    record Result(BuildHost host, Instant at, String engineVersion, Platform enginePlatform, HostPlatforms platforms,
                  String error) {
    }

    private final List<BuildHost> hosts;
    private final ClientCapabilityCache clients;
    private List<Result> last;

    /** {@code settings}: the server's build hosts, probed as every build gets them. */
    HostProbes(BuildHostSettings settings, ClientCapabilityCache clients) {
        this.hosts = BuildHostInputs.hosts(settings);
        this.clients = clients;
    }

    List<BuildHost> hosts() {
        return hosts;
    }

    /** The latest probes, made anew (all hosts at once) when they are older than {@link #KEEP}. */
    synchronized List<Result> probe() {
        if (last != null && last.get(0).at().plus(KEEP).isAfter(Instant.now())) return last;
        Instant at = Instant.now();
        // a thread per host: the common pool may have a single thread, and an unreachable host takes seconds
        ExecutorService threads = Executors.newFixedThreadPool(hosts.size());
        try {
            List<CompletableFuture<Result>> all = hosts.stream()
                    .map(h -> CompletableFuture.supplyAsync(() -> probe(h, clients, at), threads)).toList();
            last = all.stream().map(CompletableFuture::join).toList();
            return last;
        } finally {
            threads.shutdown();
        }
    }

    private static Result probe(BuildHost host, ClientCapabilityCache clients, Instant at) {
        try (EngineConnection connection = EngineConnection.open(host, line -> { }, new Cancellation())) {
            DockerCli docker = new DockerCli(clients.of(host.dockerClient()), connection, null);
            HostProbe probe = HostProbe.run(docker);
            return new Result(host, at, probe.engineVersion(), probe.platform(), HostPlatforms.of(host.platforms(),
                    probe.platform(), connection.binfmtHandlers()), null);
        } catch (BuildException e) {
            return new Result(host, at, null, null, null, e.getMessage());
        } catch (RuntimeException e) {
            return new Result(host, at, null, null, null, "the probe failed: " + e);
        }
    }
}
