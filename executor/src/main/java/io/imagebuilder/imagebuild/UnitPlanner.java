package io.imagebuilder.imagebuild;

import io.imagebuilder.imagebuild.dockerfile.Dockerfile;
import io.imagebuilder.imagebuild.dockerfile.DockerfileException;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.CacheSpec;
import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.source.FetchedSource;
import io.imagebuilder.imagebuild.steps.BuildUnit;
import io.imagebuilder.imagebuild.steps.ProxyCa;
import io.imagebuilder.imagebuild.steps.UnitCache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns build_params into build units: one per image variant and platform, each with the Dockerfile it builds
 * (the fetched one, or a copy with the base image replaced or the proxy CA mounted) and the tags it gets on the
 * host and in the registry.
 */
public final class UnitPlanner {

    private static final int MAX_TAG = 128;

    private UnitPlanner() {
    }

    static List<BuildUnit> units(BuildParams params, RegistrySpec registry, BuildHost host, FetchedSource source,
                                 Path directory) throws BuildException {
        List<BuildUnit> out = new ArrayList<>();
        List<ImageSpec> images = params.target().images();
        boolean proxyCa = params.proxyCa() != null;
        Path shared = null; // one copy for every image on the Dockerfile's own base, so they stay one build
        for (int i = 0; i < images.size(); i++) {
            ImageSpec image = images.get(i);
            Path dockerfile;
            if (image.base() != null) {
                dockerfile = edited(source.dockerfile(), image, proxyCa, directory.resolve("dockerfiles")
                        .resolve(i + ".Dockerfile"));
            } else if (proxyCa) {
                if (shared == null) {
                    shared = edited(source.dockerfile(), image, true, directory.resolve("dockerfiles")
                            .resolve("proxy-ca.Dockerfile"));
                }
                dockerfile = shared;
            } else {
                dockerfile = source.dockerfile();
            }
            String reference = reference(registry, image);
            if (image.platforms().size() <= 1) {
                // an image naming no platform is built for the build host's first one, the platform it is recorded as
                Platform p = !image.platforms().isEmpty() ? image.platforms().get(0)
                        : host.platforms().isEmpty() ? null : host.defaultPlatform();
                out.add(new BuildUnit(image, p, reference, reference, source.context(), dockerfile,
                        cache(params, registry, images.size() > 1 ? "-" + i : "")));
                continue;
            }
            for (Platform p : image.platforms()) {
                String suffix = (images.size() > 1 ? "-" + i : "") + "-" + p.toString().replace('/', '-');
                out.add(new BuildUnit(image, p, reference, platformTag(reference, p), source.context(), dockerfile,
                        cache(params, registry, suffix)));
            }
        }
        return out;
    }

    /**
     * registry host + repository + tag, unless the image already names a registry host (or there is no registry:
     * images kept on the build host).
     */
    public static String reference(RegistrySpec registry, ImageSpec image) {
        return inRegistry(registry, image.image()) + ":" + image.tag();
    }

    /** {@code name} in the registry, unless it names a registry host itself or there is no registry. */
    private static String inRegistry(RegistrySpec registry, String name) {
        if (registry == null) return name;
        String first = name.contains("/") ? name.substring(0, name.indexOf('/')) : "";
        boolean hasHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        return (hasHost ? "" : registry.host() + "/") + name;
    }

    /**
     * The unit's cache references: those of build_params in the target registry unless they name another, with
     * {@code suffix} added to their tags when the build has several units, so that each pushes its own cache and
     * finds it again in the next build (a reference by digest is used as it is).
     */
    private static UnitCache cache(BuildParams params, RegistrySpec registry, String suffix) {
        CacheSpec spec = params.cache();
        if (spec == null) return UnitCache.NONE;
        List<String> from = spec.from().stream().map(r -> cacheReference(registry, r, suffix)).toList();
        return new UnitCache(from, spec.to() == null ? null : cacheReference(registry, spec.to(), suffix));
    }

    private static String cacheReference(RegistrySpec registry, String reference, String suffix) {
        if (reference.contains("@")) return inRegistry(registry, reference);
        int slash = reference.lastIndexOf('/');
        int colon = reference.lastIndexOf(':');
        String name = colon > slash ? reference.substring(0, colon) : reference;
        String tag = (colon > slash ? reference.substring(colon + 1) : "latest") + suffix;
        if (tag.length() > MAX_TAG) tag = Integer.toHexString(reference.hashCode()) + suffix;
        return inRegistry(registry, name) + ":" + tag;
    }

    /** A tag for one platform's image on the build host, before it is pushed under the shared reference. */
    private static String platformTag(String reference, Platform p) {
        String slug = p.toString().replace('/', '-');
        String tag = reference.substring(reference.lastIndexOf(':') + 1) + "-" + slug;
        if (tag.length() > MAX_TAG) tag = Integer.toHexString(reference.hashCode()) + "-" + slug;
        return reference.substring(0, reference.lastIndexOf(':') + 1) + tag;
    }

    /** A copy of the Dockerfile with the image's base, and with the proxy CA mounted on every RUN step. */
    private static Path edited(Path dockerfile, ImageSpec image, boolean proxyCa, Path target) throws BuildException {
        try {
            Dockerfile edited = Dockerfile.parse(Files.readString(dockerfile, StandardCharsets.UTF_8));
            if (image.base() != null) edited = edited.withBase(null, image.base());
            if (proxyCa) edited = ProxyCa.apply(edited);
            Files.createDirectories(target.getParent());
            Files.writeString(target, edited.text(), StandardCharsets.UTF_8);
            return target;
        } catch (DockerfileException e) {
            throw new BuildException("cannot build " + image.reference() + (image.base() == null ? ""
                    : " on " + image.base()) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BuildException("cannot prepare the Dockerfile of " + image.reference() + ": " + e.getMessage(), e);
        }
    }
}
