package io.imagebuilder.imagebuild.host;

import io.imagebuilder.util.Trees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Private directories of engine connections are named after the process that made them. A process killed before
 * it could remove its directories leaves them behind (SSH control sockets, the docker client's configuration); the
 * next process to open a connection removes every one whose process is gone.
 */
final class LeftDirectories {

    private static final Pattern NAME = Pattern.compile("ib-([0-9]+)-.*");
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private LeftDirectories() {
    }

    static String prefix() {
        return "ib-" + ProcessHandle.current().pid() + "-";
    }

    static void removeOnce(Path tmp) {
        if (DONE.compareAndSet(false, true)) remove(tmp);
    }

    static void remove(Path tmp) {
        try (var entries = Files.newDirectoryStream(tmp, "ib-*")) {
            for (Path p : entries) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).isEmpty() && ownedByUs(p)) Trees.delete(p);
            }
        } catch (IOException e) {
            // another process's directories are not ours to fail over
        }
    }

    private static boolean ownedByUs(Path p) throws IOException {
        return Files.getOwner(p).getName().equals(System.getProperty("user.name"));
    }
}
