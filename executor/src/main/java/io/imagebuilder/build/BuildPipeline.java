package io.imagebuilder.build;

import io.imagebuilder.build.host.BuildHost;
import io.imagebuilder.build.host.ClientCapabilities;
import io.imagebuilder.build.host.DockerCli;
import io.imagebuilder.build.host.EngineConnection;
import io.imagebuilder.build.outcome.BuildException;
import io.imagebuilder.build.outcome.BuildOutcome;
import io.imagebuilder.build.params.BuildParams;
import io.imagebuilder.build.params.RegistrySpec;
import io.imagebuilder.build.pool.PoolBuild;
import io.imagebuilder.build.pool.SharedHosts;
import io.imagebuilder.build.source.FetchSourceStep;
import io.imagebuilder.build.source.FetchedSource;
import io.imagebuilder.build.source.SourceException;
import io.imagebuilder.build.source.SourceLimits;
import io.imagebuilder.build.source.SshSettings;
import io.imagebuilder.build.steps.BuildUnit;
import io.imagebuilder.build.steps.RemoveImagesStep;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds and pushes the images of one build_params document: fetch the source, prepare a Dockerfile per variant,
 * then build every variant for every platform over the build hosts, push, and join multi-platform images into
 * manifest lists. SSH connections and registry credentials last only as long as the run.
 */
public final class BuildPipeline {

    private final LineSink log;
    private final Cancellation cancellation;
    private final SharedHosts shared;

    /** @param shared the build slots and client capabilities of the process, shared by all its builds */
    public BuildPipeline(LineSink log, Cancellation cancellation, SharedHosts shared) {
        this.log = log;
        this.cancellation = cancellation;
        this.shared = shared;
    }

    /** @param gitSsh key and known_hosts for git over SSH, or null for none */
    public FetchedSource fetch(BuildParams params, Path directory, SshSettings gitSsh, SourceLimits limits)
            throws BuildException {
        try {
            Files.createDirectories(directory);
            return new FetchSourceStep(log, cancellation, gitSsh, limits).run(params.source(), directory);
        } catch (SourceException e) {
            throw new BuildException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while fetching the source");
        } catch (java.io.IOException e) {
            throw new BuildException("cannot create " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Builds and pushes every image on the given hosts (the first one's default platform is the default). */
    public BuildOutcome build(BuildParams params, RegistrySpec registry, List<BuildHost> hosts, FetchedSource source,
                              Path directory) throws BuildException {
        List<BuildUnit> units = UnitPlanner.units(params, registry, hosts.get(0), source, directory);
        return new PoolBuild(log, cancellation, shared).run(hosts, units, registry, params);
    }

    /** Removes what a build left on its host: the tags it created there. */
    public void clean(BuildHost host, List<String> tags) throws BuildException {
        if (tags.isEmpty()) return;
        ClientCapabilities caps = shared.clients().of(host.dockerClient());
        try (EngineConnection connection = EngineConnection.open(host, log, cancellation)) {
            RemoveImagesStep.run(new DockerCli(caps, connection, cancellation), tags, log);
        }
    }
}
