package io.imagebuilder.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Removing directory trees the executor created (work, source and private directories). */
public final class Trees {

    private Trees() {
    }

    /** Deletes {@code dir} and everything below it; false when something could not be removed. */
    public static boolean delete(Path dir) {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return true;
        try (var walk = Files.walk(dir)) {
            return walk.sorted(Comparator.reverseOrder()).map(p -> p.toFile().delete()).reduce(true, (a, b) -> a && b);
        } catch (IOException e) {
            return false;
        }
    }
}
