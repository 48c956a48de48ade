package io.imagebuilder.imagebuild;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.edit.EditImageStep;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.layer.ApplyPlaybookStep;
import io.imagebuilder.imagebuild.lock.AttachProvenanceStep;
import io.imagebuilder.imagebuild.lock.AttachSbomStep;
import io.imagebuilder.imagebuild.lock.BuildLock;
import io.imagebuilder.imagebuild.lock.OciLabels;
import io.imagebuilder.imagebuild.lock.PinBasesStep;
import io.imagebuilder.imagebuild.lock.VendoredImages;
import io.imagebuilder.imagebuild.lock.RecordLockStep;
import io.imagebuilder.imagebuild.layer.PackageLayerContext;
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
import io.imagebuilder.imagebuild.steps.LoginStep;
import io.imagebuilder.imagebuild.steps.PushImageStep;
import io.imagebuilder.imagebuild.steps.RemoveImagesStep;
import io.imagebuilder.imagebuild.steps.SecretFiles;
import io.imagebuilder.secret.Redactor;
import io.imagebuilder.ssh.SshIdentity;
import io.imagebuilder.util.Trees;

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
    private BuildOutcome build(BuildParams params, RegistrySpec registry, List<BuildHost> hosts,
                               FetchedSource source, Path directory, BuildLock lock, Path vendor, Set<String> rebuilt)
            throws BuildException {
        java.time.Instant started = java.time.Instant.now();
        if (registry != null && params.target().publish() == Target.Publish.REGISTRY) AttachSbomStep.prepare();
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
     * Builds and pushes each layer in turn, on the given hosts: its context and Dockerfile written from its
     * description, or a playbook applied to a container, its parent an image or an earlier layer, as pushed. Held
     * to a lock, a parent image is pinned by digest and a playbook must be the one recorded; an earlier layer is
     * made again.
     */
    public BuildOutcome layers(BuildParams params, RegistrySpec registry, List<BuildHost> hosts, Path directory,
                               BuildLock lock, Path vendor) throws BuildException {
        Map<String, String> pushed = new java.util.HashMap<>();
        List<BuildOutcome> parts = new java.util.ArrayList<>();
        List<Source.Layer> layers = ((Source.Layers) params.source()).layers();
        for (int i = 0; i < layers.size(); i++) {
            Source.Layer layer = layers.get(i);
            String parent = pushed.getOrDefault(layer.parent(), layer.parent());
            ImageSpec spec = new ImageSpec(layer.image(), layer.tag(), null, List.of());
            BuildParams one = new BuildParams(null, new Target(registry, List.of(spec)), params.buildArgs(),
                    params.labels(), params.secrets(), params.proxyCa(), null);
            String reference = UnitPlanner.reference(registry, spec);
            BuildLock held = lock == null ? null : lock.only(reference);
            Set<String> rebuilt = Set.copyOf(pushed.values());
            Path work = directory.resolve("layers-work").resolve(layer.name());
            try {
                if (layer.ansible() != null) {
                    Path playbook = Path.of(layer.ansible().playbook());
                    Material material = localFile("layers[" + i + "].ansible.playbook", playbook, held);
                    String from = held == null || rebuilt.contains(parent) ? parent
                            : PinBasesStep.pin(parent, reference, held, moved(held, vendor, registry, rebuilt), log);
                    java.time.Instant started = java.time.Instant.now();
                    BuildOutcome outcome = playbookLayer(layer, from, registry, hosts.get(0), spec);
                    parts.add(withLock(outcome, started, registry, one, work,
                            () -> new RecordLockStep(log, registry, rebuilt).made(one, Map.of(reference, parent),
                                    List.of(material), outcome, held)));
                } else {
                    Path context = directory.resolve("layers").resolve(layer.name());
                    Trees.delete(context);
                    Files.createDirectories(context);
                    Path dockerfile = PackageLayerContext.write(layer.packages(), parent, context);
                    log.line("layer " + layer.name() + ": " + spec.reference() + " on " + parent);
                    parts.add(build(one, registry, hosts, new FetchedSource(context, dockerfile), work, held, vendor,
                            rebuilt));
                }
            } catch (BuildException e) {
                if (e.partial() != null) parts.add(e.partial());
                throw new BuildException("layer " + layer.name() + ": " + e.getMessage(), joined(parts));
            } catch (java.io.IOException e) {
                throw new BuildException("layer " + layer.name() + ": cannot write its build context: "
                        + e.getMessage(), joined(parts));
            }
            pushed.put(layer.name(), reference);
        }
        return joined(parts);
    }

    /**
     * The layers' outcomes as one: every image, tag and attachment, the hosts as the last build on them saw them,
     * and one lock of them all (none when one of them has none).
     */
    private static BuildOutcome joined(List<BuildOutcome> parts) {
        List<PushedImage> images = new java.util.ArrayList<>();
        Map<String, List<String>> tags = new java.util.LinkedHashMap<>();
        List<Map<String, Object>> hosts = List.of();
        List<BuildLock> locks = new java.util.ArrayList<>();
        List<Map<String, Object>> provenance = new java.util.ArrayList<>();
        List<Map<String, Object>> sboms = new java.util.ArrayList<>();
        for (BuildOutcome part : parts) {
            images.addAll(part.images());
            part.hostTags().forEach((h, t) -> tags.computeIfAbsent(h, k -> new java.util.ArrayList<>()).addAll(t));
            if (!part.hosts().isEmpty()) hosts = part.hosts();
            if (part.lock() != null) locks.add(BuildLock.fromMap(part.lock()));
            provenance.addAll(part.provenance());
            sboms.addAll(part.sboms());
        }
        BuildOutcome outcome = new BuildOutcome(images, tags, hosts);
        return parts.isEmpty() || locks.size() < parts.size() ? outcome
                : outcome.withLock(BuildLock.join(locks).toMap(), provenance, sboms);
    }

    /** A local file the build uses, as the lock records it; held to a lock, it must be the one recorded there. */
    private Material localFile(String field, Path file, BuildLock held) throws BuildException {
        try {
            return new FetchSourceStep(log, cancellation).locked(held == null ? List.of() : held.materials())
                    .localFile(field, file);
        } catch (SourceException e) {
            throw new BuildException(e.getMessage(), e);
        }
    }

    /**
     * An Ansible layer: a container of the parent is started on the host, the playbook applied to it, and the
     * container committed and pushed as the layer's image; the container is removed whatever happens.
     */
    private BuildOutcome playbookLayer(Source.Layer layer, String parent, RegistrySpec registry, BuildHost host,
                                       ImageSpec spec) throws BuildException {
        String reference = UnitPlanner.reference(registry, spec);
        String container = "image-builder-layer-" + java.util.UUID.randomUUID();
        ClientCapabilities caps = shared.clients().of(host.dockerClient());
        try (EngineConnection connection = EngineConnection.open(host, log, cancellation)) {
            DockerCli docker = new DockerCli(caps, connection, cancellation);
            if (registry != null) LoginStep.run(docker, registry, log);
            log.line("layer " + layer.name() + ": " + reference + ", the playbook " + layer.ansible().playbook()
                    + " applied to " + parent);
            docker.require("pulling " + parent, List.of("pull", parent), null, log);
            List<String> config = new java.util.ArrayList<>();
            docker.require("inspecting " + parent, List.of("image", "inspect", "--format",
                    "{{json .Config.Entrypoint}}\n{{json .Config.Cmd}}\n{{.Os}}/{{.Architecture}}", parent), null,
                    config::add);
            if (config.size() < 3) throw new BuildException("inspecting " + parent + ": the engine said " + config);
            String entrypoint = jsonList(config.get(0));
            String cmd = jsonList(config.get(1));
            String platform = config.get(2).strip(); // a commit keeps its container's image's platform
            // the container only has to stay up; an image's own entry point might not pass "sleep" on
            List<String> start = new java.util.ArrayList<>(List.of("run", "--detach", "--network", "none", "--name",
                    container));
            if (entrypoint != null) start.addAll(List.of("--entrypoint", "sleep", parent, "infinity"));
            else start.addAll(List.of(parent, "sleep", "infinity"));
            docker.require("starting a container of " + parent, start, null, line -> { });
            try {
                ApplyPlaybookStep.run(container, Path.of(layer.ansible().playbook()), layer.ansible().groups(),
                        connection.environment(), reference, log, cancellation);
                // the image keeps the parent's own entry point and command, not the container's "sleep infinity"
                List<String> commit = new java.util.ArrayList<>(List.of("commit"));
                if (entrypoint != null) commit.addAll(List.of("--change", "ENTRYPOINT " + entrypoint));
                if (cmd != null) commit.addAll(List.of("--change", "CMD " + cmd));
                else log.line("layer " + layer.name() + ": " + parent + " names no command; the layer's is left as "
                        + "the container's");
                commit.addAll(List.of(container, reference));
                docker.require("committing " + container, commit, null, log);
            } finally {
                docker.run(List.of("rm", "--force", container), null, line -> { }, line -> { }, null);
            }
            BuildUnit unit = new BuildUnit(spec, null, reference, reference, null, null);
            String digest = PushImageStep.run(docker, unit, log);
            PushedImage image = new PushedImage(reference, digest, platform, null, host.dockerHost());
            return new BuildOutcome(List.of(image), Map.of(host.dockerHost(), List.of(reference)), List.of());
        }
    }

    /** A JSON list as docker printed it, or null for none ("null", or an empty list, which docker ignores). */
    private static String jsonList(String printed) {
        String t = printed.strip();
        return t.startsWith("[") && !t.equals("[]") ? t : null;
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
    private Map<String, String> moved(BuildLock lock, Path vendor, RegistrySpec registry, Set<String> rebuilt)
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

    private interface LockRecording {
        BuildLock record() throws java.io.IOException, InterruptedException;
    }

    /**
     * The outcome with its lock, and with provenance and an SBOM attached to each image pushed to a registry; what
     * is built and pushed stays so when these cannot be written down. The SBOMs, which need only the pushed images,
     * are made while the lock is recorded and the provenance attached.
     */
    private BuildOutcome withLock(BuildOutcome outcome, java.time.Instant started, RegistrySpec registry,
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
