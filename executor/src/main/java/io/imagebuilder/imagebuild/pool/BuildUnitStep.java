package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.host.HostProbe;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.steps.BuildImageStep;
import io.imagebuilder.imagebuild.steps.BuildOptions;
import io.imagebuilder.imagebuild.steps.BuildUnit;
import io.imagebuilder.imagebuild.steps.LocalImageStep;
import io.imagebuilder.imagebuild.steps.PublishS3Step;
import io.imagebuilder.imagebuild.steps.PushCacheStep;
import io.imagebuilder.imagebuild.steps.PushImageStep;
import io.imagebuilder.imagebuild.steps.UnitCache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one unit on one host and pushes it, with the units that are the same build (they differ only in their
 * tag) tagged from it. When it fails it finds out whose fault that was: a host whose connection dropped or whose
 * engine no longer answers its probe was lost under the unit; otherwise the step that failed says what it was.
 */
final class BuildUnitStep {

    private BuildUnitStep() {
    }

    /** @return the digest each unit was pushed under */
    static Map<BuildUnit, String> run(List<BuildUnit> units, PoolHost host, BuildOptions options,
                                      RegistrySpec registry, LineSink log, Cancellation cancellation)
            throws UnitFailedException {
        DockerClient docker = host.docker();
        BuildUnit first = units.get(0);
        Map<BuildUnit, String> digests = new LinkedHashMap<>();
        try {
            BuildImageStep.run(docker, first.withCache(groupCache(units)), host.spec().network(), options, log);
            for (BuildUnit other : units.subList(1, units.size())) {
                log.line("[" + other.label() + "] same build as " + first.label() + "; tagging it");
                docker.require("tagging " + other.label(), List.of("tag", first.localTag(), other.localTag()),
                        null, log);
            }
        } catch (BuildException e) {
            throw failed(UnitFailure.buildFailed(e.getMessage()), e, host, cancellation);
        } catch (RuntimeException e) {
            throw failed(UnitFailure.buildFailed("building " + first.label() + " failed: " + e), e, host,
                    cancellation);
        }
        try {
            for (BuildUnit u : units) {
                digests.put(u, switch (options.publish()) {
                    case LOCAL -> LocalImageStep.run(docker, u, log);
                    case S3 -> PublishS3Step.run(docker, u, options.s3(), log);
                    case REGISTRY -> PushImageStep.run(docker, u, registry, log);
                });
            }
            for (BuildUnit u : units) PushCacheStep.run(docker, u, log);
        } catch (BuildException e) {
            throw failed(UnitFailure.registryRefused(e.getMessage()), e, host, cancellation);
        } catch (RuntimeException e) {
            throw failed(UnitFailure.buildFailed("building " + first.label() + " failed: " + e), e, host,
                    cancellation);
        }
        return digests;
    }

    /**
     * The cache of one build made for several units: every image they may reuse, and the first cache to push (each
     * unit pushes the built image under its own cache reference; the cache's metadata is the same).
     */
    private static UnitCache groupCache(List<BuildUnit> units) {
        java.util.Set<String> from = new java.util.LinkedHashSet<>();
        String to = null;
        for (BuildUnit u : units) {
            from.addAll(u.cache().from());
            if (to == null) to = u.cache().to();
        }
        return new UnitCache(List.copyOf(from), to);
    }

    /** The step's own failure, unless the host turns out to be gone, which a failing build cannot tell apart. */
    private static UnitFailedException failed(UnitFailure own, Exception cause, PoolHost host,
                                              Cancellation cancellation) {
        if (cancellation != null && cancellation.isCancelled()) {
            return new UnitFailedException(UnitFailure.cancelled(own.message()), cause);
        }
        return new UnitFailedException(hostFailure(own, host), cause);
    }

    private static UnitFailure hostFailure(UnitFailure own, PoolHost host) {
        if (!host.isOpen()) return UnitFailure.hostLost(own.message(), "the connection to it dropped");
        try {
            HostProbe.Answer answer = HostProbe.ask(host.docker());
            if (answer.answered()) return own;
            return answer.timedOut() ? UnitFailure.timedOut(own.message(), answer.problem())
                    : UnitFailure.hostLost(own.message(), answer.problem());
        } catch (BuildException e) {
            return UnitFailure.hostLost(own.message(), e.getMessage());
        } catch (RuntimeException e) {
            return UnitFailure.hostLost(own.message(), "its probe failed: " + e);
        }
    }
}
