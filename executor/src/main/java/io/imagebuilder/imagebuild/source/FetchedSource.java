package io.imagebuilder.imagebuild.source;

import java.nio.file.Path;
import java.util.List;

/**
 * The fetched context directory and the Dockerfile to build, which may lie inside or outside the context (the
 * builder passes it with {@code -f}). Both are real paths: symbolic links are already resolved and checked.
 * {@code materials} are what they were fetched from, for the build's lock.
 */
public record FetchedSource(Path context, Path dockerfile, List<Material> materials) {

    public FetchedSource {
        materials = materials == null ? List.of() : List.copyOf(materials);
    }

    /** A source made on this machine, from nothing fetched. */
    public FetchedSource(Path context, Path dockerfile) {
        this(context, dockerfile, List.of());
    }
}
