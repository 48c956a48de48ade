package io.imagebuilder.imagebuild.lock;

import com.google.cloud.tools.jib.api.ImageReference;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.dockerfile.Dockerfile;
import io.imagebuilder.imagebuild.dockerfile.DockerfileException;
import io.imagebuilder.imagebuild.outcome.BuildOutcome;
import io.imagebuilder.imagebuild.outcome.PushedImage;
import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.BuildSecret;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.registry.RegistryClient;
import io.imagebuilder.imagebuild.source.Material;
import io.imagebuilder.imagebuild.steps.BuildUnit;
import io.imagebuilder.util.ProductVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes down what a finished build was made from: for every pushed image, its Dockerfile's digest and each base
 * image's digest for its platform, asked of the base's registry (with the target registry's credentials when it
 * is that registry, else anonymously), and the host and engine that built it. A base whose registry cannot be
 * asked is recorded with the reason instead of a digest: the build itself succeeded.
 */
public final class RecordLockStep {

    private final LineSink log;
    private final RegistrySpec registry;
    private final Map<String, RegistryClient.Resolved> resolved = new HashMap<>();
    private final Map<String, String> problems = new HashMap<>();
    private final Set<String> rebuilt;
    private final Map<String, RegistryClient.Manifest> manifests = new java.util.concurrent.ConcurrentHashMap<>();

    public RecordLockStep(LineSink log, RegistrySpec registry) {
        this(log, registry, Set.of());
    }

    /**
     * @param rebuilt images the same build made before (earlier layers): held to a lock, a base among them is
     *     recorded as it is now, since it was made again rather than pinned
     */
    public RecordLockStep(LineSink log, RegistrySpec registry, Set<String> rebuilt) {
        this.log = log;
        this.registry = registry;
        this.rebuilt = Set.copyOf(rebuilt);
    }

