package io.imagebuilder.imagebuild.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.util.Trees;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives the docker client one registry's credentials without writing them to any file. The client's configuration
 * names a credential helper for the registry; the helper (a fixed script) reads a FIFO that a thread of this
 * process writes the credentials to. Killed, this process leaves only an empty FIFO behind.
 * <p>
 * Each reader gets a FIFO of its own: once a reader has opened it, a fresh FIFO takes its name before the
 * credentials are written, so the reader sees the end of its input as soon as they are written and can never read
 * them twice. The helper takes a lock around its read, so two readers never share one FIFO.
 */
final class CredentialHelper implements AutoCloseable {

    static final String NAME = "imagebuilder";
    private static final String SCRIPT = "docker-credential-" + NAME;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FAILURES = 5;

    private final Path dir;
    private final Path fifo;
    private final Thread server;
    /** The credentials as the helper prints them; set before the server starts. */
    private byte[] answer;
    private volatile boolean closed;

    private CredentialHelper(Path dir) {
        this.dir = dir;
        this.fifo = dir.resolve("credentials");
        this.server = new Thread(this::answerReaders, "registry-credentials");
        this.server.setDaemon(true);
    }

    /**
     * Installs the helper in {@code binDirectory} (which goes first on the docker client's PATH), with no
     * credentials yet: what takes time (making its FIFO) can be done while the engine's connection opens.
     */
    static CredentialHelper install(Path binDirectory) throws BuildException {
        try {
            Files.createDirectories(binDirectory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path script = binDirectory.resolve(SCRIPT);
            try (InputStream in = CredentialHelper.class.getResourceAsStream("/build/" + SCRIPT)) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            Files.writeString(binDirectory.resolve("lock"), "");
            CredentialHelper helper = new CredentialHelper(binDirectory);
            mkfifo(helper.fifo);
            return helper;
        } catch (IOException e) {
            throw new BuildException("cannot set up the registry credential helper: " + e.getMessage(), e);
        }
    }

    /** Starts serving these credentials, and names the helper in the client's configuration for the registry. */
    CredentialHelper serve(Path configDirectory, String registryHost, String username, String password)
            throws BuildException {
        try {
            Map<String, String> credentials = new LinkedHashMap<>();
            credentials.put("ServerURL", registryHost);
            credentials.put("Username", username);
            credentials.put("Secret", password);
            answer = JSON.writeValueAsBytes(credentials);
            Files.writeString(configDirectory.resolve("config.json"),
                    JSON.writeValueAsString(Map.of("credHelpers", Map.of(registryHost, NAME))));
        } catch (IOException e) {
            throw new BuildException("cannot set up the registry credential helper: " + e.getMessage(), e);
        }
        server.start();
        return this;
    }

    private void answerReaders() {
        int failures = 0;
        while (!closed && failures < MAX_FAILURES) {
            try (OutputStream out = new FileOutputStream(fifo.toFile())) { // waits for the helper to open it
                if (closed) return; // opened by close(), not by a reader: no FIFO is wanted any more
                Path next = dir.resolve("credentials.next");
                mkfifo(next);
                Files.move(next, fifo, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                if (closed) return;
                out.write(answer);
                failures = 0;
            } catch (IOException | BuildException e) {
                // a reader that went away early costs nothing; a FIFO that cannot be made again ends the service
                failures++;
            }
        }
    }

    private static void mkfifo(Path path) throws BuildException {
        List<String> err = new ArrayList<>();
        try {
            ProcessResult r = ProcessRunner.run(ProcessRunner.command("mkfifo", "-m", "600", path.toString()), null,
                    null, null, err::add, err::add, Duration.ofSeconds(10), null);
            if (!r.succeeded()) throw new BuildException("mkfifo failed: " + String.join(" ", err));
        } catch (IOException e) {
            throw new BuildException("cannot run mkfifo: " + e.getMessage(), e);
        }
    }

    /**
     * Ends the service. The server thread may be waiting for a reader: opening the FIFO for reading and writing
     * (which never waits on Linux) lets that wait end, and the FIFO is removed while it is held open, so no later
     * open can wait.
     */
    @Override
    public void close() {
        closed = true;
        try (RandomAccessFile unblock = new RandomAccessFile(fifo.toFile(), "rw")) {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            // nothing to unblock
        }
        try {
            server.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Trees.delete(dir);
    }
}
