package io.imagebuilder.ssh;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SSH master connections kept open between runs, as ssh's own ControlPersist keeps them: a run that finds a
 * master for its host, user, key and known hosts uses it instead of making a new connection, and a master ends
 * once no run has used it for the time set. Each master has a directory of its own (its control socket, the
 * engine socket it forwards and what the host reported) in a directory private to this user.
 */
public final class HeldMasters {

    /** Seconds a master is kept once no run uses it; 0 keeps none (each run makes and ends its own). */
    public static final String PERSIST_VARIABLE = "IMAGE_BUILDER_SSH_PERSIST";
    static final int DEFAULT_SECONDS = 60;
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path base;
    private final int seconds;

    HeldMasters(Path base, int seconds) {
        this.base = base;
        this.seconds = seconds;
    }

    /**
     * The masters as this process's environment sets them: null when it keeps none.
     *
     * @throws IllegalArgumentException when the setting is not a number of seconds
     */
    public static HeldMasters fromEnvironment() {
        int seconds = seconds(System.getenv(PERSIST_VARIABLE));
        if (seconds == 0) return null;
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path base = runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()
                && Files.isDirectory(Path.of(runtime)) ? Path.of(runtime, "image-builder-ssh")
                : Path.of(System.getProperty("java.io.tmpdir"), "image-builder-ssh-" + uid());
        return new HeldMasters(base, seconds);
    }

    /** Masters kept under {@code base} for {@code seconds} (a process that keeps them elsewhere, as a test does). */
    public static HeldMasters at(Path base, int seconds) {
        if (seconds <= 0) throw new IllegalArgumentException("a kept master is kept for some seconds");
        return new HeldMasters(base, seconds);
    }

    static int seconds(String setting) {
        if (setting == null || setting.isBlank()) return DEFAULT_SECONDS;
        try {
            int s = Integer.parseInt(setting.trim());
            if (s >= 0) return s;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(PERSIST_VARIABLE + " must be a whole number of seconds (0 keeps no "
                + "connection open between runs), not \"" + setting + "\"");
    }

    public int seconds() {
        return seconds;
    }

    /**
     * The directory of the master for {@code target}, made if need be. Everything in it is this user's alone: the
     * directories are made private, and one that is not (another owner, other permissions, a link) is refused.
     */
    public Path directory(SshEndpoint target) throws IOException {
        privateDirectory(base);
        return privateDirectory(base.resolve(key(target)));
    }

    /**
     * Holds the master of {@code directory} for this caller while it finds or makes the connection: other runs, in
     * this process or another, wait, and then use the master this one made.
     */
    public static AutoCloseable lock(Path directory) throws IOException {
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(directory, d -> new ReentrantLock());
        inProcess.lock();
        try {
            FileChannel file = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock held;
            try {
                held = file.lock();
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
            return () -> {
                try {
                    held.release();
                    file.close();
                } finally {
                    inProcess.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            inProcess.unlock();
            throw e;
        }
    }

    /**
     * What tells one master from another: the address, and the key and known hosts files with their size and
     * time, so that a changed or revoked key or host key is never answered by a connection made before.
     */
    static String key(SshEndpoint target) {
        SshIdentity id = target.identity();
        Path home = Path.of(System.getProperty("user.home"), ".ssh");
        String text = String.join("\n", target.describe(),
                stamp(id.privateKey()), stamp(id.knownHosts() != null ? id.knownHosts() : home.resolve("known_hosts")),
                stamp(id.knownHosts() != null ? null : home.resolve("config")));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stamp(Path file) {
        if (file == null) return "-";
        Path p = file.toAbsolutePath().normalize();
        try {
            return p + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return p + " missing";
        }
    }

    private static Path privateDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // checked below, as one just made
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(uid())) throw new IOException(dir + " belongs to another user");
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
            throw new IOException(dir + " is open to other users");
        }
        return dir;
    }

    private static Object uid() {
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new IllegalStateException("cannot tell this process's user: " + e.getMessage(), e);
        }
    }
}
