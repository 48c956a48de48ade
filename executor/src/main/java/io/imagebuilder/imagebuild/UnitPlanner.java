package io.imagebuilder.imagebuild;

import io.imagebuilder.imagebuild.dockerfile.Dockerfile;
import io.imagebuilder.imagebuild.dockerfile.DockerfileException;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.source.FetchedSource;
import io.imagebuilder.imagebuild.steps.BuildUnit;
import io.imagebuilder.imagebuild.steps.ProxyCa;

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
        for (int i = 0; i < images.size(); i++) {
            ImageSpec image = images.get(i);
            Path dockerfile = image.base() == null && params.proxyCa() == null ? source.dockerfile()
                    : edited(source.dockerfile(), image, params.proxyCa() != null,
                    directory.resolve("dockerfiles").resolve(i + ".Dockerfile"));
            String reference = reference(registry, image);
            if (image.platforms().size() <= 1) {
                // an image naming no platform is built for the build host's first one, the platform it is recorded as
                Platform p = !image.platforms().isEmpty() ? image.platforms().get(0)
                        : host.platforms().isEmpty() ? null : host.defaultPlatform();
                out.add(new BuildUnit(image, p, reference, reference, source.context(), dockerfile));
                continue;
            }
            for (Platform p : image.platforms()) {
                out.add(new BuildUnit(image, p, reference, platformTag(reference, p), source.context(), dockerfile));
            }
        }
        return out;
    }

    /** registry host + repository + tag, unless the image already names a registry host. */
    public static String reference(RegistrySpec registry, ImageSpec image) {
        String first = image.image().contains("/") ? image.image().substring(0, image.image().indexOf('/')) : "";
        boolean hasHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        return (hasHost ? "" : registry.host() + "/") + image.image() + ":" + image.tag();
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
