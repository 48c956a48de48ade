package io.imagebuilder.imagebuild.lock;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An image's files and packages read from its layers as a registry holds them, whiteouts applied. */
class ImageContentsTest {

    @TempDir
    Path tmp;

    private Path layer(String name, boolean gzip, Map<String, String> entries) throws Exception {
        Path file = tmp.resolve(name);
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = gzip ? new GzipCompressorOutputStream(raw) : raw;
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (var e : entries.entrySet()) {
                byte[] body = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(body.length);
                tar.putArchiveEntry(entry);
                tar.write(body);
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    @Test
    void laterLayersReplaceAndWhiteOutWhatEarlierOnesHold() throws Exception {
        Path bottom = layer("0", true, new java.util.LinkedHashMap<>(Map.of(
                "etc/gone", "x", "opt/old/a", "a", "opt/old/b", "b", "bin/sh", "first",
                "lib/apk/db/installed", "P:musl\nV:1.2.4-r2\nA:x86_64\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\n")));
        // the opaque whiteout after the file its own layer adds: it must hide only what lies below
        Path top = layer("1", false, ordered("opt/old/c", "c", "opt/old/.wh..wh..opq", "", "etc/.wh.gone", "",
                "./bin/sh", "second"));

        ImageContents contents = ImageContents.read(List.of(bottom, top));

        assertThat(contents.files()).containsOnlyKeys("opt/old/c", "bin/sh", "lib/apk/db/installed");
        assertThat(contents.files().get("bin/sh").size()).isEqualTo(6);
        assertThat(contents.files().get("bin/sh").sha1()).isEqualTo(sha1("second"));
        assertThat(contents.packages()).containsExactly(
                new ImageContents.Package("apk", "musl", "1.2.4-r2", "x86_64"),
                new ImageContents.Package("apk", "busybox", "1.36.1-r15", "x86_64"));
    }

    @Test
    void dpkgListsOnlyPackagesItSaysAreInstalled() {
        String status = """
                Package: bash
                Status: install ok installed
                Architecture: amd64
                Version: 5.2.15-2+b13
                Description: GNU Bourne Again SHell
                 Version: not a field, a continuation line

                Package: removed
                Status: deinstall ok config-files
                Version: 1.0
                """;
        assertThat(ImageContents.dpkg(status)).containsExactly(
                new ImageContents.Package("deb", "bash", "5.2.15-2+b13", "amd64"));
    }

    private static Map<String, String> ordered(String... pathsAndBodies) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pathsAndBodies.length; i += 2) out.put(pathsAndBodies[i], pathsAndBodies[i + 1]);
        return out;
    }

    private static String sha1(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
