package io.imagebuilder.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The API keys a server accepts, read from a file of lines {@code NAME SHA256-HEX} (blank lines and {@code #}
 * comments ignored). Only digests are kept, on disk and in memory; the name identifies the key's owner, who alone
 * sees the builds made with it.
 */
public final class ApiKeys {

    /** One accepted key: its owner's name and the SHA-256 of the key. */
    public record Entry(String name, byte[] digest) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ApiKeys parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the API keys file " + file + " (" + e.getMessage()
                    + "); it holds one line per key: NAME SHA256-OF-THE-KEY", e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split("\\s+");
            if (parts.length != 2 || !parts[1].matches("(?i)[0-9a-f]{64}") || !parts[0].matches("[A-Za-z0-9_.@-]+")) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": expected NAME SHA256-HEX (a name of letters, "
                        + "digits, _ . @ -, then the 64-digit SHA-256 of the key)");
            }
            if (entries.stream().anyMatch(e -> e.name().equals(parts[0]))) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": the name " + parts[0] + " is used twice");
            }
            entries.add(new Entry(parts[0], HexFormat.of().parseHex(parts[1].toLowerCase())));
        }
        if (entries.isEmpty()) throw new IllegalStateException("the API keys file " + file + " holds no key");
        return new ApiKeys(entries);
    }

    /** The owner of {@code key}; every entry is compared, in constant time, so timing tells nothing. */
    public Optional<String> owner(String key) {
        if (key == null || key.isEmpty()) return Optional.empty();
        byte[] digest = sha256(key);
        String found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), digest) && found == null) found = e.name();
        }
        return Optional.ofNullable(found);
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A line of the keys file for {@code key}. */
    public static String line(String name, String key) {
        return name + " " + HexFormat.of().formatHex(sha256(key));
    }
}
