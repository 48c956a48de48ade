package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Extracts a tar archive, plain or gzip-compressed (told apart by their magic bytes, not by the file name), into
 * a directory, checking every entry: no absolute names, nothing leading outside by {@code ..} or through a
 * symbolic link, links only to targets inside, no device files or FIFOs, and limits on the number of entries and
 * the bytes written. Nothing is ever written through a symbolic link, so a refused archive leaves nothing outside
 * the directory.
 */
final class ExtractArchiveStep {

    /** Bounds on what one archive may produce, against archive bombs. */
    record Limits(long maxEntries, long maxBytes) {
        static final long MAX_ENTRIES = 200_000;
        static final Limits DEFAULT = of(SourceLimits.DEFAULT);

        static Limits of(SourceLimits limits) {
            return new Limits(MAX_ENTRIES, limits.maxContextBytes());
        }
    }

    private static final int BUFFER = 64 * 1024;
    /** How often, in bytes copied, a long entry checks the cancellation. */
    private static final long CHECK_EVERY = 1 << 20;

    private final LineSink log;
    private final Cancellation cancellation;
    private final Limits limits;

    ExtractArchiveStep(LineSink log, Cancellation cancellation) {
        this(log, cancellation, Limits.DEFAULT);
    }

    ExtractArchiveStep(LineSink log, Cancellation cancellation, Limits limits) {
        this.log = log;
        this.cancellation = cancellation;
        this.limits = limits;
    }

