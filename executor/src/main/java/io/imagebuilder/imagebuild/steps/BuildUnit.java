package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.params.Platform;

import java.nio.file.Path;

/**
 * One image variant for one platform: built from {@code dockerfile} in {@code context} and tagged
 * {@code localTag} on the build host, to be pushed as {@code reference}. {@code platform} null means the engine's
 * own platform. {@code cache} says which images' BuildKit cache it may reuse and where it pushes its own.
 */
public record BuildUnit(ImageSpec image, Platform platform, String reference, String localTag, Path context,
                        Path dockerfile, UnitCache cache) {

    public BuildUnit {
        if (cache == null) cache = UnitCache.NONE;
    }

    /** A unit with no cache. */
    public BuildUnit(ImageSpec image, Platform platform, String reference, String localTag, Path context,
                     Path dockerfile) {
        this(image, platform, reference, localTag, context, dockerfile, UnitCache.NONE);
    }

    public BuildUnit withCache(UnitCache other) {
        return new BuildUnit(image, platform, reference, localTag, context, dockerfile, other);
    }

    /**
     * How output lines of this unit are prefixed, e.g. "examples/app:latest linux/arm64"; the platform is named
     * only when the image names its platforms.
     */
    public String label() {
        return image.reference() + (platform == null || image.platforms().isEmpty() ? "" : " " + platform);
    }
}
