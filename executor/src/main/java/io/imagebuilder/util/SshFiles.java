package io.imagebuilder.util;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The key and known_hosts files given for an SSH connection. ssh and JGit read a missing known_hosts file as an
 * empty one and then report an unknown host key, which sends people looking for the wrong cause.
 */
public final class SshFiles {

    private SshFiles() {
    }

    /** What is wrong with the files (null ones are not given), or null when both can be read. */
    public static String problem(Path privateKey, Path knownHosts) {
        String p = problem(knownHosts, "known_hosts file");
        return p != null ? p : problem(privateKey, "SSH private key");
    }

    private static String problem(Path file, String what) {
        if (file == null) return null;
        if (!Files.exists(file)) return "the " + what + " " + file + " does not exist";
        if (!Files.isRegularFile(file)) return "the " + what + " " + file + " is not a file";
        if (!Files.isReadable(file)) return "the " + what + " " + file + " cannot be read";
        return null;
    }
}
