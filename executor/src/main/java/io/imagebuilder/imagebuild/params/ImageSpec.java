package io.imagebuilder.imagebuild.params;

import java.util.List;

/**
 * One image to produce: {@code image:tag}, built on {@code base} instead of the Dockerfile's own base when set,
 * for each of {@code platforms} (empty: the build host's default platform).
 */
public record ImageSpec(String image, String tag, String base, List<Platform> platforms) {

    public ImageSpec {
        platforms = List.copyOf(platforms);
    }

    public String reference() {
        return image + ":" + tag;
    }
}
