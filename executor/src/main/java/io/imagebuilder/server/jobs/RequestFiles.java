package io.imagebuilder.server.jobs;

import io.imagebuilder.imagebuild.BuildHostSettings;
import io.imagebuilder.imagebuild.BuildRequest;
import io.imagebuilder.util.Trees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Deployments read their inputs from a file: a request's inputs are written to a private one (0600, in a 0700
 * directory of its own) only while they are checked or deployed, and removed afterwards. Builds read the request
 * from memory, so that a server killed while it builds leaves no password on its disk.
 */
public final class RequestFiles {

    public static final String NAME = "request.json";

    private RequestFiles() {
    }

    /** Writes {@code body} to {@code dir}/request.json, creating {@code dir} private. */
    public static Path write(Path dir, byte[] body) throws IOException {
        Files.createDirectories(dir.getParent());
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path file = dir.resolve(NAME);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, body);
        return file;
    }

    public static void delete(Path dir) {
        try {
            if (Files.exists(dir)) Trees.delete(dir);
        } catch (RuntimeException e) {
            // a leftover directory is cleaned at the next start; never fail a request over it
        }
    }

    /**
     * The build request for a document, with the server's build host settings (as the build command's flags). The
     * document stays in memory; {@code file}, which is never written, names it in messages.
     */
    public static BuildRequest request(Path file, byte[] document, BuildHostSettings host, Path stateDirectory) {
        return new BuildRequest(file, host, null, stateDirectory,
                new String(document, java.nio.charset.StandardCharsets.UTF_8));
    }
}
