package io.imagebuilder.imagebuild.lock;

import io.imagebuilder.util.Digests;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an image's root filesystem holds, read from its layers in order (whiteouts applied): every regular file with
 * its SHA-1 and size, and the packages its package databases list (dpkg's status, apk's installed).
 */
record ImageContents(Map<String, FileEntry> files, List<Package> packages) {

    static final String DPKG_STATUS = "var/lib/dpkg/status";
    static final String APK_INSTALLED = "lib/apk/db/installed";

    /** A regular file: its SHA-1 (SPDX requires one) and size. */
    record FileEntry(String sha1, long size) {
    }

    /** An installed package: its manager (deb or apk), name, version and architecture. */
    record Package(String manager, String name, String version, String architecture) {
    }

    /** @param layers the layer blobs, gzip-compressed or not, bottom first */
    static ImageContents read(List<Path> layers) throws IOException {
        Map<String, FileEntry> files = new TreeMap<>();
        Map<String, byte[]> databases = new TreeMap<>();
        for (Path layer : layers) {
            // a whiteout hides what lower layers hold, never what its own layer adds, whatever the order in the tar
            Map<String, FileEntry> added = new TreeMap<>();
            Map<String, byte[]> addedDatabases = new TreeMap<>();
            List<String> whiteouts = new ArrayList<>();
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(layer));
                 TarArchiveInputStream tar = new TarArchiveInputStream(gzipped(raw) ? new GzipCompressorInputStream(raw)
                         : raw)) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    String path = normalize(e.getName());
                    String base = path.substring(path.lastIndexOf('/') + 1);
                    String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
                    if (base.equals(".wh..wh..opq")) {
                        whiteouts.add(dir);
                    } else if (base.startsWith(".wh.")) {
                        whiteouts.add(dir + base.substring(4));
                    } else if (e.isFile()) {
                        boolean database = path.equals(DPKG_STATUS) || path.equals(APK_INSTALLED);
                        ByteArrayOutputStream kept = database ? new ByteArrayOutputStream() : null;
                        added.put(path, hash(tar, kept));
                        if (database) addedDatabases.put(path, kept.toByteArray());
                    }
                }
            }
            for (String gone : whiteouts) {
                // "d/" (an opaque directory) hides all below it; "d/name" hides that file or directory
                java.util.function.Predicate<String> hidden = gone.endsWith("/") ? p -> p.startsWith(gone)
                        : p -> p.equals(gone) || p.startsWith(gone + "/");
                files.keySet().removeIf(hidden);
                databases.keySet().removeIf(hidden);
            }
            files.putAll(added);
            databases.putAll(addedDatabases);
        }
        List<Package> packages = new ArrayList<>();
        if (databases.containsKey(DPKG_STATUS)) packages.addAll(dpkg(new String(databases.get(DPKG_STATUS))));
        if (databases.containsKey(APK_INSTALLED)) packages.addAll(apk(new String(databases.get(APK_INSTALLED))));
        return new ImageContents(files, packages);
    }

    /** dpkg's status: stanzas of "Field: value" lines; only packages whose status says installed. */
    static List<Package> dpkg(String status) {
        List<Package> out = new ArrayList<>();
        for (String stanza : status.split("\n\n")) {
            Map<String, String> fields = fields(stanza, ": ");
            if (fields.containsKey("Package") && fields.getOrDefault("Status", "").endsWith(" installed")) {
                out.add(new Package("deb", fields.get("Package"), fields.get("Version"), fields.get("Architecture")));
            }
        }
        return out;
    }

    /** apk's installed database: stanzas of "X:value" lines, P the name, V the version, A the architecture. */
    static List<Package> apk(String installed) {
        List<Package> out = new ArrayList<>();
        for (String stanza : installed.split("\n\n")) {
            Map<String, String> fields = fields(stanza, ":");
            if (fields.containsKey("P")) out.add(new Package("apk", fields.get("P"), fields.get("V"), fields.get("A")));
        }
        return out;
    }

    private static Map<String, String> fields(String stanza, String separator) {
        Map<String, String> fields = new TreeMap<>();
        for (String line : stanza.split("\n")) {
            int at = line.indexOf(separator);
            if (at > 0 && !Character.isWhitespace(line.charAt(0))) {
                fields.putIfAbsent(line.substring(0, at), line.substring(at + separator.length()).strip());
            }
        }
        return fields;
    }

    private static FileEntry hash(InputStream in, ByteArrayOutputStream kept) throws IOException {
        MessageDigest sha1 = Digests.digest("SHA-1");
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha1.update(buffer, 0, n);
            if (kept != null) kept.write(buffer, 0, n);
            size += n;
        }
        return new FileEntry(HexFormat.of().formatHex(sha1.digest()), size);
    }

    private static boolean gzipped(InputStream in) throws IOException {
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        return a == 0x1f && b == 0x8b;
    }

    private static String normalize(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        n = n.startsWith("/") ? n.substring(1) : n;
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }
}
