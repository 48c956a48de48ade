package io.imagebuilder.testenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;

/** What a process killed with SIGKILL may leave behind: files holding the registry password. */
public final class LeftBehind {

    private LeftBehind() {
    }

    /**
     * Regular files of {@code state}, and of the temporary directories (java.io.tmpdir and /tmp) written since
     * {@code since}, that hold the registry password or the base64 of user:password (the docker client's own way
     * of storing it).
     */
    public static List<Path> filesHoldingThePassword(TestEnvironment env, Path state, Instant since)
            throws IOException {
        String password = env.registryPassword();
        String basic = Base64.getEncoder().encodeToString((env.registryUser() + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        LinkedHashSet<Path> candidates = new LinkedHashSet<>(regularFiles(state));
        for (Path dir : new LinkedHashSet<>(List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/tmp")))) {
            for (Path p : regularFiles(dir)) {
                try {
                    if (Files.getLastModifiedTime(p).compareTo(FileTime.from(since)) >= 0) candidates.add(p);
                } catch (IOException gone) {
                    // removed meanwhile
                }
            }
        }
        List<Path> found = new ArrayList<>();
        for (Path p : candidates) {
            if (holds(p, password, basic)) found.add(p);
        }
        return found;
    }

    /** Whether the file holds one of the texts; files over 16 MiB and files gone meanwhile are skipped. */
    public static boolean holds(Path file, String... texts) {
        try {
            if (Files.size(file) > 16 << 20) return false;
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String t : texts) {
                if (content.contains(t)) return true;
            }
            return false;
        } catch (IOException gone) {
            return false;
        }
    }

    /** FIFOs and sockets are skipped: reading a FIFO would wait for a writer. */
    private static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                if (a.isRegularFile()) out.add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /** A condition polled until it holds. */
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls every 0.1 s for up to 90 s; fails naming what it waited for, with the process's log. */
    public static void waitFor(Condition condition, String what, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what + "; log:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }
}
