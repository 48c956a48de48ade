package io.imagebuilder.imagebuild.params;

import java.util.List;

/** What to produce: images, pushed to {@code registry} (null when a registry node supplies it). */
public record Target(RegistrySpec registry, List<ImageSpec> images) {

    public Target {
        images = List.copyOf(images);
    }
}