    /**
     * The lock of a Dockerfile build: its units, as built and published in {@code outcome}, whose images are the
     * units' in the same order (one each: the build succeeded). A build held to a lock ({@code heldTo}, else null)
     * records the base images of that lock, the ones it was built on, whatever their tags name now.
     */
    public BuildLock run(BuildParams params, List<Material> materials, List<BuildUnit> units, BuildOutcome outcome,
                         BuildLock heldTo) throws IOException, InterruptedException {
        if (outcome.images().size() != units.size()) {
            throw new IOException(units.size() + " images were to be built, " + outcome.images().size() + " were");
        }
        Map<String, String> engines = engines(outcome);
        Map<Path, List<String>> bases = new HashMap<>();
        Map<Path, String> digests = new HashMap<>();
        List<BuildLock.LockedUnit> locked = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            PushedImage image = outcome.images().get(i);
            Path dockerfile = units.get(i).dockerfile();
            if (!bases.containsKey(dockerfile)) {
                bases.put(dockerfile, baseImages(dockerfile, params.buildArgs()));
                digests.put(dockerfile, Material.sha256(dockerfile));
            }
            List<BuildLock.LockedBase> lockedBases = new ArrayList<>();
            if (heldTo != null) {
                for (BuildLock.LockedBase base : heldTo.units().get(i).bases()) {
                    lockedBases.add(rebuilt.contains(base.image()) ? base(base.image(), image.platform()) : base);
                }
            } else {
                for (String base : bases.get(dockerfile)) lockedBases.add(base(base, image.platform()));
            }
            locked.add(new BuildLock.LockedUnit(image.reference(), image.platform(), digests.get(dockerfile),
                    lockedBases, image.host(), engines.get(image.host())));
        }
        return new BuildLock(BuildLock.VERSION, executor(), materials, params.buildArgs(), secretIds(params), locked);
    }

    /**
     * The lock of images made without a Dockerfile (edited in their registry, or a playbook applied to a container):
     * every platform pushed, on the base {@code bases} gives for its reference. Held to a lock, the bases it records
     * are kept.
     */
    public BuildLock made(BuildParams params, Map<String, String> bases, List<Material> materials,
                          BuildOutcome outcome, BuildLock heldTo) throws InterruptedException {
        List<BuildLock.LockedUnit> locked = new ArrayList<>();
        for (PushedImage image : outcome.images()) {
            String base = bases.get(image.reference());
            BuildLock.LockedBase recorded = heldTo == null ? null : heldTo.units().stream()
                    .filter(u -> u.reference().equals(image.reference())).flatMap(u -> u.bases().stream())
                    .filter(b -> b.image().equals(base) && !rebuilt.contains(base)).findFirst().orElse(null);
            locked.add(new BuildLock.LockedUnit(image.reference(), image.platform(), null,
                    List.of(recorded != null ? recorded : base(base, image.platform())), image.host(), null));
        }
        return new BuildLock(BuildLock.VERSION, executor(), materials, params.buildArgs(), secretIds(params), locked);
    }

    /**
     * Asks the registries for what each base image of the units' Dockerfiles names now, while the units build, so
     * that the lock need not wait for them at the end; a base that cannot be asked now is asked again then.
     */
    public java.util.concurrent.CompletableFuture<Void> prefetch(List<BuildUnit> units, Map<String, String> buildArgs) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            java.util.Set<String> images = new java.util.LinkedHashSet<>();
            for (Path dockerfile : units.stream().map(BuildUnit::dockerfile).distinct().toList()) {
                try {
                    images.addAll(baseImages(dockerfile, buildArgs));
                } catch (IOException e) {
                    return; // the lock says so when it is recorded
                }
            }
            for (String image : images) {
                try {
                    named(image);
                } catch (IOException | RuntimeException e) {
                    // asked again when the lock is recorded, which says why it failed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    /** The manifest (or list) the base's tag names, asked once. */
    private RegistryClient.Manifest named(String base) throws IOException, InterruptedException {
        RegistryClient.Manifest m = manifests.get(base);
        if (m != null) return m;
        ImageReference reference = RegistryClient.reference(base);
        m = RegistryClient.of(reference.getRegistry(), registry).manifest(reference, reference.getQualifier());
        manifests.put(base, m);
        return m;
    }

    private BuildLock.LockedBase base(String base, String platform) throws InterruptedException {
        String key = base + " " + platform;
        if (!resolved.containsKey(key) && !problems.containsKey(key)) {
            try {
                ImageReference reference = RegistryClient.reference(base);
                RegistryClient.Resolved r = RegistryClient.resolve(reference, named(base), platform);
                resolved.put(key, r);
            } catch (IOException | RuntimeException e) {
                problems.put(key, e.getMessage());
                log.line("lock: cannot resolve the digest of " + base + " for " + platform + ": " + e.getMessage());
            }
        }
        RegistryClient.Resolved r = resolved.get(key);
        return r == null ? new BuildLock.LockedBase(base, null, null, problems.get(key))
                : new BuildLock.LockedBase(base, r.digest(), r.index(), null);
    }

    private static List<String> baseImages(Path dockerfile, Map<String, String> buildArgs) throws IOException {
        try {
            return Dockerfile.parse(Files.readString(dockerfile, StandardCharsets.UTF_8)).baseImages(buildArgs);
        } catch (DockerfileException e) {
            throw new IOException(dockerfile + ": " + e.getMessage(), e);
        }
    }

    /** Each host's engine ("Docker 20.10.24"), by docker_host, as the build's host report has it. */
    private static Map<String, String> engines(BuildOutcome outcome) {
        Map<String, String> out = new HashMap<>();
        for (Map<String, Object> host : outcome.hosts()) {
            if (host.get("engine") != null) {
                out.put(String.valueOf(host.get("docker_host")), String.valueOf(host.get("engine")));
            }
        }
        return out;
    }

    private static List<String> secretIds(BuildParams params) {
        return params.secrets().stream().map(BuildSecret::id).sorted().toList();
    }

    private static String executor() {
        return ProductVersion.text();
    }
}
