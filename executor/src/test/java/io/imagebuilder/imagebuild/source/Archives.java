package io.imagebuilder.imagebuild.source;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds tar archives entry by entry, including the malformed and malicious ones real tools refuse to make. */
final class Archives {

    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    Archives file(String name, String content) {
        return file(name, content, 0644);
    }

    Archives file(String name, String content, int mode) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(bytes.length);
        e.setMode(mode);
        return add(e, bytes);
    }

    Archives directory(String name, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
        e.setMode(mode | 040000);
        return add(e, null);
    }

    Archives symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        return add(e, null);
    }

    Archives hardLink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        return add(e, null);
    }

    Archives characterDevice(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
        e.setDevMajor(1);
        e.setDevMinor(3);
        return add(e, null);
    }

    Archives entryOfType(String name, byte type) {
        return add(new TarArchiveEntry(name, type, true), null);
    }

    private Archives add(TarArchiveEntry entry, byte[] content) {
        entries.add(entry);
        contents.add(content);
        return this;
    }

    Path writeTar(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out);
        }
        return file;
    }

    Path writeTarGz(Path file) throws IOException {
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(file))) {
            write(out);
        }
        return file;
    }

    private void write(OutputStream out) throws IOException {
        // preserveAbsolutePath entries (constructed above) keep names such as "/etc/x" and "../x" as given
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (int i = 0; i < entries.size(); i++) {
            tar.putArchiveEntry(entries.get(i));
            if (contents.get(i) != null) tar.write(contents.get(i));
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }
}
