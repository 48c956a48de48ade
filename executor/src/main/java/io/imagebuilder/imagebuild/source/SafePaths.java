package io.imagebuilder.imagebuild.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Resolves paths that come from users or from fetched content (build_params, repositories, archives) so that
 * they can never lead outside the directory they belong to: not by being absolute, not by {@code ..}, and not
 * through a symbolic link.
 */
final class SafePaths {

    /** As many link hops as Linux follows before giving up with ELOOP. */
    private static final int MAX_LINK_HOPS = 40;

    private SafePaths() {
    }

    /**
     * The path {@code value} names inside {@code root}, checked lexically only (the file system is not touched).
     *
     * @param field what the user wrote it as, for messages ({@code git_repo.workdir})
     * @param where what {@code root} is, for messages ({@code the repository})
     */
    static Path inside(Path root, String value, String field, String where) throws SourceException {
        String v = value == null || value.isEmpty() ? "." : value;
        Path relative;
        try {
            relative = Path.of(v);
        } catch (InvalidPathException e) {
            throw new SourceException(field + " '" + v + "' is not a valid path");
        }
        if (relative.isAbsolute()) {
            throw new SourceException(field + " '" + v + "' must be a path relative to " + where
                    + ", not an absolute path");
        }
        Path base = root.normalize();
        Path resolved = base.resolve(relative).normalize();
        if (!resolved.startsWith(base)) throw new SourceException(field + " '" + v + "' leads outside " + where);
        return resolved;
    }

    /**
     * The real path of {@code path} (all links followed), which must still lie inside {@code root}; null when
     * nothing exists at {@code path}.
     */
    static Path existing(Path root, Path path, String field, String value, String where) throws SourceException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return null;
        Path real;
        Path realRoot;
        try {
            realRoot = root.toRealPath();
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new SourceException(field + " '" + value + "' in " + where
                    + " is a symbolic link to something that does not exist");
        } catch (IOException e) {
            throw new SourceException("cannot read " + field + " '" + value + "' in " + where + ": " + e.getMessage());
        }
        if (!real.startsWith(realRoot)) {
            throw new SourceException(field + " '" + value + "' leads outside " + where + " through a symbolic link");
        }
        return real;
    }

    /**
     * Whether the symbolic link {@code link} (inside {@code root}, a real path) resolves to somewhere inside root.
     * The resolution follows the file system's rules, not lexical ones: {@code a/..} where {@code a} is a link
     * means the parent of a's target, which a lexical check would get wrong. Missing components are taken as
     * plain names, so a dangling link is judged by where it would point.
     */
    static boolean linkStaysInside(Path root, Path link) throws IOException {
        return resolve(root, link.getParent(), Files.readSymbolicLink(link), 0) != null;
    }

    /** Null when the resolution leaves root, is absolute, or loops. */
    private static Path resolve(Path root, Path directory, Path target, int hops) throws IOException {
        if (hops > MAX_LINK_HOPS || target.isAbsolute()) return null;
        Path current = directory;
        for (Path part : target) {
            String name = part.toString();
            if (name.isEmpty() || name.equals(".")) continue;
            if (name.equals("..")) {
                if (current.equals(root)) return null;
                current = current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            if (Files.isSymbolicLink(next)) {
                next = resolve(root, current, Files.readSymbolicLink(next), hops + 1);
                if (next == null) return null;
            }
            current = next;
        }
        return current;
    }

    /**
     * Checks that every directory between {@code root} and {@code path} (exclusive) is a real directory, creating
     * missing ones when {@code create} is set; a symbolic link on the way is refused, so that nothing is ever
     * written or linked through one.
     */
    static void requireRealParents(Path root, Path path, boolean create, String what) throws SourceException,
            IOException {
        Path relative = root.relativize(path.getParent() == null ? root : path.getParent());
        Path current = root;
        for (Path part : relative) {
            if (part.toString().isEmpty()) continue;
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                throw new SourceException(what + " lies under the symbolic link " + root.relativize(current));
            }
            if (Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) continue;
            if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new SourceException(what + " lies under " + root.relativize(current) + ", which is not a directory");
            }
            if (!create) throw new SourceException(what + " does not exist");
            Files.createDirectory(current);
        }
    }
}
