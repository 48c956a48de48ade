package io.imagebuilder.ssh;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The private key that proves who connects and the known_hosts file that proves whom it reaches. Either may be
 * null for the SSH client's defaults.
 */
public record SshIdentity(Path privateKey, Path knownHosts) {

    public static final SshIdentity DEFAULTS = new SshIdentity(null, null);

    /**
     * What is wrong with the files that are given, or null when they can be read. ssh and JGit read a missing
     * known_hosts file as an empty one and then report an unknown host key, which sends people looking for the
     * wrong cause.
     */
    public String problem() {
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
