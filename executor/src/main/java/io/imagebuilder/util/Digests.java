package io.imagebuilder.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content digests as registries and locks write them: {@code sha256:HEX}. */
public final class Digests {

    private Digests() {
    }

    public static String sha256(byte[] content) {
        return "sha256:" + HexFormat.of().formatHex(digest("SHA-256").digest(content));
    }

    /** The SHA-256 of a file, read in chunks. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = digest("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    /** The hexadecimal part of {@code ALGORITHM:HEX}. */
    public static String hex(String digest) {
        return digest.substring(digest.indexOf(':') + 1);
    }

    public static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }
}
