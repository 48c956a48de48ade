package io.imagebuilder.build;

import java.util.List;

/** What a build pushed, and the tags it left on the build host (for clean-up). */
public record BuildOutcome(List<PushedImage> images, List<String> hostTags) {

    public BuildOutcome {
        images = List.copyOf(images);
        hostTags = List.copyOf(hostTags);
    }
}
