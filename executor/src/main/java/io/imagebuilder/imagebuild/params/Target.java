package io.imagebuilder.imagebuild.params;

import java.util.List;

/**
 * What to produce: images, pushed to {@code registry} (null when a registry node supplies it, or when the images are
 * kept on the build host's engine or published to S3: {@code publish}); {@code s3} says where, for
 * {@link Publish#S3} (null otherwise).
 */
public record Target(RegistrySpec registry, List<ImageSpec> images, Publish publish, S3Spec s3) {

    /** Where built images go. */
    public enum Publish {
        /** pushed to the registry (the default) */
        REGISTRY,
        /** kept on the build host's engine, under their tags, and not pushed */
        LOCAL,
        /** each platform's root filesystem uploaded to an S3 bucket as a SquashFS, with a manifest */
        S3
    }

    public Target {
        images = List.copyOf(images);
        if (publish == null) publish = Publish.REGISTRY;
    }

    public Target(RegistrySpec registry, List<ImageSpec> images) {
        this(registry, images, Publish.REGISTRY, null);
    }

    public boolean keepsLocal() {
        return publish == Publish.LOCAL;
    }

    /** Whether nothing goes to a registry: the images stay on the build host or go to S3. */
    public boolean needsNoRegistry() {
        return publish != Publish.REGISTRY;
    }
}
