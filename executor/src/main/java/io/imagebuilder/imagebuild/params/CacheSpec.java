package io.imagebuilder.imagebuild.params;

import java.util.List;

/**
 * build_params' {@code cache}: images whose BuildKit cache a build may reuse ({@code from}), and where to push an
 * image carrying this build's cache ({@code to}, or null), so that another build host can start warm.
 */
public record CacheSpec(List<String> from, String to) {

    public CacheSpec {
        from = List.copyOf(from);
    }
}
