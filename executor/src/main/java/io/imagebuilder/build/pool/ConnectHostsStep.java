package io.imagebuilder.build.pool;

import io.imagebuilder.build.host.ClientCapabilities;
import io.imagebuilder.build.host.DockerCli;
import io.imagebuilder.build.host.EngineConnection;
import io.imagebuilder.build.host.HostPlatforms;
import io.imagebuilder.build.host.HostProbe;
import io.imagebuilder.build.outcome.BuildException;
import io.imagebuilder.build.params.RegistrySpec;
import io.imagebuilder.build.steps.LoginStep;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Opens every host at once: the SSH connection, the health probe ({@code docker version} over it), the registry
 * login and, when there is a choice of hosts, the list of images already there. A host that cannot be reached or
 * does not answer is left out of the run, and says why; a login that fails where the engine answers fails the
 * run.
 */
final class ConnectHostsStep {

    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    private ConnectHostsStep() {
    }

    static void run(List<PoolHost> hosts, RegistrySpec registry, LineSink log, Cancellation cancellation) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (PoolHost h : hosts) {
            all.add(CompletableFuture.runAsync(() -> open(h, hosts.size() > 1, registry, log, cancellation)));
        }
        all.forEach(CompletableFuture::join);
    }

    private static void open(PoolHost h, boolean choice, RegistrySpec registry, LineSink log,
                             Cancellation cancellation) {
        // what the client can do is found out while the connection opens
        CompletableFuture<ClientCapabilities> caps = CompletableFuture.supplyAsync(() -> unchecked(
                () -> ClientCapabilities.detect(h.spec.dockerClient())));
        try {
            h.connection = EngineConnection.open(h.spec, log, cancellation);
            DockerCli docker = new DockerCli(join(caps), h.connection, cancellation);
            CompletableFuture<HostProbe> probe = CompletableFuture.supplyAsync(() -> unchecked(
                    () -> HostProbe.run(docker)));
            CompletableFuture<Map<String, Instant>> tags = choice
                    ? CompletableFuture.supplyAsync(() -> unchecked(() -> tags(docker)))
                    : CompletableFuture.completedFuture(Map.of());
            BuildException login = null;
            try {
                LoginStep.run(docker, registry, log);
            } catch (BuildException e) {
                login = e;
            }
            h.probe = join(probe);
            // the engine answered, so a failed login is the registry's or the credentials' fault, not the host's
            if (login != null) {
                h.fatal = login.getMessage();
                return;
            }
            h.platforms = HostPlatforms.of(h.spec.platforms(), h.probe.platform(), h.connection.binfmtHandlers());
            h.tags = join(tags);
            h.docker = docker;
            if (choice) {
                log.line("[" + h.name() + "] Docker " + h.probe.engineVersion() + ", builds "
                        + h.platforms.describe() + "; up to " + h.spec.maxConcurrentBuilds() + " at a time");
            }
        } catch (BuildException e) {
            h.problem = e.getMessage();
            if (choice) log.line("[" + h.name() + "] not used in this run: " + e.getMessage());
            if (h.connection != null) h.connection.close();
        }
    }

    /** Every tag on the host with the time its image was made. */
    private static Map<String, Instant> tags(DockerCli docker) throws BuildException {
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

    interface Action<T> {
        T get() throws BuildException;
    }

    private static <T> T unchecked(Action<T> action) {
        try {
            return action.get();
        } catch (BuildException e) {
            throw new CompletionException(e);
        }
    }

    private static <T> T join(CompletableFuture<T> f) throws BuildException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof BuildException b) throw b;
            throw new BuildException(String.valueOf(e.getCause()), e.getCause());
        }
    }
}
