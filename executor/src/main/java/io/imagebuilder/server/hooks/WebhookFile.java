package io.imagebuilder.server.hooks;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a webhooks file: lines {@code OWNER URL SECRET_FILE} (blank lines and {@code #} comments ignored). OWNER
 * is a name of the API keys file, or {@code oauth:SUBJECT} for bearer tokens; URL is http or https; SECRET_FILE
 * (relative to the webhooks file) holds the signing secret and must not be readable by group or others, as the
 * secret must be in no argument, log or database.
 */
public final class WebhookFile {

    private static final Set<PosixFilePermission> PRIVATE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private WebhookFile() {
    }

    /** @throws IllegalArgumentException naming the file and line of the first problem */
    public static Map<String, Endpoint> parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the webhooks file " + file + " (" + e.getMessage()
                    + "); it holds one line per owner: OWNER URL SECRET_FILE", e);
        }
        Map<String, Endpoint> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String at = file + ":" + (i + 1) + ": ";
            String[] parts = line.split("\\s+");
            if (parts.length != 3 || !parts[0].matches("[A-Za-z0-9_.@:-]+")) {
                throw new IllegalArgumentException(at + "expected OWNER URL SECRET_FILE (an owner of letters, digits, "
                        + "_ . @ : -, an http or https URL, and the file holding the signing secret)");
            }
            if (out.containsKey(parts[0])) {
                throw new IllegalArgumentException(at + "the owner " + parts[0] + " has a webhook already");
            }
            URI url = url(parts[1], at);
            Path secretFile = file.toAbsolutePath().getParent().resolve(parts[2]).normalize();
            out.put(parts[0], new Endpoint(parts[0], url, new Signer(secret(secretFile, at))));
        }
        return out;
    }

    private static URI url(String text, String at) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(at + "\"" + text + "\" is not a URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException(at + "\"" + text + "\" is not an http or https URL with a host");
        }
        // the URL is stored with every delivery and shown by the API: a password in it would be too
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(at + "the URL must not hold a user or password; receivers check the "
                    + "signature instead");
        }
        return url;
    }

    private static byte[] secret(Path file, String at) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!PRIVATE.containsAll(permissions)) {
                throw new IllegalArgumentException(at + "the secret file " + file + " is open to group or others ("
                        + java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "); chmod 600 it");
            }
            byte[] secret = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            if (secret.length == 0) throw new IllegalArgumentException(at + "the secret file " + file + " is empty");
            return secret;
        } catch (IOException e) {
            throw new IllegalArgumentException(at + "cannot read the secret file " + file + " (" + e.getMessage()
                    + ")", e);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException(at + "cannot check who may read the secret file " + file, e);
        }
    }
}
