package io.imagebuilder.imagebuild.source;

import io.imagebuilder.util.Digests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One thing a build's source was fetched from, as a lock records it: a git repository at a commit, a download with
 * its SHA-256 and size, or a local directory. URLs are as logs show them: without credentials or a query string.
 *
 * @param kind {@code git}, {@code download}, {@code file} (a local file, hashed) or {@code local} (a directory)
 * @param field the build_params field it came from, such as {@code git_repo.url}
 * @param location the URL, or the local path
 * @param version the git version asked for (a branch, tag or commit; HEAD when none), else null
 * @param commit the git commit checked out, else null
 * @param committed the git commit's time (ISO 8601, UTC), else null
 * @param sha256 a download's hash as {@code sha256:HEX}, else null
 * @param size a download's size in bytes, else null
 */
public record Material(String kind, String field, String location, String version, String commit,
                       String committed, String sha256, Long size) {

    public static Material git(String field, String url, String version, String commit, java.time.Instant committed) {
        return new Material("git", field, url, version, commit, committed.toString(), null, null);
    }

    public static Material download(String field, String url, Path file) throws IOException {
        return new Material("download", field, url, null, null, null, sha256(file), Files.size(file));
    }

    public static Material file(String field, Path file) throws IOException {
        return new Material("file", field, file.toString(), null, null, null, sha256(file), Files.size(file));
    }

    public static Material local(String field, Path path) {
        return new Material("local", field, path.toString(), null, null, null, null, null);
    }

    /** The SHA-256 of a file, as {@code sha256:HEX}. */
    public static String sha256(Path file) throws IOException {
        return Digests.sha256(file);
    }
}
