package io.imagebuilder.imagebuild.steps;

import java.util.List;

/**
 * The BuildKit cache of one unit: images whose inline cache its build may reuse, and the reference it pushes its own
 * under (null: none), the image then carrying the cache's metadata.
 */
public record UnitCache(List<String> from, String to) {

    public static final UnitCache NONE = new UnitCache(List.of(), null);

    public UnitCache {
        from = List.copyOf(from);
    }

    public boolean isEmpty() {
        return from.isEmpty() && to == null;
    }
}
