package io.imagebuilder.imagebuild;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.host.ClientCapabilities;
import io.imagebuilder.imagebuild.host.DockerCli;
import io.imagebuilder.imagebuild.host.EngineConnection;
import io.imagebuilder.imagebuild.layer.ApplyPlaybookStep;
import io.imagebuilder.imagebuild.layer.PackageLayerContext;
import io.imagebuilder.imagebuild.lock.BuildLock;
import io.imagebuilder.imagebuild.lock.PinBasesStep;
import io.imagebuilder.imagebuild.lock.RecordLockStep;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.outcome.BuildOutcome;
import io.imagebuilder.imagebuild.outcome.PushedImage;
import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.params.Source;
import io.imagebuilder.imagebuild.params.Target;
import io.imagebuilder.imagebuild.pool.SharedHosts;
import io.imagebuilder.imagebuild.source.FetchedSource;
import io.imagebuilder.imagebuild.source.Material;
import io.imagebuilder.imagebuild.steps.BuildUnit;
import io.imagebuilder.imagebuild.steps.LoginStep;
import io.imagebuilder.imagebuild.steps.PushImageStep;
import io.imagebuilder.util.Trees;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds and pushes an image described as layers (OpenCHAMI's way), each in turn on the build hosts: a package
 * layer from a context and Dockerfile written from its description, an Ansible layer by applying a playbook to a
 * container of its parent and committing it. A parent is an image or an earlier layer, as pushed. Each layer gets
 * its lock, provenance and SBOM as any build does; the outcome joins them.
 */
final class LayersBuild {

    private final BuildPipeline pipeline;
    private final LineSink log;
    private final Cancellation cancellation;
    private final SharedHosts shared;

    LayersBuild(BuildPipeline pipeline, LineSink log, Cancellation cancellation, SharedHosts shared) {
        this.pipeline = pipeline;
        this.log = log;
        this.cancellation = cancellation;
        this.shared = shared;
    }

    /**
     * Builds and pushes each layer in turn, on the given hosts: its context and Dockerfile written from its
     * description, or a playbook applied to a container, its parent an image or an earlier layer, as pushed. Held
     * to a lock, a parent image is pinned by digest and a playbook must be the one recorded; an earlier layer is
     * made again.
     */
    BuildOutcome run(BuildParams params, RegistrySpec registry, List<BuildHost> hosts, Path directory,
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
                    Material material = pipeline.localFile("layers[" + i + "].ansible.playbook", playbook, held);
                    String from = held == null || rebuilt.contains(parent) ? parent
                            : PinBasesStep.pin(parent, reference, held, pipeline.moved(held, vendor, registry, rebuilt), log);
                    java.time.Instant started = java.time.Instant.now();
                    BuildOutcome outcome = playbookLayer(layer, from, registry, hosts.get(0), spec);
                    parts.add(pipeline.withLock(outcome, started, registry, one, work,
                            () -> new RecordLockStep(log, registry, rebuilt).made(one, Map.of(reference, parent),
                                    List.of(material), outcome, held)));
                } else {
                    Path context = directory.resolve("layers").resolve(layer.name());
                    Trees.delete(context);
                    Files.createDirectories(context);
                    Path dockerfile = PackageLayerContext.write(layer.packages(), parent, context);
                    log.line("layer " + layer.name() + ": " + spec.reference() + " on " + parent);
                    parts.add(pipeline.build(one, registry, hosts, new FetchedSource(context, dockerfile), work, held, vendor,
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
            if (registry != null) {
                LoginStep.run(registry, log);
                LoginStep.handTo(docker, registry);
            }
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
            String digest = PushImageStep.run(docker, unit, null, log); // a commit is a new image each time
            PushedImage image = new PushedImage(reference, digest, platform, null, host.dockerHost());
            return new BuildOutcome(List.of(image), Map.of(host.dockerHost(), List.of(reference)), List.of());
        }
    }

    /** A JSON list as docker printed it, or null for none ("null", or an empty list, which docker ignores). */
    private static String jsonList(String printed) {
        String t = printed.strip();
        return t.startsWith("[") && !t.equals("[]") ? t : null;
    }
}
