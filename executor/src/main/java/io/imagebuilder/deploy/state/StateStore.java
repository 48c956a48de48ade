package io.imagebuilder.deploy.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.imagebuilder.util.Trees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The state directory of one deployment. Every change is written whole to a temporary file, flushed to disk and
 * renamed over the old file, so a crash at any moment leaves either the old state or the new one.
 */
public final class StateStore {

    public static final String DEFAULT_DIRECTORY = ".image-builder";
    private static final String FILE = "state.json";

    private final Path dir;
    /** One for every store: a mapper keeps the (de)serializers it has made, dear to make for each state again. */
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
    private DeploymentState state;

    public StateStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /**
     * Makes the serializers of a state ahead of the first save, which otherwise pays for them (a short run's
     * first save took tens of milliseconds more than the next).
     */
    public static void prepare() {
        DeploymentState sample = new DeploymentState();
        sample.node("node");
        try {
            JSON.writeValueAsBytes(sample);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path directory() {
        return dir;
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    public Path runs() {
        return dir.resolve("runs");
    }

    public boolean exists() {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    public synchronized Optional<DeploymentState> load() {
        if (!exists()) return Optional.empty();
        try {
            state = JSON.readValue(dir.resolve(FILE).toFile(), DeploymentState.class);
            return Optional.of(state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read deployment state " + dir.resolve(FILE) + ": "
                    + e.getMessage(), e);
        }
    }

    public synchronized DeploymentState create(DeploymentState fresh) {
        state = fresh;
        save();
        return state;
    }

    public synchronized DeploymentState state() {
        return state;
    }

    /** Applies a change and saves it before returning. */
    public synchronized void update(Consumer<DeploymentState> change) {
        change.accept(state);
        save();
    }

    public synchronized void clean() {
        state = null;
        if (!Trees.delete(dir)) throw new UncheckedIOException(new IOException("cannot remove " + dir));
    }

    /**
     * Creates the state directory, private to its owner, when it does not exist: it holds the logs of operations and
     * the sources fetched for builds. An existing directory keeps the permissions it has.
     */
    public Path createDirectory() throws IOException {
        if (Files.isDirectory(dir)) return dir;
        if (dir.getParent() != null) Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
        }
        return dir;
    }

    private void save() {
        try {
            createDirectory();
            Path tmp = dir.resolve(FILE + ".tmp");
            byte[] bytes = JSON.writeValueAsBytes(state);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the rename itself must reach the disk
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save deployment state in " + dir + ": " + e.getMessage(), e);
        }
    }
}
