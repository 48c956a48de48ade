package io.imagebuilder.imagebuild;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.edit.EditImageStep;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.lock.AttachProvenanceStep;
import io.imagebuilder.imagebuild.lock.AttachSbomStep;
import io.imagebuilder.imagebuild.lock.BuildLock;
import io.imagebuilder.imagebuild.lock.OciLabels;
import io.imagebuilder.imagebuild.lock.PinBasesStep;
import io.imagebuilder.imagebuild.lock.VendoredImages;
import io.imagebuilder.imagebuild.lock.RecordLockStep;
import io.imagebuilder.imagebuild.host.ClientCapabilities;
import io.imagebuilder.imagebuild.host.DockerCli;
import io.imagebuilder.imagebuild.host.EngineConnection;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.outcome.BuildOutcome;
import io.imagebuilder.imagebuild.outcome.PushedImage;
import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.params.Source;
import io.imagebuilder.imagebuild.params.Target;
import io.imagebuilder.imagebuild.pool.PoolBuild;
import io.imagebuilder.imagebuild.pool.SharedHosts;
import io.imagebuilder.imagebuild.source.FetchSourceStep;
import io.imagebuilder.imagebuild.source.FetchedSource;
import io.imagebuilder.imagebuild.source.Material;
import io.imagebuilder.imagebuild.source.SourceException;
import io.imagebuilder.imagebuild.source.SourceLimits;
import io.imagebuilder.imagebuild.steps.BuildOptions;
import io.imagebuilder.imagebuild.steps.BuildUnit;
import io.imagebuilder.imagebuild.steps.RemoveImagesStep;
import io.imagebuilder.imagebuild.steps.SecretFiles;
import io.imagebuilder.secret.Redactor;
import io.imagebuilder.ssh.SshIdentity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * @param gitSsh key and known_hosts for git over SSH, or null for none
     * @param lock the lock the source must match (git at its commits, downloads with its hashes), or null
     * @param vendor the vendor directory the source is copied from instead of fetched, or null
     */
    public FetchedSource fetch(BuildParams params, Path directory, SshIdentity gitSsh, SourceLimits limits,
                               BuildLock lock, Path vendor) throws BuildException {
        try {
            Files.createDirectories(directory);
            FetchSourceStep step = new FetchSourceStep(log, cancellation, gitSsh, limits);
            if (lock != null) step.locked(lock.materials());
            if (lock != null && vendor != null) step.offline(vendor);
            return step.run(params.source(), directory);
        } catch (SourceException e) {
            throw new BuildException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while fetching the source");
        } catch (java.io.IOException e) {
            throw new BuildException("cannot create " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds and pushes every image on the given hosts (the first one's default platform is the default).
     *
     * @param lock the lock the build is held to (its base images pinned by digest), or null
     * @param vendor the vendor directory of the lock, whose base images are copied into the target registry when
     *     their own registries do not have them, or null
     */
    public BuildOutcome build(BuildParams params, RegistrySpec registry, List<BuildHost> hosts, FetchedSource source,
                              Path directory, BuildLock lock, Path vendor) throws BuildException {
        return build(params, registry, hosts, source, directory, lock, vendor, Set.of());
    }

    /** @param rebuilt images this build made before (earlier layers), never pinned by the lock: made again */
    BuildOutcome build(BuildParams params, RegistrySpec registry, List<BuildHost> hosts,
                               FetchedSource source, Path directory, BuildLock lock, Path vendor, Set<String> rebuilt)
            throws BuildException {
        java.time.Instant started = java.time.Instant.now();
        List<BuildUnit> units = UnitPlanner.units(params, registry, hosts.get(0), source, directory);
        List<BuildUnit> built = lock == null ? units : PinBasesStep.run(units, lock, params.buildArgs(), directory,
                log, moved(lock, vendor, registry, rebuilt));
        RecordLockStep recorder = new RecordLockStep(log, registry, rebuilt);
        java.util.concurrent.CompletableFuture<Void> bases = lock != null
                ? java.util.concurrent.CompletableFuture.completedFuture(null)
                : recorder.prefetch(units, params.buildArgs());
        try (SecretFiles secrets = SecretFiles.write(params, System::getenv)) {
            Redactor redactor = secrets.redactor();
            try {
                BuildOutcome outcome = new PoolBuild(redactor.wrap(log), cancellation, shared)
                        .run(hosts, built, registry, BuildOptions.of(params.withLabels(
                                OciLabels.with(params.labels(), source.materials())), secrets));
                return withLock(outcome, started, registry, params, directory, () -> {
                    bases.join();
                    return recorder.run(params, source.materials(), units, outcome, lock);
                });
            } catch (BuildException e) {
                // a failing RUN step's last line becomes the message, and it may have printed a secret
                throw new BuildException(redactor.redact(e.getMessage()), e.partial());
            }
        }
    }

    /**
     * Builds and pushes each layer in turn, on the given hosts (see {@link LayersBuild}). Held to a lock, a parent
     * image is pinned by digest and a playbook must be the one recorded; an earlier layer is made again.
     */
    public BuildOutcome layers(BuildParams params, RegistrySpec registry, List<BuildHost> hosts, Path directory,
                               BuildLock lock, Path vendor) throws BuildException {
        return new LayersBuild(this, log, cancellation, shared).run(params, registry, hosts, directory, lock, vendor);
    }

    /** A local file the build uses, as the lock records it; held to a lock, it must be the one recorded there. */
    Material localFile(String field, Path file, BuildLock held) throws BuildException {
        try {
            return new FetchSourceStep(log, cancellation).locked(held == null ? List.of() : held.materials())
                    .localFile(field, file);
        } catch (SourceException e) {
            throw new BuildException(e.getMessage(), e);
        }
    }

    /**
     * Edits and pushes every image of an image source, without a build host. Held to a lock, each base is pinned by
     * the digest recorded, and each added file must be the one recorded.
     */
    public BuildOutcome edit(BuildParams params, RegistrySpec registry, Path directory, BuildLock lock, Path vendor)
            throws BuildException {
        Source.ImageEdit edit = (Source.ImageEdit) params.source();
        java.time.Instant started = java.time.Instant.now();
        List<Material> materials = new java.util.ArrayList<>();
        for (int i = 0; i < edit.add().size(); i++) {
            Path src = Path.of(edit.add().get(i).src());
            // a directory stays where it is, as for a build context
            materials.add(Files.isDirectory(src) ? Material.local("source.add[" + i + "].src", src)
                    : localFile("source.add[" + i + "].src", src, lock));
        }
        Map<String, String> moved = moved(lock, vendor, registry, Set.of());
        EditImageStep step = new EditImageStep(log, directory.resolve("jib-cache"));
        Map<String, String> bases = new java.util.HashMap<>();
        List<PushedImage> pushed = new java.util.ArrayList<>();
        for (ImageSpec image : params.target().images()) {
            if (cancellation != null && cancellation.isCancelled()) throw new BuildException("cancelled");
            String target = UnitPlanner.reference(registry, image);
            String base = image.base() != null ? image.base() : edit.image();
            bases.put(target, base);
            String from = lock == null ? base : PinBasesStep.pin(base, target, lock, moved, log);
            try {
                pushed.addAll(step.run(edit, new ImageSpec(image.image(), image.tag(), from, image.platforms()),
                        target, registry));
            } catch (BuildException e) {
                throw new BuildException(e.getMessage(), new BuildOutcome(pushed, java.util.Map.of(), List.of()));
            }
        }
        BuildOutcome outcome = new BuildOutcome(pushed, java.util.Map.of(), List.of());
        return withLock(outcome, started, registry, params, directory, () -> new RecordLockStep(log, registry)
                .made(params, bases, materials, outcome, lock));
    }

    /**
     * Where each base of a lock is pulled from, by the name the lock gives it, when not from its own registry at its
     * digest: a vendored base restored into the target registry, and an image this build made again as it is now.
     */
    Map<String, String> moved(BuildLock lock, Path vendor, RegistrySpec registry, Set<String> rebuilt)
            throws BuildException {
        Map<String, String> moved = new java.util.HashMap<>();
        if (lock != null && vendor != null) {
            try {
                moved.putAll(new VendoredImages(registry, log).restore(lock, vendor));
            } catch (java.io.IOException e) {
                throw new BuildException("cannot restore the vendored base images: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BuildException("interrupted while restoring the vendored base images");
            }
        }
        for (String image : rebuilt) moved.put(image, image);
        return moved;
    }

    interface LockRecording {
        BuildLock record() throws java.io.IOException, InterruptedException;
    }

    /**
     * The outcome with its lock, and with provenance and an SBOM attached to each image pushed to a registry; what
     * is built and pushed stays so when these cannot be written down. The SBOMs, which need only the pushed images,
     * are made while the lock is recorded and the provenance attached.
     */
    BuildOutcome withLock(BuildOutcome outcome, java.time.Instant started, RegistrySpec registry,
                                  BuildParams params, Path directory, LockRecording recording)
            throws BuildException {
        boolean attest = registry != null && params.target().publish() == Target.Publish.REGISTRY;
        long start = System.nanoTime();
        java.util.concurrent.CompletableFuture<List<Map<String, Object>>> sboms = !attest
                ? java.util.concurrent.CompletableFuture.completedFuture(List.of())
                : java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return new AttachSbomStep(registry, log, directory.resolve("sbom")).run(outcome);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.util.concurrent.CancellationException("interrupted");
                    }
                });
        try {
            BuildLock lock = recording.record();
            List<Map<String, Object>> attached = !attest ? List.of() : new AttachProvenanceStep(registry, log)
                    .run(lock, outcome, started, java.time.Instant.now()).stream()
                    .map(AttachProvenanceStep.Attached::toAttribute).toList();
            List<Map<String, Object>> boms = sboms.get();
            log.line("lock recorded, provenance and SBOMs attached in " + (System.nanoTime() - start) / 1_000_000
                    + " ms");
            return outcome.withLock(lock.toMap(), attached, boms);
        } catch (java.io.IOException e) {
            log.line("no lock, provenance or SBOM recorded: " + e.getMessage());
            return outcome;
        } catch (java.util.concurrent.ExecutionException e) {
            log.line("no lock, provenance or SBOM recorded: " + (e.getCause() instanceof java.io.UncheckedIOException u
                    ? u.getCause().getMessage() : String.valueOf(e.getCause())));
            return outcome;
        } catch (InterruptedException e) {
            sboms.cancel(true);
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while recording the lock", outcome);
        }
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