    /**
     * Extracts {@code archive} into {@code target}, an existing empty directory.
     *
     * @param name how the archive is named in messages (its display URL or its path)
     */
    void run(Path archive, Path target, String name) throws SourceException, InterruptedException {
        log.line("extracting " + name);
        Extraction x;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), BUFFER)) {
            x = new Extraction(target.toRealPath(), name);
            try (TarArchiveInputStream in = new TarArchiveInputStream(open(raw, name))) {
                TarArchiveEntry entry;
                while ((entry = nextEntry(in, name)) != null) {
                    checkCancelled();
                    if (++x.entries > limits.maxEntries()) {
                        throw new SourceException("the archive " + name + " has more than " + limits.maxEntries()
                                + " entries");
                    }
                    extract(in, entry, x);
                }
            }
            verifyLinks(x);
            applyDirectoryModes(x);
        } catch (IOException e) {
            throw new SourceException("cannot extract the archive " + name + ": " + e.getMessage());
        }
        log.line("extracted " + x.entries + " entries (" + ByteSizes.human(x.bytes) + ") from " + name);
    }

    /** Headers that cannot be read are the archive's fault, told apart from failures to write the context. */
    private static TarArchiveEntry nextEntry(TarArchiveInputStream in, String name) throws SourceException {
        try {
            return in.getNextEntry();
        } catch (IOException | RuntimeException e) {
            throw new SourceException("the archive " + name + " is damaged, or its headers use a tar extension that "
                    + "is not supported, such as GNU sparse files (" + e.getMessage() + ")");
        }
    }

    /** State of one extraction. */
    private static final class Extraction {
        final Path root;
        final String name;
        long entries;
        long bytes;
        final List<Path> links = new ArrayList<>();
        final Map<Path, Integer> directoryModes = new LinkedHashMap<>();

        Extraction(Path root, String name) {
            this.root = root;
            this.name = name;
        }
    }

    /** The tar stream inside {@code raw}: gzip is recognised by its magic bytes; other formats are refused. */
    private static InputStream open(InputStream raw, String name) throws IOException, SourceException {
        byte[] magic = peek(raw, 6);
        InputStream tar = raw;
        if (startsWith(magic, 0x1f, 0x8b)) {
            tar = new BufferedInputStream(GzipCompressorInputStream.builder().setInputStream(raw)
                    .setDecompressConcatenated(true).get(), BUFFER);
        } else {
            String other = startsWith(magic, 'B', 'Z', 'h') ? "bzip2-compressed"
                    : startsWith(magic, 0xfd, '7', 'z', 'X', 'Z', 0x00) ? "xz-compressed"
                    : startsWith(magic, 0x28, 0xb5, 0x2f, 0xfd) ? "zstd-compressed"
                    : startsWith(magic, 'P', 'K', 3, 4) ? "a zip archive, not a tar archive"
                    : null;
            if (other != null) {
                throw new SourceException("the archive " + name + " is " + other + "; accepted: tar, and tar"
                        + " compressed with gzip");
            }
        }
        byte[] header = peek(tar, 512);
        if (header.length == 0) throw new SourceException("the archive " + name + " is empty");
        if (!TarArchiveInputStream.matches(header, header.length) && !allZero(header)) {
            throw new SourceException("the archive " + name + " is not a tar archive (plain or gzip-compressed)");
        }
        return tar;
    }

    private static byte[] peek(InputStream in, int n) throws IOException {
        in.mark(n);
        byte[] bytes = in.readNBytes(n);
        in.reset();
        return bytes;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) return false;
        }
        return true;
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) return false;
        }
        return true;
    }

    private void extract(TarArchiveInputStream in, TarArchiveEntry entry, Extraction x)
            throws SourceException, IOException, InterruptedException {
        if (entry.isGlobalPaxHeader()) return;
        String what = "entry '" + entry.getName() + "' of the archive " + x.name;
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            throw new SourceException(what + " is a device file or FIFO, which a build context cannot hold");
        }
        Path path = entryPath(x.root, entry.getName(), what);
        if (path == null) {
            if (entry.isDirectory()) return;
            throw new SourceException(what + " names the archive's root directory");
        }
        SafePaths.requireRealParents(x.root, path, true, what);
        if (entry.isDirectory()) {
            directory(path, what);
            x.directoryModes.put(path, entry.getMode());
        } else if (entry.isSymbolicLink()) {
            symbolicLink(path, entry.getLinkName(), what, x);
        } else if (entry.isLink()) {
            hardLink(path, entry.getLinkName(), what, x);
        } else if (entry.isSparse()) {
            throw new SourceException(what + " is a sparse file, which is not supported");
        } else if (isRegularFile(entry)) {
            file(in, path, entry.getMode(), what, x);
        } else {
            throw new SourceException(what + " has an unsupported type");
        }
    }

    /**
     * By the type flag alone: TarArchiveEntry.isFile() also says yes to volume headers and other types it does
     * not know, which must not become files of the context.
     */
    private static boolean isRegularFile(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG;
    }

    /** The entry's path inside root, or null for the root itself. */
    private static Path entryPath(Path root, String name, String what) throws SourceException {
        String n = name;
        if (n.indexOf('\0') >= 0) throw new SourceException(what + " has a NUL character in its name");
        while (n.startsWith("./")) n = n.substring(2);
        if (n.isEmpty() || n.equals(".")) return null;
        if (n.startsWith("/")) throw new SourceException(what + " has an absolute name");
        Path path;
        try {
            path = root.resolve(n).normalize();
        } catch (InvalidPathException e) {
            throw new SourceException(what + " has an invalid name");
        }
        if (!path.startsWith(root)) throw new SourceException(what + " leads outside the build context");
        return path.equals(root) ? null : path;
    }

    private static void directory(Path path, String what) throws IOException, SourceException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) return;
        replaceNonDirectory(path, what);
        Files.createDirectory(path);
    }

    private static void symbolicLink(Path path, String target, String what, Extraction x)
            throws IOException, SourceException {
        if (target == null || target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new SourceException(what + " is a symbolic link without a valid target");
        }
        if (target.startsWith("/")) {
            throw new SourceException(what + " is a symbolic link to the absolute path " + target
                    + ", outside the build context");
        }
        Path linkTarget;
        try {
            linkTarget = Path.of(target);
        } catch (InvalidPathException e) {
            throw new SourceException(what + " is a symbolic link with an invalid target");
        }
        if (!path.getParent().resolve(linkTarget).normalize().startsWith(x.root)) {
            throw new SourceException(what + " is a symbolic link to '" + target + "', outside the build context");
        }
        replaceNonDirectory(path, what);
        Files.createSymbolicLink(path, linkTarget);
        x.links.add(path);
    }

    /** A hard link names its target relative to the archive's root, and it must be a file extracted before. */
    private static void hardLink(Path path, String target, String what, Extraction x)
            throws IOException, SourceException {
        Path existing = target == null ? null : entryPath(x.root, target, what + " (its link target)");
        if (existing == null) throw new SourceException(what + " is a hard link without a valid target");
        SafePaths.requireRealParents(x.root, existing, false, what + " (its link target)");
        if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            throw new SourceException(what + " is a hard link to '" + target + "', which is not a file extracted"
                    + " before it");
        }
        replaceNonDirectory(path, what);
        Files.createLink(path, existing);
    }

    private void file(TarArchiveInputStream in, Path path, int mode, String what, Extraction x)
            throws IOException, SourceException, InterruptedException {
        replaceNonDirectory(path, what);
        byte[] buffer = new byte[BUFFER];
        long sinceCheck = 0;
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                x.bytes += n;
                if (x.bytes > limits.maxBytes()) {
                    throw new SourceException("the archive " + x.name + " expands to more than "
                            + ByteSizes.human(limits.maxBytes()) + " (max_context_bytes)");
                }
                out.write(buffer, 0, n);
                sinceCheck += n;
                if (sinceCheck >= CHECK_EVERY) {
                    sinceCheck = 0;
                    checkCancelled();
                }
            }
        }
        // owner read, so that the context can be sent; no setuid, setgid or sticky bits
        setMode(path, (mode & 0777) | 0400);
    }

    /** Tar semantics: a later entry replaces an earlier one; a link is removed, never followed. */
    private static void replaceNonDirectory(Path path, String what) throws IOException, SourceException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new SourceException(what + " would replace a directory");
        }
        Files.deleteIfExists(path);
    }

    /**
     * Each link was checked lexically when written; only the finished tree shows where a link through other links
     * really leads ({@code a -> .} and {@code b -> a/..} both look inside, yet b is the parent directory).
     */
    private static void verifyLinks(Extraction x) throws IOException, SourceException {
        for (Path link : x.links) {
            if (!Files.isSymbolicLink(link)) continue;
            if (!SafePaths.linkStaysInside(x.root, link)) {
                throw new SourceException("entry '" + x.root.relativize(link) + "' of the archive " + x.name
                        + " is a symbolic link that leads outside the build context (through other links)");
            }
        }
    }

    /** Applied last and deepest first, so that a read-only directory does not stop its own extraction. */
    private static void applyDirectoryModes(Extraction x) throws IOException {
        List<Path> directories = new ArrayList<>(x.directoryModes.keySet());
        directories.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path dir : directories) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) continue;
            // the owner keeps full access, or the caller could not delete the work directory
            setMode(dir, (x.directoryModes.get(dir) & 0777) | 0700);
        }
    }

    private static void setMode(Path path, int mode) throws IOException {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) permissions.add(bits[i]);
        }
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: modes cannot be kept there
        }
    }

    private void checkCancelled() throws SourceException, InterruptedException {
        if (cancellation.isCancelled()) throw SourceException.cancelledRun();
        if (Thread.interrupted()) throw new InterruptedException();
    }
}
