package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.host.HostPlatforms;
import io.imagebuilder.imagebuild.host.HostProbe;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.steps.LoginStep;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Opens every host at once: the SSH connection, the health probe ({@code docker version} over it) and, when there
 * is a choice of hosts, the list of images already there; meanwhile logs in to the registry, once. A host that
 * cannot be reached or does not answer is left out of the run, and says why; a login that fails where the engine
 * answers fails the run.
 */
final class ConnectHostsStep {

    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    private ConnectHostsStep() {
    }

    static void run(List<PoolHost> hosts, Engines engines, RegistrySpec registry, LineSink log,
                    Cancellation cancellation) {
        // with nothing to push and no registry named, there is nowhere to log in to
        CompletableFuture<Void> login = registry == null ? CompletableFuture.completedFuture(null)
                : engines.login(registry, log);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (PoolHost h : hosts) {
            all.add(CompletableFuture.runAsync(() -> open(h, hosts.size() > 1, engines, registry, login, log,
                    cancellation)));
        }
        all.forEach(CompletableFuture::join);
    }

    private static void open(PoolHost h, boolean choice, Engines engines, RegistrySpec registry,
                             CompletableFuture<Void> login, LineSink log, Cancellation cancellation) {
        try {
            EngineSession session = engines.open(h.spec(), log, cancellation);
            h.opened(session);
            DockerClient docker = session.docker();
            CompletableFuture<HostProbe> probe = Futures.supply(() -> HostProbe.run(docker));
            CompletableFuture<Map<String, Instant>> tags = choice
                    ? Futures.supply(() -> tags(docker))
                    : CompletableFuture.completedFuture(Map.of());
            if (registry != null) LoginStep.handTo(docker, registry);
            HostProbe answer = Futures.join(probe);
            try {
                Futures.join(login);
            } catch (BuildException e) {
                // the engine answered, so a failed login is the registry's or the credentials' fault, not the host's
                h.refused(answer, e.getMessage());
                return;
            }
            HostPlatforms platforms = HostPlatforms.of(h.spec().platforms(), answer.platform(),
                    session.binfmtHandlers());
            h.connected(answer, platforms, Futures.join(tags));
            if (choice) {
                log.line("[" + h.name() + "] Docker " + answer.engineVersion() + ", builds "
                        + platforms.describe() + "; up to " + h.maxBuilds() + " at a time");
            }
        } catch (BuildException e) {
            h.unreachable(e.getMessage());
            if (choice) log.line("[" + h.name() + "] not used in this run: " + e.getMessage());
        }
    }

    /** Every tag on the host with the time its image was made. */
    private static Map<String, Instant> tags(DockerClient docker) throws BuildException {
        List<String> out = new ArrayList<>();
        var r = docker.run(List.of("images", "--format", "{{.Repository}}:{{.Tag}} {{.CreatedAt}}"), null,
                out::add, line -> { }, java.time.Duration.ofSeconds(30));
        Map<String, Instant> tags = new HashMap<>();
        if (!r.succeeded()) return tags;
        for (String line : out) {
            int space = line.indexOf(' ');
            if (space < 0) continue;
            try {
                tags.put(line.substring(0, space), ZonedDateTime.parse(line.substring(space + 1).trim(), CREATED)
                        .toInstant());
            } catch (DateTimeParseException e) {
                // an engine that prints times differently still builds; it only loses cache affinity
            }
        }
        return tags;
    }
}
