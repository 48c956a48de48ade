package io.imagebuilder.imagebuild.source;

import java.nio.file.Path;

/**
 * The fetched context directory and the Dockerfile to build, which may lie inside or outside the context (the
 * builder passes it with {@code -f}). Both are real paths: symbolic links are already resolved and checked.
 */
public record FetchedSource(Path context, Path dockerfile) {
}
