package io.imagebuilder.imagebuild.lock;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.dockerfile.Dockerfile;
import io.imagebuilder.imagebuild.dockerfile.DockerfileException;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.source.Material;
import io.imagebuilder.imagebuild.steps.BuildUnit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds a build's units to a lock before anything is built: the lock must record the same images and platforms in
 * the same order, and the same Dockerfile for each; each unit then builds a copy of its Dockerfile in which every
 * base image is pinned by the digest the lock records (that of the list it was chosen from, when there is one, so
 * that the platforms of a unit share one Dockerfile).
 */
public final class PinBasesStep {

    private PinBasesStep() {
    }

    /** The units to build instead of {@code units}; pinned Dockerfiles are written into {@code directory}. */
    public static List<BuildUnit> run(List<BuildUnit> units, BuildLock lock, Map<String, String> buildArgs,
                                      Path directory, LineSink log) throws BuildException {
        return run(units, lock, buildArgs, directory, log, Map.of());
    }

    /**
     * As {@link #run(List, BuildLock, Map, Path, LineSink)}, with some bases pulled from elsewhere: {@code moved}
     * gives the pinned reference to use for a base, by the name the lock gives it.
     */
    public static List<BuildUnit> run(List<BuildUnit> units, BuildLock lock, Map<String, String> buildArgs,
                                      Path directory, LineSink log, Map<String, String> moved) throws BuildException {
        if (lock.units().size() != units.size()) {
            throw new BuildException("the lock records " + lock.units().size() + " images and platforms, and "
                    + "build_params asks for " + units.size() + ": the lock is of another build");
        }
        Map<String, Path> written = new HashMap<>();
        List<BuildUnit> out = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            BuildUnit unit = units.get(i);
            BuildLock.LockedUnit locked = lock.units().get(i);
            if (unit.platform() != null && !unit.platform().toString().equals(locked.platform())) {
                throw new BuildException(unit.label() + ": the lock records " + locked.platform() + " in its place");
            }
            try {
                String digest = Material.sha256(unit.dockerfile());
                if (!digest.equals(locked.dockerfile())) {
                    throw new BuildException(unit.label() + ": the Dockerfile is not the one the lock records ("
                            + digest + ", locked " + locked.dockerfile() + ")");
                }
                Map<String, String> pins = pins(unit, locked);
                pins.replaceAll((base, pin) -> moved.getOrDefault(base, pin));
                String key = unit.dockerfile() + " " + pins;
                Path pinned = written.get(key);
                if (pinned == null) {
                    String text = Files.readString(unit.dockerfile(), StandardCharsets.UTF_8);
                    pinned = directory.resolve("dockerfiles").resolve("locked-" + written.size() + ".Dockerfile");
                    Files.createDirectories(pinned.getParent());
                    Files.writeString(pinned, Dockerfile.parse(text).withPinnedBases(buildArgs, pins).text(),
                            StandardCharsets.UTF_8);
                    written.put(key, pinned);
                    pins.forEach((base, to) -> {
                        if (!base.equals(to)) log.line(unit.label() + ": " + base + " held at " + to + " by the lock");
                    });
                }
                out.add(new BuildUnit(unit.image(), unit.platform(), unit.reference(), unit.localTag(), unit.context(),
                        pinned, unit.cache()));
            } catch (IOException | DockerfileException e) {
                throw new BuildException(unit.label() + ": cannot pin its base images: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * The base an image without a Dockerfile (edited, or a playbook's layer) is made from, pinned by the digest the
     * lock records for it under the image's reference; {@code moved} as for {@link #run}.
     */
    public static String pin(String base, String reference, BuildLock lock, Map<String, String> moved, LineSink log)
            throws BuildException {
        for (BuildLock.LockedUnit unit : lock.units()) {
            if (!unit.reference().equals(reference)) continue;
            for (BuildLock.LockedBase locked : unit.bases()) {
                if (!locked.image().equals(base)) continue;
                if (locked.digest() == null) {
                    throw new BuildException(reference + ": the lock records no digest for its base " + base
                            + (locked.problem() == null ? "" : " (" + locked.problem() + ")"));
                }
                String pinned = moved.getOrDefault(base, withoutDigest(base) + "@" + VendoredImages.pinned(locked));
                log.line(reference + ": " + base + " held at " + pinned + " by the lock");
                return pinned;
            }
        }
        throw new BuildException(reference + ": the lock records no image made from " + base + ": the lock is of "
                + "another build");
    }

    static String withoutDigest(String image) {
        int at = image.indexOf('@');
        return at < 0 ? image : image.substring(0, at);
    }

    private static Map<String, String> pins(BuildUnit unit, BuildLock.LockedUnit locked) throws BuildException {
        Map<String, String> pins = new LinkedHashMap<>();
        for (BuildLock.LockedBase base : locked.bases()) {
            if (base.digest() == null) {
                throw new BuildException(unit.label() + ": the lock records no digest for its base " + base.image()
                        + (base.problem() == null ? "" : " (" + base.problem() + ")"));
            }
            pins.put(base.image(), withoutDigest(base.image()) + "@" + VendoredImages.pinned(base));
        }
        return pins;
    }
}
