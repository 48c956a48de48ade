package io.imagebuilder.imagebuild.params;

import java.util.List;

/**
 * What to produce: images, pushed to {@code registry} (null when a registry node supplies it, or when the images are
 * kept on the build host's engine: {@code publish} {@link Publish#LOCAL}).
 */
public record Target(RegistrySpec registry, List<ImageSpec> images, Publish publish) {

    /** Where built images go. */
    public enum Publish {
        /** pushed to the registry (the default) */
        REGISTRY,
        /** kept on the build host's engine, under their tags, and not pushed */
        LOCAL
    }

    public Target {
        images = List.copyOf(images);
        if (publish == null) publish = Publish.REGISTRY;
    }

    public Target(RegistrySpec registry, List<ImageSpec> images) {
        this(registry, images, Publish.REGISTRY);
    }

    public boolean keepsLocal() {
        return publish == Publish.LOCAL;
    }
}
