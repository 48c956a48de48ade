package io.imagebuilder.build;

import io.imagebuilder.build.docker.ClientCapabilities;
import io.imagebuilder.build.docker.DockerCli;
import io.imagebuilder.build.host.BuildHost;
import io.imagebuilder.build.host.EngineConnection;
import io.imagebuilder.build.params.BuildParams;
import io.imagebuilder.build.params.ImageSpec;
import io.imagebuilder.build.params.Platform;
import io.imagebuilder.build.params.RegistrySpec;
import io.imagebuilder.build.source.FetchSourceStep;
import io.imagebuilder.build.source.FetchedSource;
import io.imagebuilder.build.source.SourceException;
import io.imagebuilder.build.source.SshSettings;
import io.imagebuilder.build.steps.BuildImageStep;
import io.imagebuilder.build.steps.BuildUnit;
import io.imagebuilder.build.steps.LoginStep;
import io.imagebuilder.build.steps.PushImageStep;
import io.imagebuilder.build.steps.PushManifestListStep;
import io.imagebuilder.build.steps.RemoveImagesStep;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds and pushes the images of one build_params document on one build host: fetch the source, prepare a
 * Dockerfile per variant, log in, build every variant for every platform, push, and join multi-platform images
 * into manifest lists. The SSH connection and the registry credentials last only as long as the run.
 */
public final class BuildPipeline {

    private final LineSink log;
    private final Cancellation cancellation;

    public BuildPipeline(LineSink log, Cancellation cancellation) {
        this.log = log;
        this.cancellation = cancellation;
    }

    /** @param gitSsh key and known_hosts for git over SSH, or null for none */
    public FetchedSource fetch(BuildParams params, Path directory, SshSettings gitSsh) throws BuildException {
        try {
            Files.createDirectories(directory);
            return new FetchSourceStep(log, cancellation, gitSsh).run(params.source(), directory);
        } catch (SourceException e) {
            throw new BuildException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while fetching the source");
        } catch (java.io.IOException e) {
            throw new BuildException("cannot create " + directory + ": " + e.getMessage(), e);
        }
    }

    public BuildOutcome build(BuildParams params, RegistrySpec registry, BuildHost host, FetchedSource source,
                              Path directory) throws BuildException {
        List<BuildUnit> units = UnitPlanner.units(params, registry, host, source, directory);
        List<String> tags = new ArrayList<>(new LinkedHashSet<>(units.stream()
                .flatMap(u -> java.util.stream.Stream.of(u.localTag(), u.reference())).toList()));
        // finding out what the client can do overlaps with opening the SSH connection
        java.util.concurrent.CompletableFuture<ClientCapabilities> caps = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return ClientCapabilities.detect(host.dockerClient());
                    } catch (BuildException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        try (EngineConnection connection = EngineConnection.open(host, log, cancellation)) {
            DockerCli docker = new DockerCli(capabilities(caps), connection, cancellation);
            LoginStep.run(docker, registry, log);
            buildAll(docker, units, host, params);
            List<PushedImage> pushed = new ArrayList<>();
            for (ImageSpec image : params.target().images()) {
                List<BuildUnit> mine = units.stream().filter(u -> u.image() == image).toList();
                pushed.addAll(push(docker, mine, registry, host));
            }
            return new BuildOutcome(pushed, tags);
        }
    }

    private static ClientCapabilities capabilities(java.util.concurrent.CompletableFuture<ClientCapabilities> caps)
            throws BuildException {
        try {
            return caps.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof BuildException b) throw b;
            throw new BuildException("cannot run the docker client: " + e.getCause(), e.getCause());
        }
    }

    /** Removes what a build left on its host: the tags it created there. */
    public void clean(BuildHost host, List<String> tags) throws BuildException {
        if (tags.isEmpty()) return;
        ClientCapabilities caps = ClientCapabilities.detect(host.dockerClient());
        try (EngineConnection connection = EngineConnection.open(host, log, cancellation)) {
            RemoveImagesStep.run(new DockerCli(caps, connection, cancellation), tags, log);
        }
    }

    /**
     * Builds every unit, at most {@code maxConcurrentBuilds} at a time. Variants that differ only in their tag
     * (same Dockerfile, context and platform) are built once and tagged for the others.
     */
    private void buildAll(DockerCli docker, List<BuildUnit> units, BuildHost host, BuildParams params)
            throws BuildException {
        java.util.Map<List<Object>, List<BuildUnit>> same = new java.util.LinkedHashMap<>();
        for (BuildUnit u : units) {
            same.computeIfAbsent(List.of(u.dockerfile(), u.context(), String.valueOf(u.platform())),
                    k -> new ArrayList<>()).add(u);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(host.maxConcurrentBuilds(), same.size()));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (List<BuildUnit> group : same.values()) {
                running.add(pool.submit(() -> {
                    BuildUnit first = group.get(0);
                    BuildImageStep.run(docker, first, host.network(), params.buildArgs(), params.labels(), log);
                    for (BuildUnit other : group.subList(1, group.size())) {
                        log.line("[" + other.label() + "] same build as " + first.label() + "; tagging it");
                        docker.require("tagging " + other.label(), List.of("tag", first.localTag(),
                                other.localTag()), null, log);
                    }
                    return null;
                }));
            }
            BuildException first = null;
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof BuildException b ? b
                                : new BuildException("build failed: " + e.getCause(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BuildException("interrupted while building");
                }
            }
            if (first != null) throw first;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<PushedImage> push(DockerCli docker, List<BuildUnit> units, RegistrySpec registry, BuildHost host)
            throws BuildException {
        if (units.size() == 1) {
            BuildUnit u = units.get(0);
            String digest = PushImageStep.run(docker, u, log);
            Platform p = u.platform() != null ? u.platform() : host.defaultPlatform();
            log.line("pushed " + u.reference() + "@" + digest + " (" + p + ")");
            return List.of(new PushedImage(u.reference(), digest, p.toString(), null));
        }
        List<String> digests = new ArrayList<>();
        for (BuildUnit u : units) digests.add(PushImageStep.run(docker, u, log));
        String reference = units.get(0).reference();
        String list = PushManifestListStep.run(docker, reference, digests, registry.insecure(), log);
        log.line("pushed " + reference + "@" + list + " (manifest list of " + units.size() + " platforms)");
        List<PushedImage> out = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            out.add(new PushedImage(reference, digests.get(i), units.get(i).platform().toString(), list));
        }
        return out;
    }
}
