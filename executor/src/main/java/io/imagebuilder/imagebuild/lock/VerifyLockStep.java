package io.imagebuilder.imagebuild.lock;

import com.google.cloud.tools.jib.api.ImageReference;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.registry.RegistryClient;
import io.imagebuilder.imagebuild.source.Material;
import io.imagebuilder.imagebuild.source.VerifyMaterialStep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks every asset a lock records against the world as it is now, as htvend's {@code verify --fetch} does: each
 * base image's manifest still in its registry under the recorded digest (a HEAD request), each git version still
 * at the recorded commit, each download still with the recorded hash.
 */
public final class VerifyLockStep {

    private final RegistrySpec registry;
    private final Path scratch;

    /**
     * @param registry the registry whose credentials are used for the images in it (others are asked anonymously),
     *     or null for none
     * @param scratch a private directory for downloads and git listings
     */
    public VerifyLockStep(RegistrySpec registry, Path scratch) {
        this.registry = registry;
        this.scratch = scratch;
    }

    /** One checked asset: what it is, and what is wrong with it now (null when it matches). */
    public record Check(String kind, String asset, String problem) {

        public boolean ok() {
            return problem == null || problem.equals(VerifyMaterialStep.UNCHECKED);
        }
    }

    public List<Check> run(BuildLock lock) throws InterruptedException {
        List<Check> out = new ArrayList<>();
        VerifyMaterialStep materials = new VerifyMaterialStep(scratch);
        for (Material m : lock.materials()) {
            String asset = m.location() + (m.commit() != null ? "@" + m.commit() : m.sha256() != null
                    ? " " + m.sha256() : "");
            out.add(new Check(m.kind(), asset, materials.run(m)));
        }
        Set<String> seen = new LinkedHashSet<>();
        for (BuildLock.LockedUnit unit : lock.units()) {
            for (BuildLock.LockedBase base : unit.bases()) {
                String asset = base.image() + (base.digest() == null ? "" : "@" + base.digest());
                if (!seen.add(asset)) continue;
                out.add(new Check("image", asset, base.digest() == null
                        ? "no digest was recorded (" + base.problem() + ")" : image(base)));
            }
        }
        return out;
    }

    private String image(BuildLock.LockedBase base) throws InterruptedException {
        try {
            ImageReference reference = RegistryClient.reference(base.image());
            RegistryClient manifests = RegistryClient.of(reference.getRegistry(), registry);
            if (!manifests.has(reference, base.digest())) return "the registry no longer has it";
            if (base.index() != null && !manifests.has(reference, base.index())) {
                return "the registry no longer has the list it was chosen from, " + base.index();
            }
            return null;
        } catch (IOException e) {
            return "cannot ask its registry: " + e.getMessage();
        }
    }
}
